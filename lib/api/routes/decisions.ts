import { createRoute } from '@hono/zod-openapi';
import type { DecisionRuntime } from '../../decisions/runtime';
import type { MachineApi } from '../app';
import { commonErrors } from '../responses';
import { BatchRequestSchema, BatchResponseSchema, DecisionRequestSchema, DecisionResponseSchema, serverKeySecurity } from '../schemas';

const decideRoute = createRoute({
  method: 'post',
  path: '/api/v1/decisions',
  summary: 'Decide one tool call',
  description: 'Authenticates the agent, then authorizes the call. Allow and deny are both 200; the decision is logged before the response.',
  security: serverKeySecurity,
  request: { body: { required: true, content: { 'application/json': { schema: DecisionRequestSchema } } } },
  responses: { 200: { description: 'The decision', content: { 'application/json': { schema: DecisionResponseSchema } } }, ...commonErrors },
});

const batchRoute = createRoute({
  method: 'post',
  path: '/api/v1/decisions/batch',
  summary: 'Decide up to 100 checks for one subject',
  description: 'One authentication, results in request order. Used to filter tools/list.',
  security: serverKeySecurity,
  request: { body: { required: true, content: { 'application/json': { schema: BatchRequestSchema } } } },
  responses: { 200: { description: 'The decisions', content: { 'application/json': { schema: BatchResponseSchema } } }, ...commonErrors },
});

export function registerDecisionRoutes(app: MachineApi, runtime: DecisionRuntime): void {
  app.openapi(decideRoute, async (c) => {
    const { subject, ...check } = c.req.valid('json');
    const result = await runtime.decisions.decideOne(c.get('server'), subject, check, c.get('requestId'));
    return c.json(result, 200);
  });

  app.openapi(batchRoute, async (c) => {
    const { subject, checks } = c.req.valid('json');
    const result = await runtime.decisions.decideBatch(c.get('server'), subject, checks, c.get('requestId'));
    return c.json(result, 200);
  });
}
