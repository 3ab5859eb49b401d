import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../errors';
import { serverSnapshot } from '../../decisions/server-snapshot';
import type { DecisionRuntime } from '../../decisions/runtime';
import type { AuthenticatedServer } from '../../decisions/server-auth';
import type { MachineApi } from '../app';
import { commonErrors } from '../responses';
import { serverKeySecurity } from '../schemas';

const SnapshotSchema = z
  .object({
    version: z.string(),
    server: z.object({ id: z.string(), name: z.string(), audience: z.string(), environment: z.string() }),
    policy: z.object({ tools: z.array(z.any()), grants: z.array(z.any()), denyRules: z.array(z.any()) }),
    trustDomains: z.array(z.any()),
    identities: z.array(z.any()),
    agents: z.array(z.any()),
  })
  .openapi('ServerSnapshot');

const route = createRoute({
  method: 'get',
  path: '/api/v1/snapshot',
  summary: 'This server’s policy snapshot, for local evaluation',
  security: serverKeySecurity,
  request: {
    query: z.object({ wait: z.coerce.number().int().min(0).max(60).optional().openapi({ description: 'Long poll: hold up to N seconds for a change' }) }),
    headers: z.object({ 'if-none-match': z.string().optional() }),
  },
  responses: {
    200: { description: 'The snapshot (strong ETag)', content: { 'application/json': { schema: SnapshotSchema } } },
    304: { description: 'Unchanged since If-None-Match' },
    ...commonErrors,
  },
});

async function current(runtime: DecisionRuntime, server: AuthenticatedServer) {
  const snap = await runtime.cache.get(server.tenantId);
  const record = snap.servers.get(server.serverId);
  if (!record || record.status !== 'active') throw new AppError('server_key_invalid', 'Missing, invalid, expired or revoked server key');
  return serverSnapshot(snap, record);
}

export function registerSnapshotRoutes(app: MachineApi, runtime: DecisionRuntime): void {
  app.openapi(route, async (c) => {
    const server = c.get('server');
    const { wait = 0 } = c.req.valid('query');
    const ifNoneMatch = c.req.header('if-none-match');
    let snap = await current(runtime, server);
    if (ifNoneMatch === snap.etag && wait > 0) {
      const deadline = Date.now() + wait * 1000;
      // wake on this tenant's policy changes; re-check the content (the change may not touch us)
      while (snap.etag === ifNoneMatch && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, deadline - Date.now());
          const off = runtime.cache.onChange((tenantId) => tenantId === server.tenantId && done());
          c.req.raw.signal?.addEventListener('abort', done);
          function done() {
            clearTimeout(timer);
            off();
            resolve();
          }
        });
        if (c.req.raw.signal?.aborted) break;
        snap = await current(runtime, server);
      }
    }
    c.header('ETag', snap.etag);
    if (ifNoneMatch === snap.etag) return c.body(null, 304);
    return c.json(snap.body, 200);
  });
}
