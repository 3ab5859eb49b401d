import { createRoute } from '@hono/zod-openapi';
import { syncTools } from '../../tools/sync';
import { toolSyncInputSchema, toolSyncResultSchema } from '../../tools/schemas';
import { CLIENT_IP_HEADER } from '../../auth/client-ip';
import type { DecisionRuntime } from '../../decisions/runtime';
import type { MachineApi } from '../app';
import { commonErrors } from '../responses';
import { serverKeySecurity } from '../schemas';
import { serverContext } from '../server-context';

const route = createRoute({
  method: 'post',
  path: '/api/v1/tools/sync',
  summary: 'Register this server’s tools/list',
  description: 'New tools are created unclassified (every call denied with tool_unclassified) with a risk suggested from their MCP annotations. Changed definitions are recorded in the audit trail and flagged when live grants exist.',
  security: serverKeySecurity,
  request: { body: { required: true, content: { 'application/json': { schema: toolSyncInputSchema } } } },
  responses: { 200: { description: 'What changed', content: { 'application/json': { schema: toolSyncResultSchema } } }, ...commonErrors },
});

export function registerToolSyncRoutes(app: MachineApi, runtime: DecisionRuntime): void {
  app.openapi(route, async (c) => {
    const server = c.get('server');
    const record = (await runtime.cache.get(server.tenantId)).servers.get(server.serverId)!;
    const ctx = serverContext(server, record.name, c.get('requestId'), { ip: c.req.header(CLIENT_IP_HEADER), userAgent: c.req.header('user-agent') });
    return c.json(await syncTools(ctx, server.serverId, c.req.valid('json')), 200);
  });
}
