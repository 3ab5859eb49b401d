// The console's one fetch helper: every failure becomes an ApiError with the server's
// { error: { code, message, invalidParams } } shape, so forms can put reasons next to fields.

export interface InvalidParam {
  name: string;
  reason: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly invalidParams: InvalidParam[];

  constructor(status: number, code: string, message: string, invalidParams: InvalidParam[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.invalidParams = invalidParams;
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export async function api<T>(path: string, init: { method?: Method; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const { method = 'GET', body, signal } = init;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      signal,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    // an aborted query is TanStack cancelling it, not an error to show
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'Could not reach the server. Check your connection and try again.');
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      // a proxy's HTML error page: fall through to a generic message
    }
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; invalidParams?: InvalidParam[] } } | null)?.error;
    throw new ApiError(res.status, e?.code ?? 'internal', e?.message ?? `The request failed (HTTP ${res.status}).`, e?.invalidParams ?? []);
  }
  return data as T;
}

/** /api/console/t/<tenant>/<parts…>, each part encoded (ids come from URLs) */
export function consolePath(tenant: string, ...parts: string[]): string {
  return ['/api/console/t', encodeURIComponent(tenant), ...parts.map(encodeURIComponent)].join('/');
}

/** ?a=1&b=2 without empty values (the server rejects e.g. status="") */
export function withQuery(path: string, query: Record<string, string | number | null | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}
