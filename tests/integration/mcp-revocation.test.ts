import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { db, disconnectDb } from '../../lib/db/client';
import { newId } from '../../lib/ids';
import { Toolwarden, type ToolDecision } from '../../sdk/src/index';
import { createPolicyWorld, startApi, within, type PolicyWorld, type RunningApi } from './api-harness';
import { connectClient, startProtectedMcp, text, type RunningMcp } from './mcp-harness';

// Revoking a grant in the database stops the agent's next call within a second, in remote mode
// (even with the answer cached: the policy change feed drops it) and in local mode (the snapshot
// long poll brings the change).

let api: RunningApi;
let w: PolicyWorld;
const modes = ['remote', 'local'] as const;
const tw = {} as Record<(typeof modes)[number], Toolwarden>;
const mcp = {} as Record<(typeof modes)[number], RunningMcp>;
const client = {} as Record<(typeof modes)[number], Client>;
const seen = { remote: [] as ToolDecision[], local: [] as ToolDecision[] };

beforeAll(async () => {
  w = await createPolicyWorld('mcprevoke');
  // a second grant keeps the agent in the server's snapshot, so local mode decides the revocation itself
  await db().grant.create({ data: { id: newId('grant'), tenantId: w.t.tenantId, agentId: w.agents.support.id, toolId: w.tools.update_invoice, actions: ['read'] } });
  api = await startApi();
  const token = await w.mint(w.agents.support.spiffeId, { ttl: 600 });
  for (const mode of modes) {
    tw[mode] = new Toolwarden({ baseUrl: api.url, serverKey: w.key, mode, onDecision: (e) => seen[mode].push(e.decision) });
    await tw[mode].start();
    mcp[mode] = await startProtectedMcp(tw[mode]);
    client[mode] = await connectClient(mcp[mode].url, token);
  }
});

afterAll(async () => {
  for (const mode of modes) {
    await client[mode]?.close().catch(() => {});
    await mcp[mode]?.close();
    await tw[mode]?.close();
  }
  await api?.close();
  await disconnectDb();
});

const call = (mode: (typeof modes)[number]) => client[mode].callTool({ name: 'get_invoice', arguments: { id: '42' } });

describe('revoking a grant', () => {
  it('is enforced on the next call within a second, in both modes', async () => {
    for (const mode of modes) {
      expect((await call(mode)).isError).toBeFalsy();
      expect((await call(mode)).isError).toBeFalsy();
    }
    // remote mode reused the API's answer (cacheTtlSeconds) for the second call
    expect(seen.remote.at(-1)!.source).toBe('cache');
    expect(seen.local.at(-1)!.source).toBe('local');

    await db().grant.update({ where: { id: w.grants.supportRead }, data: { revokedAt: new Date(), revokeReason: 'test' } });
    // committed: from here the next call must be refused within a second
    const revokedAt = Date.now();
    const took = await Promise.all(
      modes.map((mode) =>
        within(1000, async () => {
          const result = await call(mode);
          return result.isError === true && text(result).includes('no_grant');
        }).then(() => Date.now() - revokedAt),
      ),
    );
    console.log(`revocation seen after ${took.join(" ms and ")} ms`);
    for (const ms of took) expect(ms).toBeLessThan(1000);
    expect(seen.remote.at(-1)).toMatchObject({ allow: false, reason: 'no_grant', source: 'remote' });
    expect(seen.local.at(-1)).toMatchObject({ allow: false, reason: 'no_grant', source: 'local' });
  });
});
