import { AppError, ERROR_STATUS } from '../errors';
import { consoleSession, type ConsoleSession } from '../auth/console-context';

// The one wrapper for console route handlers: session + tenant (404 for other tenants), a
// same-origin check on every mutation (CSRF), JSON parsing, and one error shape:
// { error: { code, message, invalidParams? } }. Unknown errors leak nothing.

type Params = Record<string, string | string[]>;
export interface ConsoleRequest<P extends Params> {
  session: ConsoleSession;
  params: P;
  body: unknown;
  query: Record<string, string>;
  request: Request;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_BODY = 256 * 1024;

function sameOrigin(req: Request): boolean {
  const origin = req.headers.get('origin');
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) {
    const headers: Record<string, string> = {};
    if (err.retryAfterSeconds) headers['Retry-After'] = String(err.retryAfterSeconds);
    return Response.json({ error: { code: err.code, message: err.message, invalidParams: err.invalidParams } }, { status: err.status, headers });
  }
  console.error('console handler failed', err);
  return Response.json({ error: { code: 'internal', message: 'Something went wrong on our side. Nothing was changed.' } }, { status: ERROR_STATUS.internal });
}

export function consoleRoute<P extends Params & { tenant: string }>(handler: (r: ConsoleRequest<P>) => Promise<unknown>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const params = await context.params;
      if (MUTATING.has(request.method) && !sameOrigin(request)) {
        throw new AppError('forbidden', 'Cross-site request refused');
      }
      const session = await consoleSession(params.tenant, request.headers);
      let body: unknown = undefined;
      if (MUTATING.has(request.method)) {
        const text = await request.text();
        if (text.length > MAX_BODY) throw new AppError('payload_too_large', 'Request body too large');
        if (text) {
          if (!(request.headers.get('content-type') ?? '').includes('application/json')) throw new AppError('unsupported_media_type', 'Send JSON');
          try {
            body = JSON.parse(text);
          } catch {
            throw new AppError('invalid_request', 'Malformed JSON');
          }
        }
      }
      const query = Object.fromEntries(new URL(request.url).searchParams);
      const result = await handler({ session, params, body, query, request });
      if (result instanceof Response) return result;
      return Response.json(result ?? { ok: true }, { status: request.method === 'POST' ? 201 : 200 });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
