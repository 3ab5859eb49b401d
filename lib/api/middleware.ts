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

/**
 * No request of this API nests deeper than a few dozen levels (tool input schemas included).
 * Deeper bodies are refused up front: code further on (definition hashing, Prisma, the decision
 * log's JSON) recurses and would overflow the stack, which was a 500.
 */
export const MAX_JSON_DEPTH = 64;

/** how many times `ch` occurs, counted only up to just past MAX_JSON_DEPTH */
function openings(text: string, ch: string): number {
  let n = 0;
  for (let at = text.indexOf(ch); at !== -1 && n <= MAX_JSON_DEPTH; at = text.indexOf(ch, at + 1)) n++;
  return n;
}

const hex4 = (text: string, at: number): number => (/^[0-9a-fA-F]{4}$/.test(text.slice(at, at + 4)) ? parseInt(text.slice(at, at + 4), 16) : -1);

/**
 * One pass over JSON text for what JSON.parse accepts but Postgres cannot store: `\u0000` (text
 * and jsonb refuse NUL) and lone UTF-16 surrogate escapes (jsonb refuses them). Such a string in a
 * decision failed the decision log's group-commit insert, so it answered 503 and failed every other
 * decision in the same batch; elsewhere it was a 500. Also bounds the nesting depth.
 * Returns why the text is refused, or null.
 */
export function unstorableJson(text: string): string | null {
  // The common body has no \u escape and too few brackets to nest deeply: settle that with native
  // searches, and walk the text only otherwise (this runs on every decision).
  if (text.indexOf('\\u') === -1 && openings(text, '{') + openings(text, '[') <= MAX_JSON_DEPTH) return null;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x22) inString = false;
      else if (c === 0x5c) {
        if (text.charCodeAt(i + 1) === 0x75) {
          const u = hex4(text, i + 2);
          if (u === 0) return 'Strings may not contain NUL (\\u0000)';
          if (u >= 0xd800 && u <= 0xdbff) {
            // a high surrogate must be followed by a low one, as one escaped pair
            const low = text.charCodeAt(i + 6) === 0x5c && text.charCodeAt(i + 7) === 0x75 ? hex4(text, i + 8) : -1;
            if (low < 0xdc00 || low > 0xdfff) return 'Strings may not contain lone UTF-16 surrogates';
            i += 11;
            continue;
          }
          if (u >= 0xdc00 && u <= 0xdfff) return 'Strings may not contain lone UTF-16 surrogates';
          i += 5;
        } else i++;
      }
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) return `JSON nested deeper than ${MAX_JSON_DEPTH} levels`;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return null;
}

// One decoder for every request: decode() without `stream` starts from a clean state each call.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** JSON only (415), at most 64 KiB (413), well-formed UTF-8 JSON that Postgres can store (400); returns the parsed body */
export function parseJsonBody(contentType: string | undefined | null, body: Uint8Array): unknown {
  if (body.byteLength > MAX_BODY_BYTES) throw new AppError('payload_too_large', `Body over ${MAX_BODY_BYTES} bytes`);
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw new AppError('unsupported_media_type', 'Send application/json');
  let text: string;
  let value: unknown;
  try {
    text = utf8.decode(body);
    value = JSON.parse(text);
  } catch {
    throw new AppError('invalid_request', 'Malformed JSON body');
  }
  const refused = unstorableJson(text);
  if (refused !== null) throw new AppError('invalid_request', refused);
  return value;
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
