import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { newId } from '../../lib/ids';
import { createPolicyWorld, startApi, type PolicyWorld, type RunningApi } from './api-harness';

let api: RunningApi;
let w: PolicyWorld;
let other: PolicyWorld;

beforeAll(async () => {
  w = await createPolicyWorld('snap');
  other = await createPolicyWorld('snapother');
  api = await startApi();
});
afterAll(async () => {
  await api.close();
  await disconnectDb();
});

describe('GET /api/v1/snapshot', () => {
  it('200 with a strong ETag: only this server’s tools and the grants on them', async () => {
    const res = await api.get('/api/v1/snapshot', w.key);
    expect(res.status).toBe(200);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    const body = await res.json();
    expect(body.server.id).toBe(w.server.id);
    const toolIds = body.policy.tools.map((t: { id: string }) => t.id);
    expect(toolIds).toContain(w.tools.get_invoice);
    expect(toolIds).not.toContain(w.tools.other_server_tool);
    expect(body.policy.grants.every((g: { toolId: string }) => toolIds.includes(g.toolId))).toBe(true);
    const text = JSON.stringify(body);
    expect(text).not.toContain(other.t.tenantId);
    expect(text).not.toContain(other.agents.billing.id);
    expect(text).not.toMatch(/"d":/); // no private key material
  });

  it('304 for the current ETag', async () => {
    const etag = (await api.get('/api/v1/snapshot', w.key)).headers.get('etag')!;
    const res = await api.get('/api/v1/snapshot', w.key, { 'if-none-match': etag });
    expect(res.status).toBe(304);
  });

  it('long poll returns as soon as a grant on this server changes', async () => {
    const etag = (await api.get('/api/v1/snapshot', w.key)).headers.get('etag')!;
    const started = Date.now();
    const pending = api.get('/api/v1/snapshot?wait=10', w.key, { 'if-none-match': etag });
    setTimeout(() => {
      // a Prisma query runs only when awaited/then-ed
      db().grant.create({ data: { id: newId('grant'), tenantId: w.t.tenantId, agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'] } }).then(() => {});
    }, 300);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).not.toBe(etag);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('long poll ends at the wait limit with 304 when nothing changes', async () => {
    const etag = (await api.get('/api/v1/snapshot', w.key)).headers.get('etag')!;
    const started = Date.now();
    const res = await api.get('/api/v1/snapshot?wait=1', w.key, { 'if-none-match': etag });
    expect(res.status).toBe(304);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('400 for wait above 60, 401 without a key', async () => {
    expect((await api.get('/api/v1/snapshot?wait=61', w.key)).status).toBe(400);
    expect((await api.get('/api/v1/snapshot', null)).status).toBe(401);
  });
});

describe('POST /api/v1/decision-logs', () => {
  const entry = (n: number) => ({
    decisionId: newId('decision'),
    time: new Date().toISOString(),
    tool: 'get_invoice',
    action: 'read' as const,
    allow: n % 2 === 0,
    reason: n % 2 === 0 ? ('granted' as const) : ('no_grant' as const),
    agentId: w.agents.support.id,
    subject: w.agents.support.spiffeId,
  });

  it('202 with counts; re-sending the same entries stores nothing twice', async () => {
    const entries = Array.from({ length: 5 }, (_, i) => entry(i));
    const first = await api.post('/api/v1/decision-logs', { entries }, w.key);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ received: 5, stored: 5, duplicates: 0 });
    const again = await (await api.post('/api/v1/decision-logs', { entries }, w.key)).json();
    expect(again).toEqual({ received: 5, stored: 0, duplicates: 5 });
    const rows = await db().decisionLog.findMany({ where: { id: { in: entries.map((e) => e.decisionId) } } });
    expect(rows).toHaveLength(5);
    // tenant and server come from the key, whatever the body says
    expect(rows.every((r) => r.tenantId === w.t.tenantId && r.serverId === w.server.id && r.source === 'local')).toBe(true);
  });

  it('400 for bad entries and more than 1000; nothing stored', async () => {
    const bad = await api.post('/api/v1/decision-logs', { entries: [{ ...entry(0), decisionId: 'x' }] }, w.key);
    expect(bad.status).toBe(400);
    const future = entry(0);
    const res = await api.post('/api/v1/decision-logs', { entries: [{ ...future, time: new Date(Date.now() + 3_600_000).toISOString() }] }, w.key);
    expect(res.status).toBe(400);
    expect(await db().decisionLog.count({ where: { id: future.decisionId } })).toBe(0);
    const tooMany = await api.post('/api/v1/decision-logs', { entries: Array.from({ length: 1001 }, (_, i) => entry(i)) }, w.key);
    expect([400, 413]).toContain(tooMany.status);
  });

  it('401 without a key', async () => {
    expect((await api.post('/api/v1/decision-logs', { entries: [entry(0)] }, null)).status).toBe(401);
  });
});

describe('cross-tenant', () => {
  it("another tenant's valid token is not accepted by this tenant's server", async () => {
    const token = await other.mint(other.agents.support.spiffeId, { audience: w.server.audience });
    const body = await (await api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice' }, w.key)).json();
    expect(body.allow).toBe(false);
    expect(body.authentication.status).toBe('failed');
    expect(['issuer_unknown', 'token_signature_invalid']).toContain(body.authentication.reason);
  });
});
