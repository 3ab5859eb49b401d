import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { inTx } from '../../lib/db/tx';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { Role } from '../../lib/auth/permissions';
import {
  createGrant,
  createGrantInTx,
  createGrantsBulk,
  getGrant,
  listAgentGrants,
  listGrants,
  revokeGrant,
  updateGrant,
} from '../../lib/grants/service';
import { grantMatrix } from '../../lib/grants/matrix';
import { toolGrantPolicy, grantFormOptions } from '../../lib/grants/options';
import { checkCondition } from '../../lib/grants/condition-check';
import { createPolicyWorld, startApi, within, type PolicyWorld, type RunningApi } from './api-harness';
import { auditEventsFor, createTenantFixture } from './fixtures';

// Grants through the service: guardrails of each risk, CEL validation, roles, tenants, bulk
// atomicity, audit, and the real decision API honouring a grant and its revocation.

let w: PolicyWorld;
let other: PolicyWorld;
let highTool: string;
let disabledTool: string;

const DAY = 86_400_000;

beforeAll(async () => {
  w = await createPolicyWorld('grants');
  other = await createPolicyWorld('grantsother');
  const mk = async (name: string, risk: 'high' | 'low', status: 'active' | 'disabled') =>
    (
      await db().tool.create({
        data: { id: newId('tool'), tenantId: w.t.tenantId, serverId: w.server.id, name, definitionHash: name, status, risk, defaultAction: 'export' },
      })
    ).id;
  highTool = await mk('export_ledger', 'high', 'active');
  disabledTool = await mk('old_tool', 'low', 'disabled');
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

/** row counts that any refused call must leave alone */
async function counts(tenantId = w.t.tenantId) {
  const [grants, audit] = await Promise.all([db().grant.count({ where: { tenantId } }), db().auditEvent.count({ where: { tenantId } })]);
  return { grants, audit };
}

describe('guardrails of the tool’s risk', () => {
  it('low: a standing grant without an end, audited in the same transaction', async () => {
    const g = await createGrant(w.t.ctx('security'), { agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'], resourcePatterns: ['invoice:*'], environments: ['prod'] });
    expect(g).toMatchObject({ kind: 'standing', expiresAt: null, actions: ['read'], resourcePatterns: ['invoice:*'], environments: ['prod'], createdById: w.t.users.security.id });
    const events = await auditEventsFor(w.t.tenantId, g.id);
    expect(events.map((e) => e.event)).toEqual(['grant.created']);
    expect(events[0].actorId).toBe(w.t.users.security.id);
    expect(events[0].after).toMatchObject({ toolName: 'get_invoice', agentName: 'idle' });
  });

  it('medium: the expiry is capped at the policy’s maximum (30 days) — defaulted when omitted, refused beyond', async () => {
    const before = Date.now();
    const g = await createGrant(w.t.ctx('security'), { agentId: w.agents.idle.id, toolId: w.tools.update_invoice, actions: ['write'] });
    expect(g.expiresAt).not.toBeNull();
    expect(g.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 30 * DAY - 1000);
    expect(g.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 30 * DAY);

    const c = await counts();
    const err = await appError(
      createGrant(w.t.ctx('security'), { agentId: w.agents.idle.id, toolId: w.tools.update_invoice, actions: ['write'], expiresAt: new Date(Date.now() + 31 * DAY).toISOString() }),
    );
    expect(err.code).toBe('invalid_request');
    expect(err.invalidParams?.[0]).toMatchObject({ name: 'expiresAt' });
    expect(err.message).toMatch(/at most 30 days/);
    expect(await counts()).toEqual(c);

    // the cap counts from the start of validity, not from now
    const start = new Date(Date.now() + 2 * DAY);
    const later = await createGrant(w.t.ctx('security'), { agentId: w.agents.idle.id, toolId: w.tools.update_invoice, actions: ['write'], notBefore: start.toISOString() });
    expect(later.expiresAt!.getTime()).toBe(start.getTime() + 30 * DAY);
  });

  it('high: no standing grant — refused with the explanation pointing to an access request, nothing written', async () => {
    const c = await counts();
    const err = await appError(createGrant(w.t.ctx('admin'), { agentId: w.agents.billing.id, toolId: highTool, actions: ['export'], expiresAt: new Date(Date.now() + 3_600_000).toISOString() }));
    expect(err.code).toBe('invalid_request');
    expect(err.message).toBe(
      'export_ledger is a high risk tool: standing grants are not allowed on it. Access is given just in time instead: file an access request for the agent, and once its owners approve it a time-bound grant is created.',
    );
    expect(err.invalidParams).toEqual([{ name: 'toolId', reason: err.message }]);
    expect(await counts()).toEqual(c);
  });

  it('critical: no standing grant either', async () => {
    const c = await counts();
    const err = await appError(createGrant(w.t.ctx('security'), { agentId: w.agents.billing.id, toolId: w.tools.create_refund, actions: ['write'] }));
    expect(err.message).toMatch(/create_refund is a critical risk tool: standing grants are not allowed/);
    expect(await counts()).toEqual(c);
  });

  it('the tool must be classified and active', async () => {
    const c = await counts();
    const unclassified = await appError(createGrant(w.t.ctx('security'), { agentId: w.agents.billing.id, toolId: w.tools.unclassified, actions: ['write'] }));
    expect(unclassified.message).toMatch(/run_sql is not classified yet/);
    const disabled = await appError(createGrant(w.t.ctx('security'), { agentId: w.agents.billing.id, toolId: disabledTool, actions: ['read'] }));
    expect(disabled.message).toMatch(/old_tool is disabled/);
    expect(await counts()).toEqual(c);
  });

  it('the form learns the guardrails before submitting', async () => {
    expect(await toolGrantPolicy(w.t.ctx('auditor'), highTool)).toMatchObject({ standingAllowed: false, summary: expect.stringMatching(/access request/) });
    expect(await toolGrantPolicy(w.t.ctx('security'), w.tools.update_invoice)).toMatchObject({ standingAllowed: true, maxDurationSeconds: 30 * 86_400 });
    expect(await toolGrantPolicy(w.t.ctx('security'), w.tools.get_invoice)).toMatchObject({ standingAllowed: true, maxDurationSeconds: null });
    expect((await appError(toolGrantPolicy(w.t.ctx('security'), other.tools.get_invoice))).code).toBe('not_found');
  });

  it('a per-tool approval policy overrides the tenant default for its risk', async () => {
    const tool = await db().tool.create({
      data: { id: newId('tool'), tenantId: w.t.tenantId, serverId: w.server.id, name: 'short_lived', definitionHash: 'x', status: 'active', risk: 'low', defaultAction: 'read' },
    });
    await db().approvalPolicy.create({
      data: { id: newId('approvalPolicy'), tenantId: w.t.tenantId, risk: 'low', toolId: tool.id, standingAllowed: true, approvalsRequired: 0, approvers: 'none', maxDurationSeconds: 3600, singleUse: true },
    });
    const g = await createGrant(w.t.ctx('security'), { agentId: w.agents.idle.id, toolId: tool.id, actions: ['read'] });
    expect(g.expiresAt!.getTime() - g.createdAt.getTime()).toBeLessThanOrEqual(3_600_000 + 1000);
    expect(g.maxUses).toBe(1);
    const err = await appError(createGrant(w.t.ctx('security'), { agentId: w.agents.idle.id, toolId: tool.id, actions: ['read'], maxUses: 5 }));
    expect(err.invalidParams?.map((p) => p.name)).toEqual(['maxUses']);
  });
});

describe('scope validation', () => {
  it('a CEL condition is validated on save, with the error’s position', async () => {
    const c = await counts();
    const syntax = await appError(
      createGrant(w.t.ctx('security'), { agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'], condition: 'args.amount = 5000' }),
    );
    expect(syntax.code).toBe('invalid_request');
    expect(syntax.invalidParams?.[0].name).toBe('condition');
    expect(syntax.invalidParams?.[0].reason).toBe('Invalid condition at character 13: found = but expecting end of input');

    const unknown = await appError(createGrant(w.t.ctx('security'), { agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'], condition: 'args.a == 1 && user.admin' }));
    expect(unknown.invalidParams?.[0].reason).toBe('Invalid condition at character 16: unknown variable "user": conditions can use args and context');
    expect(await counts()).toEqual(c);

    const ok = await createGrant(w.t.ctx('security'), { agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'], condition: '  args.amount <= 5000  ' });
    expect(ok.condition).toBe('args.amount <= 5000');
  });

  it('the form’s check answers like saving does', () => {
    expect(checkCondition(w.t.ctx('auditor'), { condition: 'context.environment == "prod"' })).toEqual({ ok: true });
    expect(checkCondition(w.t.ctx('auditor'), { condition: 'args.a == 1 && user.admin' })).toEqual({
      ok: false,
      position: 15,
      message: 'Invalid condition at character 16: unknown variable "user": conditions can use args and context',
    });
  });

  it('actions, resource patterns, validity window, delegation and max uses are checked field by field', async () => {
    const c = await counts();
    const base = { agentId: w.agents.idle.id, toolId: w.tools.get_invoice };
    const names = async (input: Record<string, unknown>) => (await appError(createGrant(w.t.ctx('security'), { ...base, ...input }))).invalidParams?.map((p) => p.name);
    expect(await names({ actions: [] })).toEqual(['actions']);
    expect(await names({ actions: ['delete'] })).toEqual(['actions.0']);
    expect(await names({ actions: ['read'], resourcePatterns: ['invoice 1'] })).toEqual(['resourcePatterns.0']);
    expect(await names({ actions: ['read'], notBefore: '2030-01-02T00:00:00Z', expiresAt: '2030-01-01T00:00:00Z' })).toEqual(['expiresAt']);
    expect(await names({ actions: ['read'], expiresAt: '2020-01-01T00:00:00Z' })).toEqual(['expiresAt']);
    expect(await names({ actions: ['read'], delegation: 'forbidden', delegationUsers: ['alice@acme.test'] })).toEqual(['delegationUsers']);
    expect(await names({ actions: ['read'], maxUses: 0 })).toEqual(['maxUses']);
    expect(await counts()).toEqual(c);

    const g = await createGrant(w.t.ctx('security'), { ...base, actions: ['read'], delegation: 'required', delegationUsers: ['alice@acme.test'], maxUses: 10 });
    expect(g).toMatchObject({ delegation: 'required', delegationUsers: ['alice@acme.test'], maxUses: 10 });
  });
});

describe('roles', () => {
  it('members and auditors may not create, edit or revoke grants; each refusal changes nothing', async () => {
    const g = await createGrant(w.t.ctx('security'), { agentId: w.agents.support.id, toolId: w.tools.get_invoice, actions: ['read'] });
    const c = await counts();
    for (const role of ['member', 'auditor'] as Role[]) {
      const ctx = w.t.ctx(role);
      expect((await appError(createGrant(ctx, { agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'] }))).code).toBe('forbidden');
      expect((await appError(createGrantsBulk(ctx, { agentIds: [w.agents.idle.id], toolId: w.tools.get_invoice, actions: ['read'] }))).code).toBe('forbidden');
      expect((await appError(updateGrant(ctx, g.id, { actions: ['read', 'write'] }))).code).toBe('forbidden');
      expect((await appError(revokeGrant(ctx, g.id, { reason: 'not allowed to do this' }))).code).toBe('forbidden');
      expect((await appError(inTx((tx) => createGrantInTx(tx, ctx, { agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'] })))).code).toBe('forbidden');
      expect((await appError(inTx((tx) => createGrantInTx(tx, ctx, { agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'] }, { kind: 'break_glass' })))).code).toBe('forbidden');
    }
    expect(await counts()).toEqual(c);
    const after = await db().grant.findUniqueOrThrow({ where: { id: g.id } });
    expect(after).toMatchObject({ actions: ['read'], revokedAt: null });
  });

  it('every role may read grants', async () => {
    for (const role of ['admin', 'security', 'member', 'auditor'] as Role[]) {
      expect((await listGrants(w.t.ctx(role), { limit: 1 })).items).toHaveLength(1);
    }
    expect((await grantFormOptions(w.t.ctx('member'))).tools.map((t) => t.name)).toContain('update_invoice');
  });
});

describe('tenant isolation', () => {
  it("another tenant's agent, tool or grant is not found, and nothing is written", async () => {
    const c = await counts();
    const oc = await counts(other.t.tenantId);
    const sec = w.t.ctx('security');
    expect((await appError(createGrant(sec, { agentId: other.agents.billing.id, toolId: w.tools.get_invoice, actions: ['read'] }))).code).toBe('not_found');
    expect((await appError(createGrant(sec, { agentId: w.agents.billing.id, toolId: other.tools.get_invoice, actions: ['read'] }))).code).toBe('not_found');
    expect((await appError(getGrant(sec, other.grants.supportRead))).code).toBe('not_found');
    expect((await appError(updateGrant(sec, other.grants.supportRead, { actions: ['read', 'write'] }))).code).toBe('not_found');
    expect((await appError(revokeGrant(sec, other.grants.supportRead, { reason: 'cross-tenant attempt' }))).code).toBe('not_found');
    expect((await appError(listAgentGrants(sec, other.agents.billing.id, {}))).code).toBe('not_found');
    expect((await appError(grantMatrix(sec, { serverId: other.server.id }))).code).toBe('not_found');
    expect((await listGrants(sec, { agentId: other.agents.billing.id })).items).toHaveLength(0);
    expect(await counts()).toEqual(c);
    expect(await counts(other.t.tenantId)).toEqual(oc);
    expect((await db().grant.findUniqueOrThrow({ where: { id: other.grants.supportRead } })).revokedAt).toBeNull();
  });
});

describe('bulk grant', () => {
  it('one grant per agent, each audited, in one transaction', async () => {
    const t = await createTenantFixture('bulk');
    const server = await db().mcpServer.create({ data: { id: newId('server'), tenantId: t.tenantId, name: 's', audience: 'https://s.bulk.test' } });
    const tool = await db().tool.create({ data: { id: newId('tool'), tenantId: t.tenantId, serverId: server.id, name: 'get_x', definitionHash: 'x', status: 'active', risk: 'low' } });
    const agents = await Promise.all(['a1', 'a2', 'a3'].map((name) => db().agent.create({ data: { id: newId('agent'), tenantId: t.tenantId, name } })));
    const res = await createGrantsBulk(t.ctx('security'), { agentIds: agents.map((a) => a.id), toolId: tool.id, actions: ['read'], resourcePatterns: ['x:*'] });
    expect(res.count).toBe(3);
    expect(new Set(res.grants.map((g) => g.agentId))).toEqual(new Set(agents.map((a) => a.id)));
    const events = await auditEventsFor(t.tenantId);
    expect(events.filter((e) => e.event === 'grant.created').map((e) => e.targetId).sort()).toEqual(res.grants.map((g) => g.id).sort());
    // one request: the same request id on every event (atomicity is the next test's subject)
    expect(new Set(events.filter((e) => e.event === 'grant.created').map((e) => e.requestId)).size).toBe(1);
  });

  it('one bad agent (another tenant’s) → nothing is written for any of them', async () => {
    const c = await counts();
    const err = await appError(
      createGrantsBulk(w.t.ctx('security'), { agentIds: [w.agents.idle.id, other.agents.support.id, w.agents.support.id], toolId: w.tools.get_invoice, actions: ['read'] }),
    );
    expect(err.code).toBe('not_found');
    expect(err.message).toContain(other.agents.support.id);
    expect(await counts()).toEqual(c);
  });

  it('a failure after some grants were created rolls all of them back', async () => {
    const c = await counts();
    const err = await appError(
      inTx(async (tx) => {
        await createGrantInTx(tx, w.t.ctx('security'), { agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'] });
        await createGrantInTx(tx, w.t.ctx('security'), { agentId: w.agents.support.id, toolId: highTool, actions: ['export'] });
      }),
    );
    expect(err.invalidParams?.[0].name).toBe('toolId');
    expect(await counts()).toEqual(c);
  });

  it('the guardrails apply to bulk grants as to single ones', async () => {
    const c = await counts();
    const err = await appError(createGrantsBulk(w.t.ctx('security'), { agentIds: [w.agents.idle.id, w.agents.support.id], toolId: highTool, actions: ['export'] }));
    expect(err.message).toMatch(/standing grants are not allowed/);
    expect(await counts()).toEqual(c);
  });
});

describe('edit and revoke', () => {
  it('edits a standing grant under the same guardrails, audited with before and after', async () => {
    const g = await createGrant(w.t.ctx('security'), { agentId: w.agents.support.id, toolId: w.tools.update_invoice, actions: ['read'] });
    const updated = await updateGrant(w.t.ctx('security'), g.id, { actions: ['read', 'write'], resourcePatterns: ['invoice:*'], condition: 'args.amount < 10' });
    expect(updated).toMatchObject({ actions: ['read', 'write'], resourcePatterns: ['invoice:*'], condition: 'args.amount < 10', status: 'active' });
    const tooLong = await appError(updateGrant(w.t.ctx('security'), g.id, { expiresAt: new Date(Date.now() + 40 * DAY).toISOString() }));
    expect(tooLong.invalidParams?.[0].name).toBe('expiresAt');
    const badCel = await appError(updateGrant(w.t.ctx('security'), g.id, { condition: 'args.amount <' }));
    expect(badCel.invalidParams?.[0].name).toBe('condition');
    const events = await auditEventsFor(w.t.tenantId, g.id);
    expect(events.map((e) => e.event)).toEqual(['grant.created', 'grant.updated']);
    expect(events[1].before).toMatchObject({ actions: ['read'] });
    expect(events[1].after).toMatchObject({ actions: ['read', 'write'] });
  });

  it('revokes with a mandatory reason, audited; a second revoke is a conflict', async () => {
    const g = await createGrant(w.t.ctx('security'), { agentId: w.agents.support.id, toolId: w.tools.get_invoice, actions: ['read'] });
    expect((await appError(revokeGrant(w.t.ctx('security'), g.id, {}))).invalidParams?.[0].name).toBe('reason');
    expect((await appError(revokeGrant(w.t.ctx('security'), g.id, { reason: '  ' }))).invalidParams?.[0].name).toBe('reason');
    expect((await db().grant.findUniqueOrThrow({ where: { id: g.id } })).revokedAt).toBeNull();

    const res = await revokeGrant(w.t.ctx('security'), g.id, { reason: 'Ticket SEC-12: no longer needed' });
    expect(res.revokeReason).toBe('Ticket SEC-12: no longer needed');
    const row = await db().grant.findUniqueOrThrow({ where: { id: g.id } });
    expect(row).toMatchObject({ revokedById: w.t.users.security.id, revokeReason: 'Ticket SEC-12: no longer needed' });
    expect(row.revokedAt).not.toBeNull();
    const events = await auditEventsFor(w.t.tenantId, g.id);
    expect(events.map((e) => e.event)).toEqual(['grant.created', 'grant.revoked']);
    expect(events[1].after).toMatchObject({ revokeReason: 'Ticket SEC-12: no longer needed', revokedById: w.t.users.security.id });
    expect(events[1].actorId).toBe(w.t.users.security.id);

    expect((await appError(revokeGrant(w.t.ctx('security'), g.id, { reason: 'again' }))).code).toBe('conflict');
    expect((await appError(updateGrant(w.t.ctx('security'), g.id, { actions: ['read'] }))).code).toBe('conflict');
    expect((await getGrant(w.t.ctx('auditor'), g.id)).status).toBe('revoked');
  });
});

describe('jit grants for the approvals workflow', () => {
  it('createGrantInTx makes a jit grant from an access request, still capped by the policy', async () => {
    const request = await db().accessRequest.create({
      data: {
        id: newId('request'),
        tenantId: w.t.tenantId,
        agentId: w.agents.billing.id,
        toolId: w.tools.create_refund,
        actions: ['write'],
        durationSeconds: 600,
        justification: 'refund batch',
        expiresAt: new Date(Date.now() + DAY),
      },
    });
    const input = { agentId: w.agents.billing.id, toolId: w.tools.create_refund, actions: ['write'], expiresAt: new Date(Date.now() + 2 * 3_600_000).toISOString() };
    // a member approver (tool owner) has no grants.manage: the workflow authorises approvers
    const tooLong = await appError(inTx((tx) => createGrantInTx(tx, w.t.ctx('member'), input, { kind: 'jit', sourceRequestId: request.id })));
    expect(tooLong.message).toMatch(/at most 1 hour/);
    const g = await inTx((tx) =>
      createGrantInTx(tx, w.t.ctx('member'), { ...input, expiresAt: new Date(Date.now() + 600_000).toISOString() }, { kind: 'jit', sourceRequestId: request.id }),
    );
    expect(g).toMatchObject({ kind: 'jit', sourceRequestId: request.id });
    expect((await appError(inTx((tx) => createGrantInTx(tx, w.t.ctx('security'), input, { kind: 'jit' })))).code).toBe('invalid_request');
    const wrongTool = await appError(
      inTx((tx) => createGrantInTx(tx, w.t.ctx('security'), { ...input, toolId: w.tools.update_invoice }, { kind: 'jit', sourceRequestId: request.id })),
    );
    expect(wrongTool.invalidParams?.[0].name).toBe('sourceRequestId');
    await revokeGrant(w.t.ctx('security'), g.id, { reason: 'test cleanup' });
  });

  it('break-glass: at most an hour, with a justification, audited as such', async () => {
    const ctx = w.t.ctx('security');
    const noWhy = await appError(inTx((tx) => createGrantInTx(tx, ctx, { agentId: w.agents.idle.id, toolId: highTool, actions: ['export'] }, { kind: 'break_glass' })));
    expect(noWhy.invalidParams?.map((p) => p.name)).toEqual(['justification']);
    const g = await inTx((tx) =>
      createGrantInTx(tx, ctx, { agentId: w.agents.idle.id, toolId: highTool, actions: ['export'], justification: 'Incident INC-1 ledger export' }, { kind: 'break_glass' }),
    );
    expect(g.expiresAt!.getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
    expect((await auditEventsFor(w.t.tenantId, g.id)).map((e) => e.event)).toEqual(['grant.break_glass_created']);
    await revokeGrant(ctx, g.id, { reason: 'test cleanup' });
  });
});

describe('lists', () => {
  it('filters by agent, tool, server, risk, kind, status and expiry window, with keyset pagination', async () => {
    const t = await createTenantFixture('glist');
    const ctx = t.ctx('security');
    const s1 = await db().mcpServer.create({ data: { id: newId('server'), tenantId: t.tenantId, name: 's1', audience: 'https://s1.glist.test' } });
    const s2 = await db().mcpServer.create({ data: { id: newId('server'), tenantId: t.tenantId, name: 's2', audience: 'https://s2.glist.test' } });
    const low = await db().tool.create({ data: { id: newId('tool'), tenantId: t.tenantId, serverId: s1.id, name: 'low_tool', definitionHash: 'x', status: 'active', risk: 'low' } });
    const med = await db().tool.create({ data: { id: newId('tool'), tenantId: t.tenantId, serverId: s2.id, name: 'med_tool', definitionHash: 'x', status: 'active', risk: 'medium' } });
    const a = await db().agent.create({ data: { id: newId('agent'), tenantId: t.tenantId, name: 'a' } });
    const b = await db().agent.create({ data: { id: newId('agent'), tenantId: t.tenantId, name: 'b' } });
    const g1 = await createGrant(ctx, { agentId: a.id, toolId: low.id, actions: ['read'] });
    const g2 = await createGrant(ctx, { agentId: a.id, toolId: med.id, actions: ['write'], expiresAt: new Date(Date.now() + 3 * 3_600_000).toISOString() });
    const g3 = await createGrant(ctx, { agentId: b.id, toolId: med.id, actions: ['read'] });
    const g4 = await createGrant(ctx, { agentId: b.id, toolId: low.id, actions: ['read'] });
    await revokeGrant(ctx, g4.id, { reason: 'done with it' });
    const expired = await db().grant.create({
      data: { id: newId('grant'), tenantId: t.tenantId, agentId: b.id, toolId: low.id, actions: ['read'], expiresAt: new Date(Date.now() - 1000) },
    });

    const ids = async (q: Record<string, unknown>) => (await listGrants(t.ctx('auditor'), q)).items.map((g) => g.id).sort();
    expect(await ids({ agentId: a.id })).toEqual([g1.id, g2.id].sort());
    expect(await ids({ toolId: med.id })).toEqual([g2.id, g3.id].sort());
    expect(await ids({ serverId: s1.id })).toEqual([g1.id, g4.id, expired.id].sort());
    expect(await ids({ risk: 'medium' })).toEqual([g2.id, g3.id].sort());
    expect(await ids({ kind: 'jit' })).toEqual([]);
    expect(await ids({ status: 'active' })).toEqual([g1.id, g2.id, g3.id].sort());
    expect(await ids({ status: 'revoked' })).toEqual([g4.id]);
    expect(await ids({ status: 'expired' })).toEqual([expired.id]);
    expect(await ids({ expiringWithinHours: '4' })).toEqual([g2.id]);
    expect(await ids({ expiringWithinHours: '2' })).toEqual([]);
    expect(await ids({ status: 'active', serverId: s2.id, agentId: b.id })).toEqual([g3.id]);
    expect((await appError(listGrants(ctx, { status: 'gone' }))).code).toBe('invalid_request');

    const p1 = await listGrants(ctx, { limit: 2 });
    expect(p1.items).toHaveLength(2);
    const p2 = await listGrants(ctx, { limit: 2, cursor: p1.nextCursor });
    const p3 = await listGrants(ctx, { limit: 2, cursor: p2.nextCursor });
    expect([...p1.items, ...p2.items, ...p3.items].map((g) => g.id)).toEqual([expired.id, g4.id, g3.id, g2.id, g1.id]);
    expect(p3.nextCursor).toBeNull();
    expect(p1.items[0]).toMatchObject({ status: 'expired', agent: { name: 'b' }, tool: { name: 'low_tool', server: { name: 's1' } } });

    const matrix = await grantMatrix(ctx, { serverId: s2.id });
    expect(matrix.tools.map((x) => x.name)).toEqual(['med_tool']);
    expect(matrix.agents.map((x) => x.name)).toEqual(['a', 'b']);
    expect(matrix.cells).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ agentId: a.id, toolId: med.id, actions: ['write'], grantCount: 1 }),
        expect.objectContaining({ agentId: b.id, toolId: med.id, actions: ['read'], grantCount: 1 }),
      ]),
    );
    const m1 = await grantMatrix(ctx, { serverId: s1.id });
    // revoked and expired grants are not in the matrix
    expect(m1.cells).toEqual([expect.objectContaining({ agentId: a.id, toolId: low.id })]);
  });
});

describe('the decision API honours grants made here', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('a grant created through the service is allowed by the machine API, and denied within a second of revoking it', async () => {
    const agent = await db().agent.create({ data: { id: newId('agent'), tenantId: w.t.tenantId, name: 'api-check' } });
    const spiffeId = `spiffe://${w.trustDomain.name}/agents/api-check`;
    await db().workloadIdentity.create({ data: { id: newId('identity'), tenantId: w.t.tenantId, agentId: agent.id, trustDomainId: w.trustDomain.id, kind: 'spiffe_jwt', subject: spiffeId } });
    const token = await w.mint(spiffeId);
    const ask = async () => {
      const res = await api.post('/api/v1/decisions', { subject: { token }, tool: 'update_invoice', action: 'write', resource: 'invoice:42' }, w.key);
      expect(res.status).toBe(200);
      return res.json() as Promise<{ allow: boolean; authorization: { reason: string; grantId: string | null } }>;
    };
    expect((await ask()).authorization.reason).toBe('no_grant');

    const g = await createGrant(w.t.ctx('security'), { agentId: agent.id, toolId: w.tools.update_invoice, actions: ['write'], resourcePatterns: ['invoice:*'] });
    await within(2000, async () => (await ask()).allow);
    expect((await ask()).authorization).toMatchObject({ reason: 'granted', grantId: g.id });

    await revokeGrant(w.t.ctx('security'), g.id, { reason: 'revocation latency check' });
    const revokedAt = Date.now();
    await within(1000, async () => !(await ask()).allow);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    expect((await ask()).authorization.reason).toBe('no_grant');
  });
});
