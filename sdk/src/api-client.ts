// HTTP to the Toolwarden machine API: the server key, a deadline on every request, and one
// classification of failures. Anything that is not an expected answer is an ApiError, which the
// decision paths turn into a deny (fail closed).

export type ApiErrorKind =
  /** no answer in time */
  | 'timeout'
  /** connection refused/reset, DNS, TLS… */
  | 'network'
  /** 5xx, including 503 `unavailable` */
  | 'server'
  /** 429 */
  | 'rate_limited'
  /** 401: the server key is missing, wrong, expired or revoked */
  | 'unauthorized'
  /** any other 4xx: the request was refused */
  | 'rejected'
  /** a 2xx whose body is not what the contract says */
  | 'malformed'
  /** the caller's own signal aborted the request */
  | 'aborted';

export class ApiError extends Error {
  override name = 'ToolwardenApiError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status: number | null = null,
    /** the problem+json body, when there was one */
    readonly problem: Record<string, unknown> | null = null,
  ) {
    super(message);
  }

  /** worth retrying later (as opposed to a request that will be refused again) */
  get transient(): boolean {
    return this.kind === 'timeout' || this.kind === 'network' || this.kind === 'server' || this.kind === 'rate_limited';
  }
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T | null;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** statuses answered without throwing, besides 2xx (e.g. 304) */
  accept?: readonly number[];
}

export type BaseUrl = string | URL | (() => string | URL);

export class ApiClient {
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly baseUrl: BaseUrl,
    private readonly serverKey: string,
    fetchImpl: typeof fetch | undefined,
    private readonly userAgent: string,
  ) {
    this.fetchImpl = fetchImpl ?? globalThis.fetch.bind(globalThis);
  }

  /** resolved per request, so a base URL function can move the SDK to another address */
  url(path: string): URL {
    const base = typeof this.baseUrl === 'function' ? this.baseUrl() : this.baseUrl;
    return new URL(path, base);
  }

  async request<T>(method: 'GET' | 'POST', path: string, opts: RequestOptions): Promise<ApiResponse<T>> {
    const timeout = AbortSignal.timeout(opts.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.serverKey}`,
      accept: 'application/json',
      'user-agent': this.userAgent,
      ...opts.headers,
    };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(this.url(path), {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal,
        redirect: 'error',
      });
      // the deadline covers the body too: a server that trickles bytes does not hold a call
      text = await response.text();
    } catch (error) {
      if (opts.signal?.aborted) throw new ApiError('aborted', 'the request was cancelled');
      if (timeout.aborted) throw new ApiError('timeout', `Toolwarden did not answer within ${opts.timeoutMs} ms`);
      throw new ApiError('network', `Toolwarden is unreachable: ${describe(error)}`);
    }
    const status = response.status;
    const ok = (status >= 200 && status < 300) || (opts.accept?.includes(status) ?? false);
    if (ok) {
      if (text === '') return { status, headers: response.headers, body: null };
      try {
        return { status, headers: response.headers, body: JSON.parse(text) as T };
      } catch {
        throw new ApiError('malformed', `Toolwarden answered ${status} with a body that is not JSON`, status);
      }
    }
    const problem = parseProblem(text);
    const detail = typeof problem?.detail === 'string' ? `: ${problem.detail}` : '';
    if (status >= 500) throw new ApiError('server', `Toolwarden answered ${status}${detail}`, status, problem);
    if (status === 429) throw new ApiError('rate_limited', `Toolwarden rate-limited this server${detail}`, status, problem);
    if (status === 401) throw new ApiError('unauthorized', `Toolwarden refused the server key${detail}`, status, problem);
    throw new ApiError('rejected', `Toolwarden answered ${status}${detail}`, status, problem);
  }
}

function parseProblem(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
    return typeof code === 'string' ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
