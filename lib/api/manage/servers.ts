import { z } from '@hono/zod-openapi';
import { createServerKey, createServerKeySchema, revokeServerKey } from '../../servers/keys';
import { listServerKeysPage } from '../../servers/key-list';
import { createServer, getServer, listServers, setServerStatus, updateServer } from '../../servers/service';
import { createServerSchema, serverListQuerySchema, serverStatusSchema, updateServerSchema } from '../../servers/schemas';
import type { MachineApi } from '../app';
import { idParam, pageQuery, registerOps } from './shared';

// MCP servers (servers.manage: security and admin) and their keys (server_keys.manage). A new
// key's secret is in the 201 body and nowhere else, ever; lists show prefixes only.

const keyListQuery = pageQuery(z.object({ state: z.enum(['active', 'all']).optional().openapi({ description: '`active`: neither revoked nor expired (default `all`)' }) }));

const CreatedKeySchema = z.object({
  id: z.string(),
  prefix: z.string(),
  name: z.string(),
  expiresAt: z.string().nullable(),
  serverId: z.string(),
  key: z.string().openapi({ description: 'The full key, twk_<id>_<secret>. Shown in this response only; store it now.' }),
});

export function registerServerRoutes(app: MachineApi): void {
  registerOps(app, 'manage: servers', [
    { method: 'get', path: '/api/v1/manage/servers', summary: 'List MCP servers', description: 'Newest first, with tool, unclassified-tool and active-key counts.', query: pageQuery(serverListQuerySchema), run: (ctx, r) => listServers(ctx, r.query) },
    {
      method: 'post',
      path: '/api/v1/manage/servers',
      summary: 'Register an MCP server',
      description: 'Name and audience are unique in the tenant (409).',
      body: createServerSchema,
      status: 201,
      run: (ctx, r) => createServer(ctx, r.body),
    },
    { method: 'get', path: '/api/v1/manage/servers/{id}', summary: 'Get an MCP server', params: idParam, run: (ctx, r) => getServer(ctx, r.params.id) },
    { method: 'patch', path: '/api/v1/manage/servers/{id}', summary: 'Update an MCP server', params: idParam, body: updateServerSchema, run: (ctx, r) => updateServer(ctx, r.params.id, r.body) },
    {
      method: 'post',
      path: '/api/v1/manage/servers/{id}/status',
      summary: 'Disable or enable an MCP server',
      description: 'Disabling refuses its keys at once; its tools and grants stay.',
      params: idParam,
      body: serverStatusSchema,
      run: (ctx, r) => setServerStatus(ctx, r.params.id, r.body),
    },
    { method: 'get', path: '/api/v1/manage/servers/{id}/keys', summary: 'List a server’s keys (prefixes only)', params: idParam, query: keyListQuery, run: (ctx, r) => listServerKeysPage(ctx, r.params.id, r.query) },
    {
      method: 'post',
      path: '/api/v1/manage/servers/{id}/keys',
      summary: 'Create a server key',
      description: 'The full key is in this response and nowhere else. The body may be omitted (no name, no expiry).',
      params: idParam,
      body: createServerKeySchema,
      bodyRequired: false,
      status: 201,
      response: CreatedKeySchema,
      responseDescription: 'The new key, secret included (once)',
      run: (ctx, r) => createServerKey(ctx, r.params.id, r.body ?? {}),
    },
    {
      method: 'post',
      path: '/api/v1/manage/server-keys/{id}/revoke',
      summary: 'Revoke a server key',
      description: 'Refused by the machine API within a second. Revoking a revoked key changes nothing.',
      params: idParam,
      run: (ctx, r) => revokeServerKey(ctx, r.params.id),
    },
  ]);
}
