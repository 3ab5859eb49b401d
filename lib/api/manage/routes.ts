import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { CLIENT_IP_HEADER } from '../../auth/client-ip';
import type { ServiceContext } from '../../context';
import { createAgent, deleteAgent, getAgent, listAgents, setAgentStatus, updateAgent } from '../../agents/service';
import { createIdentity, deleteIdentity, setIdentityStatus } from '../../agents/identities';
import { createAgentSchema, createIdentitySchema, updateAgentSchema } from '../../agents/schemas';
import type { ApiEnv, MachineApi } from '../app';
import { jsonBody } from '../middleware';
import { ProblemSchema } from '../schemas';
import { authenticatePersonalToken } from './auth';

// The management API (API.md "Management API"): the console's operations for automation, with
// the same services (so the same validation, guardrails, permissions and audit), authenticated
// by a user's personal token and limited to that user's current role and tenant.

const security = [{ personalToken: [] as string[] }];
const problem = (d: string) => ({ description: d, content: { 'application/problem+json': { schema: ProblemSchema } } });
const errors = { 400: problem('Invalid input'), 401: problem('Personal token missing, invalid, expired or revoked'), 403: problem('The token’s user may not do this'), 404: problem('Not found (or another tenant’s)'), 409: problem('Conflict') };
const json = <S extends z.ZodType>(schema: S) => ({ content: { 'application/json': { schema } } });
const anyJson = { description: 'OK', content: { 'application/json': { schema: z.any() } } };
const idParam = z.object({ id: z.string().min(1).max(64) });
const statusBody = z.object({ status: z.enum(['active', 'suspended']) });
const identityStatusBody = z.object({ status: z.enum(['active', 'disabled']) });

const ctxOf = (c: Context<ApiEnv>): ServiceContext => c.get('manageCtx');

export function registerManageRoutes(app: MachineApi): void {
  app.use('/api/v1/manage/*', jsonBody);
  app.use('/api/v1/manage/*', async (c, next) => {
    c.set(
      'manageCtx',
      await authenticatePersonalToken(c.req.header('authorization'), { requestId: c.get('requestId'), ip: c.req.header(CLIENT_IP_HEADER) ?? null, userAgent: c.req.header('user-agent') ?? null }),
    );
    return next();
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'personalToken', { type: 'http', scheme: 'bearer', description: 'A console user’s personal API token: twp_<id>_<secret>' });

  const tag = ['manage: agents'];
  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/manage/agents', tags: tag, summary: 'List agents', security, request: { query: z.object({ q: z.string().optional(), status: z.enum(['active', 'suspended']).optional(), cursor: z.string().optional(), limit: z.string().optional() }) }, responses: { 200: anyJson, ...errors } }),
    async (c) => c.json(await listAgents(ctxOf(c), c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/v1/manage/agents', tags: tag, summary: 'Create an agent', security, request: { body: { required: true, ...json(createAgentSchema) } }, responses: { 201: anyJson, ...errors } }),
    async (c) => c.json(await createAgent(ctxOf(c), c.req.valid('json')), 201),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/manage/agents/{id}', tags: tag, summary: 'Get an agent with its identities', security, request: { params: idParam }, responses: { 200: anyJson, ...errors } }),
    async (c) => c.json(await getAgent(ctxOf(c), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/api/v1/manage/agents/{id}', tags: tag, summary: 'Update an agent', security, request: { params: idParam, body: { required: true, ...json(updateAgentSchema) } }, responses: { 200: anyJson, ...errors } }),
    async (c) => c.json(await updateAgent(ctxOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/v1/manage/agents/{id}', tags: tag, summary: 'Delete an agent (its identities and grants go with it)', security, request: { params: idParam }, responses: { 200: anyJson, ...errors } }),
    async (c) => c.json(await deleteAgent(ctxOf(c), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/v1/manage/agents/{id}/status', tags: tag, summary: 'Suspend or reactivate an agent', security, request: { params: idParam, body: { required: true, ...json(statusBody) } }, responses: { 200: anyJson, ...errors } }),
    async (c) => c.json(await setAgentStatus(ctxOf(c), c.req.valid('param').id, c.req.valid('json').status), 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/v1/manage/agents/{id}/identities', tags: tag, summary: 'Bind a workload identity to an agent', security, request: { params: idParam, body: { required: true, ...json(createIdentitySchema) } }, responses: { 201: anyJson, ...errors } }),
    async (c) => c.json(await createIdentity(ctxOf(c), c.req.valid('param').id, c.req.valid('json')), 201),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/v1/manage/identities/{id}/status', tags: tag, summary: 'Disable or enable an identity', security, request: { params: idParam, body: { required: true, ...json(identityStatusBody) } }, responses: { 200: anyJson, ...errors } }),
    async (c) => c.json(await setIdentityStatus(ctxOf(c), c.req.valid('param').id, c.req.valid('json').status === 'active' ? 'active' : 'disabled'), 200),
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/v1/manage/identities/{id}', tags: tag, summary: 'Delete an identity', security, request: { params: idParam }, responses: { 200: anyJson, ...errors } }),
    async (c) => c.json(await deleteIdentity(ctxOf(c), c.req.valid('param').id), 200),
  );
}
