import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { revokeServerKey } from '../../lib/servers/keys';
import { createPolicyWorld, decisionRows, startApi, within, type PolicyWorld, type RunningApi } from './api-harness';

let api: RunningApi;
let w: PolicyWorld;

beforeAll(async () => {
  w = await createPolicyWorld('dec');
  api = await startApi();
});
afterAll(async () => {
  await api.close();
  await disconnectDb();
});

const problem = async (res: Response) => {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.headers.get('x-request-id')).toBeTruthy();
  return res.json();
};

describe('POST /api/v1/decisions', () => {
  it('200 allow: a granted call, with authentication and authorization kept apart', async () => {
    const token = await w.mint(w.agents.support.spiffeId);
    const res = await api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice', action: 'read', resource: 'invoice:1' }, w.key);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    const body = await res.json();
    expect(body).toMatchObject({
      allow: true,
      authentication: { status: 'verified', reason: null, agentId: w.agents.support.id, subject: w.agents.support.spiffeId },
      authorization: { decision: 'allow', reason: 'granted', grantId: w.grants.supportRead },
    });
    expect(body.decisionId).toMatch(/^dec_/);
    expect(body.cacheTtlSeconds).toBeGreaterThan(0);
    const row = await db().decisionLog.findFirst({ where: { id: body.decisionId } });
    expect(row).toMatchObject({ allow: true, reason: 'granted', agentId: w.agents.support.id, tool: 'get_invoice', serverId: w.server.id });
  });

  it('200 deny: a valid token is not permission (no grant)', async () => {
    const token = await w.mint(w.agents.idle.spiffeId);
    const body = await (await api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice' }, w.key)).json();
    expect(body).toMatchObject({ allow: false, authentication: { status: 'verified' }, authorization: { decision: 'deny', reason: 'no_grant' } });
    expect(body.cacheTtlSeconds).toBe(0);
  });

  it('denies each authorization step with its reason', async () => {
    const billing = await w.mint(w.agents.billing.spiffeId);
    const ask = async (b: Record<string, unknown>) => (await (await api.post('/api/v1/decisions', { subject: { token: billing }, ...b }, w.key)).json()).authorization.reason;
    expect(await ask({ tool: 'nope' })).toBe('tool_unknown');
    expect(await ask({ tool: 'run_sql' })).toBe('tool_unclassified');
    expect(await ask({ tool: 'update_invoice', action: 'admin', resource: 'invoice:1' })).toBe('action_not_granted');
    expect(await ask({ tool: 'update_invoice', action: 'write', resource: 'customer:1' })).toBe('resource_not_granted');
    expect(await ask({ tool: 'update_invoice', action: 'write', resource: 'invoice:9' })).toBe('granted');
    const refund = await (await api.post('/api/v1/decisions', { subject: { token: billing }, tool: 'create_refund' }, w.key)).json();
    expect(refund.authorization).toMatchObject({ reason: 'approval_required', approval: { required: true, requestUrl: '/api/v1/access-requests' } });
    // another server's tool is not visible through this server's key
    expect(await ask({ tool: 'restart_service' })).toBe('tool_unknown');
  });

  it('a failed authentication never reaches authorization', async () => {
    const token = await w.mint(w.agents.support.spiffeId, { audience: w.otherServer.audience });
    const body = await (await api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice' }, w.key)).json();
    expect(body).toMatchObject({ allow: false, authentication: { status: 'failed', reason: 'audience_mismatch', agentId: null }, authorization: { reason: 'not_authenticated', grantId: null } });
    const missing = await (await api.post('/api/v1/decisions', { subject: {}, tool: 'get_invoice' }, w.key)).json();
    expect(missing.authentication.reason).toBe('token_missing');
  });

  it('a delegated token whose user differs from context.onBehalfOf is denied', async () => {
    const token = await w.mint('alice@example.test', { claims: { act: { sub: w.agents.support.spiffeId } } });
    const ok = await (await api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice', context: { onBehalfOf: 'alice@example.test' } }, w.key)).json();
    expect(ok).toMatchObject({ allow: true, authentication: { agentId: w.agents.support.id, onBehalfOf: 'alice@example.test' } });
    const row = await db().decisionLog.findFirstOrThrow({ where: { id: ok.decisionId } });
    expect(row).toMatchObject({ agentId: w.agents.support.id, onBehalfOf: 'alice@example.test' });
    const bad = await (await api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice', context: { onBehalfOf: 'mallory@example.test' } }, w.key)).json();
    expect(bad).toMatchObject({ allow: false, authorization: { reason: 'delegation_mismatch' } });
  });

  it('400: malformed JSON, schema violation and unknown action, as problem+json', async () => {
    const malformed = await api.post('/api/v1/decisions', '{"subject":', w.key);
    expect(malformed.status).toBe(400);
    expect((await problem(malformed)).code).toBe('invalid_request');
    const unknownAction = await api.post('/api/v1/decisions', { subject: {}, tool: 'get_invoice', action: 'delete' }, w.key);
    expect(unknownAction.status).toBe(400);
    const p = await problem(unknownAction);
    expect(p).toMatchObject({ type: 'about:blank', status: 400, code: 'invalid_request' });
    expect(p.invalidParams.map((i: { name: string }) => i.name)).toContain('action');
    const noTool = await api.post('/api/v1/decisions', { subject: {} }, w.key);
    expect(noTool.status).toBe(400);
  });

  it('401: missing, malformed, unknown and other-secret keys', async () => {
    for (const key of [null, 'nope', 'twk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', w.key.slice(0, -4) + 'AAAA']) {
      const res = await api.post('/api/v1/decisions', { subject: {}, tool: 'get_invoice' }, key);
      expect(res.status).toBe(401);
      expect((await problem(res)).code).toBe('server_key_invalid');
    }
  });

  it('401 within a second of a key being revoked, and for an expired key', async () => {
    const { createServerKey } = await import('../../lib/servers/keys');
    const k = await createServerKey(w.t.ctx('admin'), w.server.id, {});
    expect((await api.post('/api/v1/decisions', { subject: {}, tool: 'get_invoice' }, k.key)).status).toBe(200);
    await revokeServerKey(w.t.ctx('admin'), k.id);
    const ms = await within(1000, async () => (await api.post('/api/v1/decisions', { subject: {}, tool: 'get_invoice' }, k.key)).status === 401);
    expect(ms).toBeLessThan(1000);
    const expired = await createServerKey(w.t.ctx('admin'), w.server.id, {});
    await db().serverKey.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await within(1000, async () => (await api.post('/api/v1/decisions', { subject: {}, tool: 'get_invoice' }, expired.key)).status === 401);
  });

  it('413 over 64 KiB and 415 for non-JSON', async () => {
    const big = await api.post('/api/v1/decisions', { subject: {}, tool: 'x', context: { arguments: { blob: 'a'.repeat(70_000) } } }, w.key);
    expect(big.status).toBe(413);
    expect((await problem(big)).code).toBe('payload_too_large');
    const form = await api.post('/api/v1/decisions', 'tool=x', w.key, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect((await problem(form)).code).toBe('unsupported_media_type');
  });

  it('404 problem+json for an unknown endpoint', async () => {
    const res = await api.get('/api/v1/nothing-here', w.key);
    expect(res.status).toBe(404);
    expect((await problem(res)).code).toBe('not_found');
  });

  it('revocation in the database is enforced within a second', async () => {
    const token = await w.mint(w.agents.support.spiffeId);
    const ask = async () => (await (await api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice' }, w.key)).json()).allow as boolean;
    expect(await ask()).toBe(true);
    await db().grant.update({ where: { id: w.grants.supportRead }, data: { revokedAt: new Date() } });
    const ms = await within(1000, async () => !(await ask()));
    expect(ms).toBeLessThan(1000);
    await db().grant.update({ where: { id: w.grants.supportRead }, data: { revokedAt: null } });
  });

  it('N-use grants: concurrent calls never spend more uses than the grant has', async () => {
    const tool = await db().tool.findFirstOrThrow({ where: { id: w.tools.get_invoice } });
    const g = await db().grant.create({ data: { id: `gnt_nuse${Date.now()}`, tenantId: w.t.tenantId, agentId: w.agents.idle.id, toolId: tool.id, actions: ['read'], maxUses: 2 } });
    await within(1000, async () => (await api.runtime.cache.get(w.t.tenantId)).data.grants.some((x) => x.id === g.id));
    const token = await w.mint(w.agents.idle.spiffeId);
    const results = await Promise.all(Array.from({ length: 6 }, () => api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice' }, w.key).then((r) => r.json())));
    expect(results.filter((r) => r.allow)).toHaveLength(2);
    expect(results.filter((r) => !r.allow).every((r) => r.authorization.reason === 'grant_exhausted')).toBe(true);
    expect((await db().grant.findUniqueOrThrow({ where: { id: g.id } })).uses).toBe(2);
    await db().grant.delete({ where: { id: g.id } });
  });

  it('every answered decision has its log row', async () => {
    const before = (await decisionRows(w.t.tenantId)).length;
    const token = await w.mint(w.agents.billing.spiffeId);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => api.post('/api/v1/decisions', { subject: { token }, tool: i % 2 ? 'get_invoice' : 'update_invoice', resource: `invoice:${i}` }, w.key).then((r) => r.json())),
    );
    const ids = answers.map((a) => a.decisionId);
    const rows = await db().decisionLog.findMany({ where: { id: { in: ids } } });
    expect(rows).toHaveLength(40);
    expect((await decisionRows(w.t.tenantId)).length).toBe(before + 40);
  });
});

describe('POST /api/v1/decisions/batch', () => {
  it('200: one authentication, results in request order, each logged', async () => {
    const token = await w.mint(w.agents.billing.spiffeId);
    const res = await api.post(
      '/api/v1/decisions/batch',
      { subject: { token }, checks: [{ tool: 'get_invoice', action: 'read' }, { tool: 'update_invoice', action: 'write', resource: 'invoice:1' }, { tool: 'create_refund', action: 'write' }] },
      w.key,
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.authentication.status).toBe('verified');
    expect(body.results.map((r: { authorization: { reason: string } }) => r.authorization.reason)).toEqual(['no_grant', 'granted', 'approval_required']);
    expect(await db().decisionLog.count({ where: { id: { in: body.results.map((r: { decisionId: string }) => r.decisionId) } } })).toBe(3);
  });

  it('400 for more than 100 checks or none', async () => {
    const many = await api.post('/api/v1/decisions/batch', { subject: {}, checks: Array.from({ length: 101 }, () => ({ tool: 'x' })) }, w.key);
    expect(many.status).toBe(400);
    const none = await api.post('/api/v1/decisions/batch', { subject: {}, checks: [] }, w.key);
    expect(none.status).toBe(400);
  });

  it('401 without a key', async () => {
    expect((await api.post('/api/v1/decisions/batch', { subject: {}, checks: [{ tool: 'x' }] }, null)).status).toBe(401);
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('describes the same endpoints, without a key', async () => {
    const res = await api.get('/api/v1/openapi.json', null);
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/decisions', '/api/v1/decisions/batch', '/api/v1/snapshot', '/api/v1/decision-logs']));
    expect(doc.components.schemas.DecisionRequest.properties.action.$ref ?? doc.components.schemas.DecisionRequest.properties.action.enum).toBeTruthy();
  });
});

describe('N-use grants and the batch endpoint', () => {
  it('a batch (tools/list filtering) spends no use; the call does', async () => {
    const g = await db().grant.create({ data: { id: `gnt_batch${Date.now()}`, tenantId: w.t.tenantId, agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'], maxUses: 1 } });
    await within(1000, async () => (await api.runtime.cache.get(w.t.tenantId)).data.grants.some((x) => x.id === g.id));
    const token = await w.mint(w.agents.idle.spiffeId);
    for (let i = 0; i < 3; i++) {
      const batch = await (await api.post('/api/v1/decisions/batch', { subject: { token }, checks: [{ tool: 'get_invoice', action: 'read' }] }, w.key)).json();
      expect(batch.results[0].allow).toBe(true);
    }
    expect((await db().grant.findUniqueOrThrow({ where: { id: g.id } })).uses).toBe(0);
    const call = await (await api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice', action: 'read' }, w.key)).json();
    expect(call.allow).toBe(true);
    expect((await db().grant.findUniqueOrThrow({ where: { id: g.id } })).uses).toBe(1);
    await db().grant.delete({ where: { id: g.id } });
  });
});
