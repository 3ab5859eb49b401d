import { OpenAPIHono } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import { HTTPException } from 'hono/http-exception';
import type { AuthenticatedServer } from '../decisions/server-auth';
import type { ServiceContext } from '../context';
import { registerManageRoutes } from './manage/routes';
import type { DecisionRuntime } from '../decisions/runtime';
import { problemBody, toProblem } from './problem';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors';
import { jsonBody, MAX_BODY_BYTES, serverKeyAuth } from './middleware';
import { registerDecisionRoutes } from './routes/decisions';
import { registerSnapshotRoutes } from './routes/snapshot';
import { registerDecisionLogRoutes } from './routes/decision-logs';
import { registerToolSyncRoutes } from './routes/tools-sync';
import { registerAccessRequestRoutes } from './routes/access-requests';

// The machine API (API.md): a lean Hono app served by server.ts before Next sees the request.
export type ApiEnv = { Variables: { requestId: string; server: AuthenticatedServer; manageCtx: ServiceContext } };
export type MachineApi = OpenAPIHono<ApiEnv>;

export function createMachineApi(runtime: DecisionRuntime) {
  const app = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const invalidParams = result.error.issues.map((i) => ({ name: i.path.map(String).join('.') || '(body)', reason: i.message }));
        return c.json(problemBody('invalid_request', 'The request does not match the schema', c.get('requestId'), invalidParams), 400, {
          'content-type': 'application/problem+json',
        });
      }
    },
  });

  app.use('*', async (c, next) => {
    const requestId = randomUUID();
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    c.header('Cache-Control', 'no-store');
    // No id, name or filter can hold a NUL, and Postgres refuses one in text: a handler passing
    // it on answered 500 (e.g. GET /api/v1/manage/agents/%00). Refused once, for every route.
    if (c.req.url.includes('%00')) {
      return c.json(problemBody('invalid_request', 'The URL may not contain NUL (%00)', requestId), 400, { 'content-type': 'application/problem+json' });
    }
    await next();
  });

  app.onError((err, c) => {
    const requestId = c.get('requestId') ?? randomUUID();
    if (err instanceof HTTPException) {
      // hono's own validators (e.g. malformed JSON) speak problem+json too
      const code = err.status === 413 ? 'payload_too_large' : err.status === 415 ? 'unsupported_media_type' : 'invalid_request';
      return c.json(problemBody(code, err.message || 'Invalid request', requestId), err.status === 413 || err.status === 415 ? err.status : 400, { 'content-type': 'application/problem+json' });
    }
    const { problem, retryAfter } = toProblem(err, requestId);
    if (problem.status >= 500 && problem.code === 'internal') console.error('machine API error', err);
    if (retryAfter) c.header('Retry-After', String(retryAfter));
    return c.json(problem, problem.status as 400, { 'content-type': 'application/problem+json' });
  });

  app.notFound((c) => c.json(problemBody('not_found', 'No such endpoint', c.get('requestId')), 404, { 'content-type': 'application/problem+json' }));

  app.openAPIRegistry.registerComponent('securitySchemes', 'serverKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'The MCP server’s own key: twk_<keyId>_<secret>',
  });

  // A body is never buffered past the limit, even a chunked one without Content-Length (the
  // JSON rules below read it whole, before any authentication). A declared length is checked
  // by those rules without touching the stream, which lets the server discard an oversized
  // body and still deliver its 413.
  const streamLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', `Body over ${MAX_BODY_BYTES} bytes`);
    },
  });
  app.use('/api/v1/*', (c, next) => (c.req.header('content-length') !== undefined && c.req.header('transfer-encoding') === undefined ? next() : streamLimit(c, next)));
  // everything but the OpenAPI document: JSON body rules, then the server key
  app.use('/api/v1/*', async (c, next) => (c.req.path === '/api/v1/openapi.json' || c.req.path.startsWith('/api/v1/manage/') ? next() : jsonBody(c, next)));
  const auth = serverKeyAuth(runtime);
  app.use('/api/v1/*', async (c, next) => (c.req.path === '/api/v1/openapi.json' || c.req.path.startsWith('/api/v1/manage/') ? next() : auth(c, next)));

  registerManageRoutes(app);
  registerDecisionRoutes(app, runtime);
  registerSnapshotRoutes(app, runtime);
  registerDecisionLogRoutes(app);
  registerToolSyncRoutes(app, runtime);
  registerAccessRequestRoutes(app, runtime);

  app.doc31('/api/v1/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Toolwarden machine API', version: '1.0.0', description: 'Decision API for MCP servers (see API.md).' },
  });

  return app;
}
