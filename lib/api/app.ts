import { OpenAPIHono } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import { problemBody, toProblem } from './problem';

// The machine API (API.md): a lean Hono app served by server.ts before Next sees the request.
export type ApiEnv = { Variables: { requestId: string } };

export function createMachineApi() {
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
    await next();
  });

  app.onError((err, c) => {
    const { problem, retryAfter } = toProblem(err, c.get('requestId') ?? randomUUID());
    if (problem.status >= 500 && problem.code === 'internal') console.error('machine API error', err);
    if (retryAfter) c.header('Retry-After', String(retryAfter));
    return c.json(problem, problem.status as 400, { 'content-type': 'application/problem+json' });
  });

  app.notFound((c) => c.json(problemBody('not_found', 'No such endpoint', c.get('requestId')), 404, { 'content-type': 'application/problem+json' }));

  app.doc31('/api/v1/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Toolwarden machine API', version: '1.0.0', description: 'Decision API for MCP servers (see API.md).' },
  });

  return app;
}
