import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { AppError } from '../../lib/errors';
import type { Role } from '../../lib/auth/permissions';
import { createDenyRule, deleteDenyRule, listDenyRules } from '../../lib/deny-rules/service';
import { simulateDecision } from '../../lib/decisions/simulate';
import { createPolicyWorld, type PolicyWorld } from './api-harness';
import { auditEventsFor } from './fixtures';

let w: PolicyWorld;
let other: PolicyWorld;

beforeAll(async () => {
  w = await createPolicyWorld('deny');
  other = await createPolicyWorld('denyother');
});
afterAll(disconnectDb);

async function appError(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const counts = async (tenantId = w.t.tenantId) => ({
  rules: await db().denyRule.count({ where: { tenantId } }),
  audit: await db().auditEvent.count({ where: { tenantId } }),
});

const simulate = (tool: string, resource?: string) =>
  simulateDecision(w.t.ctx('auditor'), { serverId: w.server.id, agentId: w.agents.support.id, tool, action: 'read', ...(resource ? { resource } : {}) });

describe('deny rules', () => {
  it('a rule wins over a grant at once, and removing it restores the grant; both audited', async () => {
    expect((await simulate('get_invoice', 'invoice:1')).allow).toBe(true);
    const rule = await createDenyRule(w.t.ctx('security'), { agentId: w.agents.support.id, toolId: w.tools.get_invoice, resourcePattern: 'invoice:*', reason: 'Support must not read invoices during the audit' });
    expect(rule).toMatchObject({ agentId: w.agents.support.id, toolId: w.tools.get_invoice, resourcePattern: 'invoice:*', environment: null, createdById: w.t.users.security.id });
    const denied = await simulate('get_invoice', 'invoice:1');
    expect(denied.authorization).toMatchObject({ reason: 'denied_by_rule' });
    expect(denied.authorization.explanation).toContain('Support must not read invoices during the audit');

    await deleteDenyRule(w.t.ctx('security'), rule.id);
    expect((await simulate('get_invoice', 'invoice:1')).allow).toBe(true);
    const events = await auditEventsFor(w.t.tenantId, rule.id);
    expect(events.map((e) => e.event)).toEqual(['deny_rule.created', 'deny_rule.deleted']);
    expect(events[0].after).toMatchObject({ agentName: 'support', toolName: 'get_invoice' });
    expect(events[1].before).toMatchObject({ reason: 'Support must not read invoices during the audit' });
  });

  it('needs an agent or a tool, and a reason; bad input writes nothing', async () => {
    const c = await counts();
    const names = async (input: Record<string, unknown>) => (await appError(createDenyRule(w.t.ctx('security'), input))).invalidParams?.map((p) => p.name);
    expect(await names({ reason: 'everything' })).toEqual(['agentId']);
    expect(await names({ agentId: w.agents.idle.id })).toEqual(['reason']);
    expect(await names({ toolId: w.tools.get_invoice, reason: 'x', environment: 'Prod!' })).toEqual(['environment', 'reason']);
    expect(await counts()).toEqual(c);
  });

  it('a tool-wide rule (every agent) is listed with names, newest first, paginated', async () => {
    const a = await createDenyRule(w.t.ctx('admin'), { toolId: w.tools.update_invoice, environment: 'staging', reason: 'No writes in staging this week' });
    const b = await createDenyRule(w.t.ctx('admin'), { agentId: w.agents.idle.id, reason: 'Idle agent is frozen' });
    const page1 = await listDenyRules(w.t.ctx('member'), { limit: 1 });
    expect(page1.items.map((r) => r.id)).toEqual([b.id]);
    expect(page1.items[0]).toMatchObject({ agent: { name: 'idle' }, tool: null, createdBy: { email: w.t.users.admin.email } });
    const page2 = await listDenyRules(w.t.ctx('auditor'), { limit: 1, cursor: page1.nextCursor });
    expect(page2.items.map((r) => r.id)).toEqual([a.id]);
    expect(page2.items[0]).toMatchObject({ agent: null, tool: { name: 'update_invoice', serverName: 'billing' }, environment: 'staging' });
    expect((await listDenyRules(w.t.ctx('auditor'), { toolId: w.tools.update_invoice })).items.map((r) => r.id)).toEqual([a.id]);
    await deleteDenyRule(w.t.ctx('admin'), a.id);
    await deleteDenyRule(w.t.ctx('admin'), b.id);
  });

  it('members and auditors are refused every change, and nothing changes', async () => {
    const rule = await createDenyRule(w.t.ctx('security'), { agentId: w.agents.billing.id, reason: 'kept by this test' });
    const c = await counts();
    for (const role of ['member', 'auditor'] as Role[]) {
      expect((await appError(createDenyRule(w.t.ctx(role), { agentId: w.agents.billing.id, reason: 'should not exist' }))).code).toBe('forbidden');
      expect((await appError(deleteDenyRule(w.t.ctx(role), rule.id))).code).toBe('forbidden');
    }
    expect(await counts()).toEqual(c);
    expect(await db().denyRule.findUnique({ where: { id: rule.id } })).not.toBeNull();
    await deleteDenyRule(w.t.ctx('security'), rule.id);
  });

  it("another tenant's agent, tool or rule is not found, and is left alone", async () => {
    const theirs = await createDenyRule(other.t.ctx('security'), { agentId: other.agents.billing.id, reason: 'their rule' });
    const c = await counts();
    const oc = await counts(other.t.tenantId);
    const sec = w.t.ctx('security');
    expect((await appError(createDenyRule(sec, { agentId: other.agents.billing.id, reason: 'cross tenant' }))).code).toBe('not_found');
    expect((await appError(createDenyRule(sec, { toolId: other.tools.get_invoice, reason: 'cross tenant' }))).code).toBe('not_found');
    expect((await appError(deleteDenyRule(sec, theirs.id))).code).toBe('not_found');
    expect((await listDenyRules(sec, {})).items.map((r) => r.id)).not.toContain(theirs.id);
    expect(await counts()).toEqual(c);
    expect(await counts(other.t.tenantId)).toEqual(oc);
    expect(await db().denyRule.findUnique({ where: { id: theirs.id } })).not.toBeNull();
  });
});
