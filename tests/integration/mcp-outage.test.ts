import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { db, disconnectDb } from '../../lib/db/client';
import { newId } from '../../lib/ids';
import { Toolwarden, type ToolDecision } from '../../sdk/src/index';
import { createPolicyWorld, within, type PolicyWorld } from './api-harness';
import { connectClient, executed, startProtectedMcp, startStoppableApi, text, type RunningMcp, type StoppableApi } from './mcp-harness';

// The Toolwarden API goes away in the middle of an MCP session and comes back on another address
// (same database). Remote mode refuses every call while it is away (fail closed); local mode keeps
// deciding from its snapshot, buffers the decision log and uploads all of it when the API returns.

let w: PolicyWorld;
let api: StoppableApi;
let apiUrl: string;
const baseUrl = () => apiUrl;

const local: ToolDecision[] = [];
const remote: ToolDecision[] = [];
let localTw: Toolwarden;
let remoteTw: Toolwarden;
let localMcp: RunningMcp;
let remoteMcp: RunningMcp;
let localClient: Client;
let remoteClient: Client;
let idleClient: Client;
let countedGrant: string;

const options = { baseUrl, backoff: { initialMs: 50, maxMs: 300 }, decisionLogs: { flushIntervalMs: 20 } } as const;

beforeAll(async () => {
  w = await createPolicyWorld('mcpdown');
  // an N-use grant: only the API may count its uses
  countedGrant = (await db().grant.create({ data: { id: newId('grant'), tenantId: w.t.tenantId, agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'], maxUses: 5 } })).id;
  api = await startStoppableApi();
  apiUrl = api.url;
  localTw = new Toolwarden({ ...options, serverKey: w.key, mode: 'local', onDecision: (e) => local.push(e.decision) });
  remoteTw = new Toolwarden({ ...options, serverKey: w.key, mode: 'remote', onDecision: (e) => remote.push(e.decision) });
  await Promise.all([localTw.start(), remoteTw.start()]);
  localMcp = await startProtectedMcp(localTw);
  remoteMcp = await startProtectedMcp(remoteTw);
  const support = await w.mint(w.agents.support.spiffeId, { ttl: 600 });
  localClient = await connectClient(localMcp.url, support);
  remoteClient = await connectClient(remoteMcp.url, support);
  idleClient = await connectClient(localMcp.url, await w.mint(w.agents.idle.spiffeId, { ttl: 600 }));
});

afterAll(async () => {
  for (const c of [localClient, remoteClient, idleClient]) await c?.close().catch(() => {});
  await localMcp?.close();
  await remoteMcp?.close();
  await localTw?.close({ flushTimeoutMs: 2000 });
  await remoteTw?.close();
  await api?.close().catch(() => {});
  await disconnectDb();
});

const invoice = (c: Client, id: string) => c.callTool({ name: 'get_invoice', arguments: { id } });

describe('the API stops mid-session', () => {
  it('both modes allow while the API is up; N-use grants are decided by the API even in local mode', async () => {
    expect((await invoice(localClient, 'up-local')).isError).toBeFalsy();
    expect((await invoice(remoteClient, 'up-remote')).isError).toBeFalsy();
    expect(local.at(-1)!.source).toBe('local');
    const counted = await invoice(idleClient, 'counted-1');
    expect(counted.isError).toBeFalsy();
    expect(local.at(-1)).toMatchObject({ source: 'remote', grantId: countedGrant });
    expect((await db().grant.findUniqueOrThrow({ where: { id: countedGrant } })).uses).toBe(1);
  });

  it('remote mode fails closed; local mode keeps deciding and buffers its log', async () => {
    await api.close();
    const localBefore = local.length;

    const refused = await invoice(remoteClient, 'down-remote');
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('could not be asked');
    expect(remote.at(-1)).toMatchObject({ allow: false, source: 'fail_closed', reason: 'unavailable' });
    expect(executed).not.toContain('get_invoice:down-remote');

    for (let i = 0; i < 5; i++) {
      const r = await invoice(localClient, `down-local-${i}`);
      expect(r.isError).toBeFalsy();
      expect(executed).toContain(`get_invoice:down-local-${i}`);
    }
    const refund = await localClient.callTool({ name: 'create_refund', arguments: { payment: 'p-down', amount: 1 } });
    expect(refund.isError).toBe(true);
    expect(text(refund)).toContain('approval_required');
    // the N-use grant needs the API to count the use: unreachable → deny
    const counted = await invoice(idleClient, 'counted-down');
    expect(counted.isError).toBe(true);
    expect(local.at(-1)).toMatchObject({ source: 'fail_closed', reason: 'unavailable' });

    const during = local.slice(localBefore).filter((d) => d.source === 'local');
    expect(during.length).toBe(6);
    expect(await db().decisionLog.count({ where: { id: { in: during.map((d) => d.decisionId!) } } })).toBe(0);
    expect(localTw.status.pendingDecisionLogs).toBeGreaterThanOrEqual(6);
    expect(localTw.status.policyWatch).toBe('disconnected');
  });

  it('when the API returns (new address, same database) every buffered decision is uploaded, none lost', async () => {
    api = await startStoppableApi();
    apiUrl = api.url;
    const ids = local.filter((d) => d.source === 'local').map((d) => d.decisionId!);
    expect(new Set(ids).size).toBe(ids.length);
    await within(10_000, async () => (await db().decisionLog.count({ where: { id: { in: ids } } })) === ids.length);
    const rows = await db().decisionLog.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.source === 'local' && r.serverId === w.server.id && r.tenantId === w.t.tenantId)).toBe(true);
    expect(rows.filter((r) => r.allow && r.agentId === w.agents.support.id).length).toBeGreaterThanOrEqual(6);
    expect(localTw.status.pendingDecisionLogs).toBe(0);

    // remote mode answers again
    expect((await invoice(remoteClient, 'back-remote')).isError).toBeFalsy();
    await within(5_000, async () => localTw.status.policyWatch === 'following');
  });

  it('a full decision log buffer denies instead of dropping entries', async () => {
    const tiny = new Toolwarden({ ...options, serverKey: w.key, mode: 'local', decisionLogs: { maxBuffered: 2, flushIntervalMs: 60_000 } });
    await tiny.start();
    const token = await w.mint(w.agents.support.spiffeId);
    await api.close();
    try {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await tiny.check(token, { tool: 'get_invoice', action: 'read', resource: `invoice:${i}` }));
      expect(answers.map((a) => a.allow)).toEqual([true, true, false]);
      expect(answers[2]).toMatchObject({ source: 'fail_closed', reason: 'decision_log_full', decisionId: null });
    } finally {
      api = await startStoppableApi();
      apiUrl = api.url;
    }
    expect(await tiny.flushDecisionLogs(10_000)).toBe(true);
    await tiny.close();
  });
});
