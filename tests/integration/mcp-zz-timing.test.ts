import { afterAll, beforeAll, it } from 'vitest';
import { disconnectDb } from '../../lib/db/client';
import { Toolwarden } from '../../sdk/src/index';
import { createPolicyWorld, startApi, type PolicyWorld, type RunningApi } from './api-harness';
import { connectClient, startProtectedMcp } from './mcp-harness';
let api: RunningApi; let w: PolicyWorld;
beforeAll(async () => { w = await createPolicyWorld('timing'); api = await startApi(); });
afterAll(async () => { await api.close(); await disconnectDb(); });
it('timing', async () => {
  const tw = new Toolwarden({ baseUrl: api.url, serverKey: w.key, mode: 'local' });
  await tw.start();
  const mcp = await startProtectedMcp(tw);
  const c = await connectClient(mcp.url, await w.mint(w.agents.support.spiffeId));
  for (let i = 0; i < 10; i++) { const t = performance.now(); await c.callTool({ name: 'get_invoice', arguments: { id: 'x' } }); console.log('call', (performance.now() - t).toFixed(1)); }
  for (let i = 0; i < 3; i++) { const t = performance.now(); await c.listTools(); console.log('list', (performance.now() - t).toFixed(1)); }
  for (let i = 0; i < 3; i++) { const t = performance.now(); await tw.check(await w.mint(w.agents.support.spiffeId), { tool: 'get_invoice', action: 'read' }); console.log('check', (performance.now() - t).toFixed(1)); }
  await c.close(); await mcp.close(); await tw.close();
});
