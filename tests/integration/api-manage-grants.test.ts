import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import type { Role } from '../../lib/auth/permissions';
import { createAgent } from '../../lib/agents/service';
import { createGrant } from '../../lib/grants/service';
import { auditCount, badTokens, manageClient, tokensByRole, type ManageCall } from '../support/manage-client';
import { recordProof } from '../support/proof';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';
import { createPolicyWorld, startApi, within, type PolicyWorld, type RunningApi } from './api-harness';

// /api/v1/manage/grants over real HTTP, in a tenant with a trust domain, a server and tools of
// several risks (createPolicyWorld): the console's guardrails apply, and a grant created or
// revoked here is what the decision API enforces within a second.

let api: RunningApi;
let call: ManageCall;
let w: PolicyWorld;
let other: TenantFixture;
let tok: Record<Role, string>;

beforeAll(async () => {
  w = await createPolicyWorld('mgrant');
  other = await createTenantFixture('mgrant-other');
  api = await startApi();
  call = manageClient(api.url);
  tok = await tokensByRole(w.t.ctx);
});
afterAll(async () => {
  await api.close();
  await disconnectDb();
});

const grants = (tenantId: string) => db().grant.findMany({ where: { tenantId }, orderBy: { id: 'asc' } });
const state = async () => ({ grants: await grants(w.t.tenantId), audit: await auditCount(w.t.tenantId) });

async function decide(agent: keyof PolicyWorld['agents'], tool: string, action = 'read') {
  const token = await w.mint(w.agents[agent].spiffeId);
  const res = await api.post('/api/v1/decisions', { subject: { token }, tool, action }, w.key);
  expect(res.status).toBe(200);
  return (await res.json()) as { allow: boolean; authorization: { reason: string; grantId: string | null } };
}

describe('grants as code: the decision API enforces what the management API does', () => {
  it('a grant created here allows at once; revoked here, the decision denies within a second', async () => {
    expect((await decide('idle', 'get_invoice')).authorization.reason).toBe('no_grant');

    const created = await call('POST', '/api/v1/manage/grants', tok.security, { agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'], justification: 'nightly report' });
    expect(created.status).toBe(201);
    const grantId: string = created.body.id;
    const allowMs = await within(1000, async () => (await decide('idle', 'get_invoice')).allow);
    expect((await decide('idle', 'get_invoice')).authorization.grantId).toBe(grantId);

    const revoked = await call('POST', `/api/v1/manage/grants/${grantId}/revoke`, tok.security, { reason: 'report retired' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: grantId, revokedById: w.t.users.security.id, revokeReason: 'report retired' });
    const denyMs = await within(1000, async () => !(await decide('idle', 'get_invoice')).allow);
    expect((await decide('idle', 'get_invoice')).authorization.reason).toBe('no_grant');
    expect(allowMs).toBeLessThan(1000);
    expect(denyMs).toBeLessThan(1000);
    recordProof('management-api', { grantCreatedAllowedWithinMs: allowMs, grantRevokedDeniedWithinMs: denyMs });

    const events = await auditEventsFor(w.t.tenantId, grantId);
    expect(events.map((e) => [e.event, e.actorType, e.actorId])).toEqual([
      ['grant.created', 'user', w.t.users.security.id],
      ['grant.revoked', 'user', w.t.users.security.id],
    ]);
    expect(events[1].actorLabel).toContain('token ci-security');
  });
});

describe('/api/v1/manage/grants', () => {
  it('200: get, list with filters, update scope, validate a condition, matrix', async () => {
    const got = await call('GET', `/api/v1/manage/grants/${w.grants.billingWrite}`, tok.auditor);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: w.grants.billingWrite, status: 'active', agent: { id: w.agents.billing.id }, tool: { id: w.tools.update_invoice } });

    const byAgent = await call('GET', `/api/v1/manage/grants?agentId=${w.agents.billing.id}&serverId=${w.server.id}&status=active&kind=standing`, tok.member);
    expect(byAgent.status).toBe(200);
    expect(byAgent.body.items.map((g: { id: string }) => g.id)).toEqual([w.grants.billingWrite]);
    const revokedOnly = await call('GET', '/api/v1/manage/grants?status=revoked', tok.security);
    expect(revokedOnly.body.items.every((g: { status: string }) => g.status === 'revoked')).toBe(true);
    expect(revokedOnly.body.items).toHaveLength(1);
    const agentPage = await call('GET', `/api/v1/manage/agents/${w.agents.billing.id}/grants?toolId=${w.tools.update_invoice}`, tok.auditor);
    expect(agentPage.body.items.map((g: { id: string }) => g.id)).toEqual([w.grants.billingWrite]);

    const updated = await call('PATCH', `/api/v1/manage/grants/${w.grants.billingWrite}`, tok.security, { resourcePatterns: ['invoice:*', 'credit-note:*'], condition: 'args.amount < 500' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ resourcePatterns: ['invoice:*', 'credit-note:*'], condition: 'args.amount < 500', status: 'active' });
    expect((await auditEventsFor(w.t.tenantId, w.grants.billingWrite)).map((e) => [e.event, e.actorId])).toEqual([['grant.updated', w.t.users.security.id]]);

    const ok = await call('POST', '/api/v1/manage/grants/validate-condition', tok.member, { condition: 'args.amount < 500' });
    expect(ok).toMatchObject({ status: 200, body: { ok: true } });
    const broken = await call('POST', '/api/v1/manage/grants/validate-condition', tok.member, { condition: 'args.amount <' });
    expect(broken.status).toBe(200);
    expect(broken.body).toMatchObject({ ok: false, message: expect.stringContaining('Invalid condition') });

    const matrix = await call('GET', `/api/v1/manage/grants/matrix?serverId=${w.server.id}`, tok.auditor);
    expect(matrix.status).toBe(200);
    expect(matrix.body.server.id).toBe(w.server.id);
    expect(matrix.body.cells).toEqual(expect.arrayContaining([expect.objectContaining({ agentId: w.agents.billing.id, toolId: w.tools.update_invoice })]));
  });

  it('201: bulk grants one tool to several agents in one transaction, each audited', async () => {
    const a = await createAgent(w.t.ctx('admin'), { name: 'bulk-a' });
    const b = await createAgent(w.t.ctx('admin'), { name: 'bulk-b' });
    const res = await call('POST', '/api/v1/manage/grants/bulk', tok.admin, { agentIds: [a.id, b.id], toolId: w.tools.get_invoice, actions: ['read'], environments: ['prod'] });
    expect(res.status).toBe(201);
    expect(res.body.count).toBe(2);
    for (const g of res.body.grants) {
      expect((await auditEventsFor(w.t.tenantId, g.id)).map((e) => [e.event, e.actorId])).toEqual([['grant.created', w.t.users.admin.id]]);
    }
  });

  it('400: the high-risk guardrail refuses a standing grant on a critical tool, as in the console; nothing written', async () => {
    const before = await state();
    const res = await call('POST', '/api/v1/manage/grants', tok.security, { agentId: w.agents.billing.id, toolId: w.tools.create_refund, actions: ['write'] });
    expect(res.status).toBe(400);
    expect(res.body.invalidParams).toEqual([{ name: 'toolId', reason: expect.stringContaining('standing grants are not allowed') }]);
    // and the decision still says so
    expect((await decide('billing', 'create_refund', 'write')).allow).toBe(false);
    // an unclassified tool, and one bad agent in a bulk: none of the batch is written
    expect((await call('POST', '/api/v1/manage/grants', tok.security, { agentId: w.agents.billing.id, toolId: w.tools.unclassified, actions: ['write'] })).status).toBe(400);
    const bulk = await call('POST', '/api/v1/manage/grants/bulk', tok.security, { agentIds: [w.agents.idle.id, w.agents.support.id], toolId: w.tools.create_refund, actions: ['write'] });
    expect(bulk.status).toBe(400);
    expect(await state()).toEqual(before);
  });

  it('400 with invalidParams for malformed input, nothing written', async () => {
    const before = await state();
    const res = await call('POST', '/api/v1/manage/grants', tok.security, {
      agentId: w.agents.idle.id,
      toolId: w.tools.get_invoice,
      actions: ['read', 'delete'],
      resourcePatterns: ['has space'],
      expiresAt: 'tomorrow',
    });
    expect(res.status).toBe(400);
    expect(res.body.invalidParams.map((p: { name: string }) => p.name).sort()).toEqual(['actions.1', 'expiresAt', 'resourcePatterns.0']);
    const cel = await call('POST', '/api/v1/manage/grants', tok.security, { agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'], condition: 'args.amount <' });
    expect(cel.status).toBe(400);
    expect(cel.body.invalidParams[0].name).toBe('condition');
    const noReason = await call('POST', `/api/v1/manage/grants/${w.grants.supportRead}/revoke`, tok.security, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.invalidParams[0].name).toBe('reason');
    expect((await call('GET', '/api/v1/manage/grants?status=lost', tok.security)).status).toBe(400);
    expect(await state()).toEqual(before);
    expect((await decide('support', 'get_invoice')).allow).toBe(true);
  });

  it('401 for bad tokens: nothing created, nothing revoked', async () => {
    const bad = await badTokens(w.t.ctx('security'));
    const before = await state();
    for (const token of [null, ...bad]) {
      expect((await call('POST', '/api/v1/manage/grants', token, { agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'] })).status).toBe(401);
      expect((await call('POST', `/api/v1/manage/grants/${w.grants.supportRead}/revoke`, token, { reason: 'not yours' })).status).toBe(401);
    }
    expect(await state()).toEqual(before);
  });

  it('403 for member and auditor tokens (grants.manage): nothing created, changed or revoked', async () => {
    const before = await state();
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/v1/manage/grants', { agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'] }],
      ['POST', '/api/v1/manage/grants/bulk', { agentIds: [w.agents.idle.id], toolId: w.tools.get_invoice, actions: ['read'] }],
      ['PATCH', `/api/v1/manage/grants/${w.grants.supportRead}`, { actions: ['read', 'write'] }],
      ['POST', `/api/v1/manage/grants/${w.grants.supportRead}/revoke`, { reason: 'not allowed' }],
    ];
    for (const role of ['member', 'auditor'] as const) {
      for (const [method, path, body] of attempts) {
        const res = await call(method, path, tok[role], body);
        expect([role, path, res.status, res.body.code]).toEqual([role, path, 403, 'forbidden']);
      }
    }
    expect(await state()).toEqual(before);
    expect((await decide('support', 'get_invoice')).allow).toBe(true);
    recordProof('management-api', { roleDeniedWritesAnswered403: attempts.length * 2 }, { add: true });
  });

  it("404 for another tenant's grant, agent or tool; theirs stay unchanged and nothing is written here", async () => {
    const theirAgent = await createAgent(other.ctx('admin'), { name: 'theirs' });
    const theirServer = await db().mcpServer.create({ data: { id: `srv_${other.slug}`, tenantId: other.tenantId, name: 'theirs', audience: `https://${other.slug}.test` } });
    const theirTool = await db().tool.create({ data: { id: `tool_${other.slug}`, tenantId: other.tenantId, serverId: theirServer.id, name: 'theirs', definitionHash: 'x', status: 'active', risk: 'low', defaultAction: 'read' } });
    const theirGrant = await createGrant(other.ctx('admin'), { agentId: theirAgent.id, toolId: theirTool.id, actions: ['read'] });
    const theirsBefore = await grants(other.tenantId);
    const before = await state();
    const probes: [string, string, unknown?][] = [
      ['GET', `/api/v1/manage/grants/${theirGrant.id}`],
      ['PATCH', `/api/v1/manage/grants/${theirGrant.id}`, { actions: ['read', 'write'] }],
      ['POST', `/api/v1/manage/grants/${theirGrant.id}/revoke`, { reason: 'cross-tenant' }],
      ['POST', '/api/v1/manage/grants', { agentId: theirAgent.id, toolId: w.tools.get_invoice, actions: ['read'] }],
      ['POST', '/api/v1/manage/grants', { agentId: w.agents.idle.id, toolId: theirTool.id, actions: ['read'] }],
      ['POST', '/api/v1/manage/grants/bulk', { agentIds: [w.agents.idle.id, theirAgent.id], toolId: w.tools.get_invoice, actions: ['read'] }],
      ['GET', `/api/v1/manage/agents/${theirAgent.id}/grants`],
    ];
    for (const [method, path, body] of probes) {
      const res = await call(method, path, tok.admin, body);
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
    expect(await grants(other.tenantId)).toEqual(theirsBefore);
    expect(await state()).toEqual(before);
    recordProof('management-api', { crossTenantProbesAnswered404: probes.length }, { add: true });
  });

  it('409: revoking twice, and editing a revoked grant', async () => {
    const g = await createGrant(w.t.ctx('admin'), { agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'] });
    expect((await call('POST', `/api/v1/manage/grants/${g.id}/revoke`, tok.security, { reason: 'first' })).status).toBe(200);
    const before = await state();
    const again = await call('POST', `/api/v1/manage/grants/${g.id}/revoke`, tok.security, { reason: 'second' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('conflict');
    expect((await call('PATCH', `/api/v1/manage/grants/${g.id}`, tok.security, { actions: ['read', 'write'] })).status).toBe(409);
    expect(await state()).toEqual(before);
    expect((await db().grant.findUniqueOrThrow({ where: { id: g.id } })).revokeReason).toBe('first');
  });
});
