import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../errors';
import { CLIENT_IP_HEADER } from '../../auth/client-ip';
import { completeAccessRequest, createAgentAccessRequest, waitForAccessRequest, getAccessRequestForServer } from '../../requests/agent-requests';
import { accessRequestStateSchema, agentAccessRequestCreatedSchema, agentAccessRequestSchema } from '../../requests/schemas';
import type { DecisionRuntime } from '../../decisions/runtime';
import type { MachineApi } from '../app';
import { commonErrors, notFoundError } from '../responses';
import { serverKeySecurity, SubjectSchema, ProblemSchema } from '../schemas';
import { serverContext } from '../server-context';

const CreateSchema = agentAccessRequestSchema.extend({ subject: SubjectSchema }).openapi('AccessRequestCreate');
// ids are generated (req_<ulid>); anything else cannot exist, and a NUL reaching Postgres was a 500
const idParam = z.object({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'Not an access request id') });

const createRouteDef = createRoute({
  method: 'post',
  path: '/api/v1/access-requests',
  summary: 'An agent escalates: file an access request',
  description: 'The agent is the one authenticated from `subject`. A pending request for the same agent, tool and task is returned instead of a duplicate (200).',
  security: serverKeySecurity,
  request: { body: { required: true, content: { 'application/json': { schema: CreateSchema } } } },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: agentAccessRequestCreatedSchema } } },
    200: { description: 'An identical pending request already exists', content: { 'application/json': { schema: agentAccessRequestCreatedSchema } } },
    403: { description: 'The agent could not be authenticated, or is suspended', content: { 'application/problem+json': { schema: ProblemSchema } } },
    ...notFoundError,
    ...commonErrors,
  },
});

const getRouteDef = createRoute({
  method: 'get',
  path: '/api/v1/access-requests/{id}',
  summary: 'Status of an access request (long poll with ?wait=N)',
  security: serverKeySecurity,
  request: { params: idParam, query: z.object({ wait: z.coerce.number().int().min(0).max(60).optional() }) },
  responses: { 200: { description: 'The request', content: { 'application/json': { schema: accessRequestStateSchema } } }, ...notFoundError, ...commonErrors },
});

const completeRouteDef = createRoute({
  method: 'post',
  path: '/api/v1/access-requests/{id}/complete',
  summary: 'The task is done: the grant it produced ends now',
  security: serverKeySecurity,
  request: { params: idParam },
  responses: { 200: { description: 'The request after completion', content: { 'application/json': { schema: accessRequestStateSchema } } }, ...notFoundError, ...commonErrors },
});

export function registerAccessRequestRoutes(app: MachineApi, runtime: DecisionRuntime): void {
  const ctxOf = async (c: Parameters<Parameters<MachineApi['openapi']>[1]>[0]) => {
    const server = c.get('server');
    const record = (await runtime.cache.get(server.tenantId)).servers.get(server.serverId)!;
    return { server, ctx: serverContext(server, record.name, c.get('requestId'), { ip: c.req.header(CLIENT_IP_HEADER), userAgent: c.req.header('user-agent') }) };
  };

  app.openapi(createRouteDef, async (c) => {
    const { subject, ...input } = c.req.valid('json');
    const { server, ctx } = await ctxOf(c);
    const { authn } = await runtime.decisions.authenticate(server, subject);
    if (authn.status !== 'verified' || !authn.agentId) {
      // the same authentication as a decision; a request never comes from an unknown caller
      throw new AppError('forbidden', `The agent could not be authenticated (${authn.reason})`);
    }
    const created = await createAgentAccessRequest(ctx, { serverId: server.serverId, agentId: authn.agentId, onBehalfOf: authn.onBehalfOf }, input);
    return c.json(created, created.existing ? 200 : 201);
  });

  app.openapi(getRouteDef, async (c) => {
    const { id } = c.req.valid('param');
    const { wait = 0 } = c.req.valid('query');
    const { server, ctx } = await ctxOf(c);
    const state = wait > 0 ? await waitForAccessRequest(ctx, server.serverId, id, wait, { signal: c.req.raw.signal }) : await getAccessRequestForServer(ctx, server.serverId, id);
    return c.json(state, 200);
  });

  app.openapi(completeRouteDef, async (c) => {
    const { id } = c.req.valid('param');
    const { server, ctx } = await ctxOf(c);
    return c.json(await completeAccessRequest(ctx, server.serverId, id), 200);
  });
}
