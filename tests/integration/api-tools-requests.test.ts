import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { newId } from '../../lib/ids';
import { createPolicyWorld, startApi, within, type PolicyWorld, type RunningApi } from './api-harness';

let api: RunningApi;
let w: PolicyWorld;
beforeAll(async () => {
  w = await createPolicyWorld('treq');
  api = await startApi();
});
afterAll(async () => {
  await api.close();
  await disconnectDb();
});

describe('POST /api/v1/tools/sync', () => {
  it('200: new tools arrive unclassified and are denied until classified', async () => {
    const res = await api.post('/api/v1/tools/sync', { tools: [{ name: 'get_invoice', description: 'changed text' }, { name: 'brand_new', annotations: { readOnlyHint: true } }] }, w.key);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.created).toBe(1);
    expect(body.tools.find((t: { name: string }) => t.name === 'brand_new')).toMatchObject({ status: 'unclassified', suggestedRisk: 'low' });
    const token = await w.mint(w.agents.billing.spiffeId);
    await within(1000, async () => (await (await api.post('/api/v1/decisions', { subject: { token }, tool: 'brand_new' }, w.key)).json()).authorization.reason === 'tool_unclassified');
    const events = await db().auditEvent.findMany({ where: { tenantId: w.t.tenantId, event: { in: ['tool.created', 'tool.definition_changed'] } } });
    expect(events.map((e) => e.actorType)).toEqual(['server', 'server']);
  });

  it('400 for duplicate names, nothing written; 401 without a key', async () => {
    const before = await db().tool.count({ where: { tenantId: w.t.tenantId } });
    const res = await api.post('/api/v1/tools/sync', { tools: [{ name: 'dup' }, { name: 'dup' }] }, w.key);
    expect(res.status).toBe(400);
    expect(await db().tool.count({ where: { tenantId: w.t.tenantId } })).toBe(before);
    expect((await api.post('/api/v1/tools/sync', { tools: [] }, null)).status).toBe(401);
  });
});

describe('access requests', () => {
  const file = async (token: string, extra: Record<string, unknown> = {}) =>
    api.post('/api/v1/access-requests', { subject: { token }, tool: 'create_refund', actions: ['write'], durationSeconds: 600, justification: 'Refund for ticket 4471', taskId: 'task-1', ...extra }, w.key);

  it('201 created; 200 with the same request when filed again', async () => {
    const token = await w.mint(w.agents.billing.spiffeId);
    const res = await file(token);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'pending', existing: false });
    const again = await file(token);
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(body.id);
  });

  it('403 when the agent cannot be authenticated; nothing filed', async () => {
    const before = await db().accessRequest.count({ where: { tenantId: w.t.tenantId } });
    const bad = await w.mint(w.agents.billing.spiffeId, { audience: 'https://elsewhere' });
    const res = await file(bad);
    expect(res.status).toBe(403);
    expect(await db().accessRequest.count({ where: { tenantId: w.t.tenantId } })).toBe(before);
  });

  it('400 for a duration over the policy maximum; 404 for an unknown tool', async () => {
    const token = await w.mint(w.agents.billing.spiffeId);
    const long = await file(token, { durationSeconds: 86_400, taskId: 'long' });
    expect(long.status).toBe(400);
    expect((await long.json()).invalidParams[0].name).toBe('durationSeconds');
    expect((await file(token, { tool: 'no_such_tool', taskId: 'x' })).status).toBe(404);
  });

  it('GET: 200 for this server, 404 for another server; long poll sees the approval; complete ends the grant', async () => {
    const token = await w.mint(w.agents.billing.spiffeId);
    const { id } = await (await file(token, { taskId: 'loop' })).json();
    expect((await api.get(`/api/v1/access-requests/${id}`, w.key)).status).toBe(200);
    expect((await api.get(`/api/v1/access-requests/${id}`, w.otherKey)).status).toBe(404);

    // approval itself comes with the approvals workflow; simulate its result in the database
    const pending = api.get(`/api/v1/access-requests/${id}?wait=10`, w.key);
    const grantId = newId('grant');
    setTimeout(() => {
      db()
        .$transaction([
          db().grant.create({ data: { id: grantId, tenantId: w.t.tenantId, agentId: w.agents.billing.id, toolId: w.tools.create_refund, kind: 'jit', actions: ['write'], expiresAt: new Date(Date.now() + 600_000), sourceRequestId: id } }),
          db().accessRequest.update({ where: { id }, data: { status: 'approved', grantId, decidedAt: new Date() } }),
        ])
        .then(() => {});
    }, 300);
    const approved = await (await pending).json();
    expect(approved).toMatchObject({ status: 'approved', grantId });
    const ask = async () => (await (await api.post('/api/v1/decisions', { subject: { token }, tool: 'create_refund', action: 'write' }, w.key)).json()).allow as boolean;
    await within(1000, ask);

    const done = await api.post(`/api/v1/access-requests/${id}/complete`, {}, w.key);
    expect(done.status).toBe(200);
    expect((await db().grant.findUniqueOrThrow({ where: { id: grantId } })).revokedAt).not.toBeNull();
    await within(1000, async () => !(await ask()));
    expect((await api.post(`/api/v1/access-requests/${id}/complete`, {}, w.otherKey)).status).toBe(404);
  });
});
