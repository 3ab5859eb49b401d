import { createRoute, z, type RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { CLIENT_IP_HEADER } from '../../auth/client-ip';
import type { ServiceContext } from '../../context';
import { pageQuerySchema } from '../../pagination';
import type { ApiEnv, MachineApi } from '../app';
import { checkDeclaredLength, parseJsonBody } from '../middleware';
import { ProblemSchema } from '../schemas';
import { authenticatePersonalToken } from './auth';

// What every management route shares: the personal-token authentication, the body rules, the
// OpenAPI fragments, and `registerOps`, which turns a short description of a console operation
// into a documented route. Handlers hand the service the request exactly as received (the raw
// JSON body and query), like the console's handlers do: the service's own parseInput is what
// decides, so the API cannot accept or refuse anything the console would not. The route-level
// zod schemas (the same ones) document the operation and refuse bad input early with the
// machine API's problem+json and invalidParams.

export const security = [{ personalToken: [] as string[] }];

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } });
export const errorResponses = {
  400: problem('Invalid input (invalidParams names each field)'),
  401: problem('Personal token missing, invalid, expired or revoked'),
  403: problem('The token’s user may not do this'),
  404: problem('Not found (or another tenant’s)'),
  409: problem('Conflict with the current state (duplicate name, in use, already revoked…)'),
};

/** our ids are prefix_ULID: anything else is refused before a query sees it */
export const objectId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'Not an id');
export const idParam = z.object({ id: objectId });

/** keyset pagination (?cursor&limit) merged with a list's filters, for the OpenAPI document */
export const pageQuery = <S extends z.ZodRawShape>(filters: z.ZodObject<S>) => pageQuerySchema.extend(filters.shape);

export const ctxOf = (c: Context<ApiEnv>): ServiceContext => c.get('manageCtx');

/**
 * JSON body rules of the machine API (64 KiB, application/json, well-formed), except that any
 * method may come without a body: revoking a key or marking a definition reviewed sends none.
 */
export const manageJsonBody: MiddlewareHandler<ApiEnv> = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  checkDeclaredLength(c.req.header('content-length'));
  const buf = new Uint8Array(await c.req.arrayBuffer());
  if (buf.byteLength > 0) parseJsonBody(c.req.header('content-type'), buf);
  return next();
};

/** `Authorization: Bearer twp_…` → the token user's context, before any route runs */
export const personalTokenAuth: MiddlewareHandler<ApiEnv> = async (c, next) => {
  c.set(
    'manageCtx',
    await authenticatePersonalToken(c.req.header('authorization'), { requestId: c.get('requestId'), ip: c.req.header(CLIENT_IP_HEADER) ?? null, userAgent: c.req.header('user-agent') ?? null }),
  );
  return next();
};

/** the body as sent (already checked to be JSON by manageJsonBody; Hono caches the bytes) */
async function rawBody(c: Context<ApiEnv>): Promise<unknown> {
  const buf = await c.req.arrayBuffer();
  return buf.byteLength === 0 ? undefined : JSON.parse(new TextDecoder().decode(buf));
}

export interface ManageInput {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

export interface ManageOp {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  description?: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** the domain's request schema; `bodyRequired: false` for bodies that may be omitted */
  body?: z.ZodType;
  bodyRequired?: boolean;
  /** the console's status for it: 201 for a created resource, 200 otherwise */
  status?: 200 | 201;
  response?: z.ZodType;
  responseDescription?: string;
  run: (ctx: ServiceContext, input: ManageInput) => unknown;
}

export function registerOps(app: MachineApi, tag: string, ops: ManageOp[]): void {
  for (const op of ops) {
    const status = op.status ?? 200;
    const route = createRoute({
      method: op.method,
      path: op.path,
      tags: [tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      security,
      request: {
        ...(op.params ? { params: op.params } : {}),
        ...(op.query ? { query: op.query } : {}),
        ...(op.body ? { body: { required: op.bodyRequired ?? true, content: { 'application/json': { schema: op.body } } } } : {}),
      },
      responses: {
        [status]: { description: op.responseDescription ?? (status === 201 ? 'Created' : 'OK'), content: { 'application/json': { schema: op.response ?? z.any() } } },
        ...errorResponses,
      },
    } as RouteConfig);
    app.openapi(route, async (c: Context<ApiEnv>) => {
      const result = await op.run(ctxOf(c), { params: c.req.param() as Record<string, string>, query: c.req.query(), body: op.body ? await rawBody(c) : undefined });
      return c.json((result ?? { ok: true }) as object, status);
    });
  }
}
