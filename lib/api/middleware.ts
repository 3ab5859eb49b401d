import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors';
import { bearer } from '../servers/key-format';
import type { AuthenticatedServer } from '../decisions/server-auth';
import type { DecisionRuntime } from '../decisions/runtime';
import type { ApiEnv } from './app';

export const MAX_BODY_BYTES = 64 * 1024;

// API.md's body rules, as plain functions so the Hono middleware and the raw fast path for
// POST /api/v1/decisions (lib/api/fast-decisions.ts) apply exactly the same checks.

/** before reading: a declared length over the limit is refused without reading the body */
export function checkDeclaredLength(contentLength: string | undefined | null): void {
  if (Number(contentLength ?? '0') > MAX_BODY_BYTES) throw new AppError('payload_too_large', `Body over ${MAX_BODY_BYTES} bytes`);
}

/** JSON only (415), at most 64 KiB (413), well-formed UTF-8 JSON (400); returns the parsed body */
export function parseJsonBody(contentType: string | undefined | null, body: Uint8Array): unknown {
  if (body.byteLength > MAX_BODY_BYTES) throw new AppError('payload_too_large', `Body over ${MAX_BODY_BYTES} bytes`);
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw new AppError('unsupported_media_type', 'Send application/json');
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new AppError('invalid_request', 'Malformed JSON body');
  }
}

/** the enforcement point's own key (API.md: every call but openapi.json), then its rate limit */
export async function authenticateServer(runtime: DecisionRuntime, authorization: string | undefined | null): Promise<AuthenticatedServer> {
  const server = await runtime.keyAuth.authenticate(bearer(authorization));
  const wait = runtime.rateLimiter.take(server.keyId);
  if (wait > 0) throw new AppError('rate_limited', 'Too many requests for this server key', { retryAfterSeconds: wait });
  return server;
}

/** Hono: body rules for every request with a body, before any authentication work */
export const jsonBody: MiddlewareHandler<ApiEnv> = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  checkDeclaredLength(c.req.header('content-length'));
  const buf = new Uint8Array(await c.req.arrayBuffer());
  // deleting, and completing an access request, need no body
  if (buf.byteLength === 0 && (c.req.method === 'DELETE' || c.req.path.endsWith('/complete'))) return next();
  parseJsonBody(c.req.header('content-type'), buf);
  return next();
};

export function serverKeyAuth(runtime: DecisionRuntime): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    c.set('server', await authenticateServer(runtime, c.req.header('authorization')));
    return next();
  };
}
