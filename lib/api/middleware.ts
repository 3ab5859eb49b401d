import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors';
import { bearer } from '../servers/key-format';
import type { DecisionRuntime } from '../decisions/runtime';
import type { ApiEnv } from './app';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Body rules of API.md for every request with a body: JSON only (415), at most 64 KiB (413),
 * well-formed (400). Runs before authentication work so junk is cheap to refuse.
 */
export const jsonBody: MiddlewareHandler<ApiEnv> = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new AppError('payload_too_large', `Body over ${MAX_BODY_BYTES} bytes`);
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const buf = await c.req.arrayBuffer();
  if (buf.byteLength > MAX_BODY_BYTES) throw new AppError('payload_too_large', `Body over ${MAX_BODY_BYTES} bytes`);
  if (buf.byteLength === 0 && c.req.path.endsWith('/complete')) return next();
  if (type !== 'application/json') throw new AppError('unsupported_media_type', 'Send application/json');
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buf));
  } catch {
    throw new AppError('invalid_request', 'Malformed JSON body');
  }
  return next();
};

/** the enforcement point's own key (API.md: every call but openapi.json), then its rate limit */
export function serverKeyAuth(runtime: DecisionRuntime): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const server = await runtime.keyAuth.authenticate(bearer(c.req.header('authorization')));
    const wait = runtime.rateLimiter.take(server.keyId);
    if (wait > 0) throw new AppError('rate_limited', 'Too many requests for this server key', { retryAfterSeconds: wait });
    c.set('server', server);
    return next();
  };
}
