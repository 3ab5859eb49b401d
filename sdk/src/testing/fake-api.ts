// A stand-in for the machine API in unit tests: routes by method and path to handlers that
// return Responses, and records every request. Tests of the SDK's pure parts use it instead of
// a network; the integration tests (tests/integration/mcp-*.test.ts) use the real API.

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

export type Route = (req: RecordedRequest, signal: AbortSignal | undefined) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** never answers; rejects when the request's signal aborts (like fetch does) */
export function hang(_req: RecordedRequest, signal: AbortSignal | undefined): Promise<Response> {
  return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

export function fakeApi(routes: Record<string, Route>) {
  const requests: RecordedRequest[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const req: RecordedRequest = {
      method: init?.method ?? 'GET',
      url,
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(req);
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) return json({ status: 404, code: 'not_found' }, 404);
    return route(req, init?.signal ?? undefined);
  }) as typeof fetch;
  return { fetch: fetchImpl, requests, calls: (method: string, path: string) => requests.filter((r) => r.method === method && r.url.pathname === path) };
}
