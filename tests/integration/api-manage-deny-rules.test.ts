import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import type { Role } from '../../lib/auth/permissions';
import { createAgent } from '../../lib/agents/service';
import { createDenyRule } from '../../lib/deny-rules/service';
import { auditCount, badTokens, manageClient, tokensByRole, type ManageCall } from '../support/manage-client';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';
import { createPolicyWorld, startApi, within, type PolicyWorld, type RunningApi } from './api-harness';

// /api/v1/manage/deny-rules over real HTTP: a rule created here wins over the agent's grant on
// the decision API within a second; deleting it restores the grant.

let api: RunningApi;
let call: ManageCall;
let w: PolicyWorld;
let other: TenantFixture;
let tok: Record<Role, string>;

beforeAll(async () => {
  w = await createPolicyWorld('mdeny');
  other = await createTenantFixture('mdeny-other');
  api = await startApi();
  call = manageClient(api.url);
  tok = await tokensByRole(w.t.ctx);
});
afterAll(async () => {
  await api.close();
  await disconnectDb();
});

const rules = (tenantId: string) => db().denyRule.findMany({ where: { tenantId }, orderBy: { id: 'asc' } });
const state = async () => ({ rules: await rules(w.t.tenantId), audit: await auditCount(w.t.tenantId) });

async function supportMayRead(): Promise<{ allow: boolean; reason: string }> {
  const token = await w.mint(w.agents.support.spiffeId);
  const body = await (await api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice', action: 'read' }, w.key)).json();
  return { allow: body.allow, reason: body.authorization.reason };
}

describe('/api/v1/manage/deny-rules', () => {
  it('201/200/200: a rule created here denies within a second, is listed, and deleting it restores the grant; audited as the token’s user', async () => {
    expect((await supportMayRead()).allow).toBe(true);
    const created = await call('POST', '/api/v1/manage/deny-rules', tok.security, { agentId: w.agents.support.id, toolId: w.tools.get_invoice, environment: '', reason: 'incident 42' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ agentId: w.agents.support.id, toolId: w.tools.get_invoice, environment: null, reason: 'incident 42', createdById: w.t.users.security.id });
    await within(1000, async () => (await supportMayRead()).reason === 'denied_by_rule');

    const list = await call('GET', `/api/v1/manage/deny-rules?agentId=${w.agents.support.id}`, tok.auditor);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: created.body.id, agent: { id: w.agents.support.id, name: 'support' }, tool: expect.objectContaining({ name: 'get_invoice' }) })]);

    const deleted = await call('DELETE', `/api/v1/manage/deny-rules/${created.body.id}`, tok.security);
    expect(deleted).toMatchObject({ status: 200, body: { id: created.body.id } });
    await within(1000, async () => (await supportMayRead()).allow);

    const events = await auditEventsFor(w.t.tenantId, created.body.id);
    expect(events.map((e) => [e.event, e.actorId])).toEqual([
      ['deny_rule.created', w.t.users.security.id],
      ['deny_rule.deleted', w.t.users.security.id],
    ]);
    expect(events[0].actorLabel).toContain('token ci-security');
  });

  it('400 with invalidParams (neither agent nor tool, no reason), nothing written', async () => {
    const before = await state();
    const res = await call('POST', '/api/v1/manage/deny-rules', tok.security, { resourcePattern: 'invoice:*', reason: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.invalidParams.map((p: { name: string }) => p.name).sort()).toEqual(['agentId', 'reason']);
    expect((await call('POST', '/api/v1/manage/deny-rules', tok.security, { toolId: w.tools.get_invoice, environment: 'Prod Env', reason: 'bad env' })).status).toBe(400);
    expect(await state()).toEqual(before);
  });

  it('401 for bad tokens and 403 for member and auditor tokens (deny_rules.manage): nothing created or deleted', async () => {
    const existing = await createDenyRule(w.t.ctx('admin'), { toolId: w.tools.update_invoice, reason: 'kept' });
    const bad = await badTokens(w.t.ctx('security'));
    const before = await state();
    for (const token of [null, ...bad, tok.member, tok.auditor]) {
      const create = await call('POST', '/api/v1/manage/deny-rules', token, { agentId: w.agents.billing.id, reason: 'sneaky' });
      const remove = await call('DELETE', `/api/v1/manage/deny-rules/${existing.id}`, token);
      const expected = token === tok.member || token === tok.auditor ? 403 : 401;
      expect([create.status, remove.status]).toEqual([expected, expected]);
    }
    expect(await state()).toEqual(before);
  });

  it("404 for another tenant's rule, agent or tool; nothing written on either side", async () => {
    const theirAgent = await createAgent(other.ctx('admin'), { name: 'theirs' });
    const theirRule = await createDenyRule(other.ctx('admin'), { agentId: theirAgent.id, reason: 'their rule' });
    const theirs = await rules(other.tenantId);
    const before = await state();
    expect((await call('DELETE', `/api/v1/manage/deny-rules/${theirRule.id}`, tok.admin)).status).toBe(404);
    expect((await call('POST', '/api/v1/manage/deny-rules', tok.admin, { agentId: theirAgent.id, reason: 'cross-tenant' })).status).toBe(404);
    expect((await call('GET', `/api/v1/manage/deny-rules?agentId=${theirAgent.id}`, tok.admin)).body.items).toEqual([]);
    expect(await rules(other.tenantId)).toEqual(theirs);
    expect(await state()).toEqual(before);
  });
});
