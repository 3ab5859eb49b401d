import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import type { ServiceContext } from '../../lib/context';
import { listApprovalPolicies, removeToolPolicy, setToolPolicy, updateRiskPolicy } from '../../lib/approval-policies/service';
import { approvalPolicyForTool } from '../../lib/requests/approval-policy';
import { createAgentAccessRequest } from '../../lib/requests/agent-requests';
import { decideRequest } from '../../lib/requests/approvals';
import {
  accessRequestOptions,
  cancelAccessRequest,
  createConsoleAccessRequest,
  getAccessRequestDetail,
  listAccessRequests,
  revokeRequestGrant,
} from '../../lib/requests/console-requests';
import { expirePendingRequests } from '../../lib/requests/expiry';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';
import { addPerson, errorOf, fixturePerson, makeAgent, makeOwner, makeServer, makeTool, writes, type Person } from './approval-fixtures';

let t: TenantFixture;
let other: TenantFixture;
let serverId: string;
const tools = {} as Record<'low' | 'medium' | 'high' | 'critical' | 'disabled', string>;
let agentA: string; // owned by agentOwner
let agentB: string; // owned by the fixture's member
let toolOwner: Person;
let toolOwner2: Person;
let agentOwner: Person;
let security: Person;
let security2: Person;
let admin: Person;
let member: Person;
let auditor: Person;

const JUSTIFICATION = 'Refund batch for dispute INC-4471, approved by finance';

beforeAll(async () => {
  t = await createTenantFixture('appr');
  other = await createTenantFixture('appr-other');
  serverId = await makeServer(t, 'billing');
  tools.low = await makeTool(t, serverId, 'get_invoice', 'low');
  tools.medium = await makeTool(t, serverId, 'update_invoice', 'medium');
  tools.high = await makeTool(t, serverId, 'export_ledger', 'high');
  tools.critical = await makeTool(t, serverId, 'create_refund', 'critical');
  tools.disabled = await makeTool(t, serverId, 'old_tool', 'medium', 'disabled');
  security = fixturePerson(t, 'security');
  admin = fixturePerson(t, 'admin');
  member = fixturePerson(t, 'member');
  auditor = fixturePerson(t, 'auditor');
  toolOwner = await addPerson(t, 'tool-owner', 'member');
  toolOwner2 = await addPerson(t, 'tool-owner-2', 'member');
  agentOwner = await addPerson(t, 'agent-owner', 'member');
  security2 = await addPerson(t, 'security-2', 'security');
  for (const id of Object.values(tools)) {
    await makeOwner(t, id, toolOwner.id);
    await makeOwner(t, id, toolOwner2.id);
  }
  // the agent's owner also owns the high tool: only the four-eyes rule stops them approving
  await makeOwner(t, tools.high, agentOwner.id);
  // an auditor who owns a tool is still read-only
  await makeOwner(t, tools.high, auditor.id);
  agentA = await makeAgent(t, 'billing-agent', agentOwner.id);
  agentB = await makeAgent(t, 'support-bot', member.id);
});
afterAll(disconnectDb);

function file(as: Person, extra: Record<string, unknown> = {}) {
  return createConsoleAccessRequest(as.ctx(), {
    agentId: agentA,
    toolId: tools.critical,
    actions: ['write'],
    resource: 'account:*',
    durationSeconds: 3600,
    justification: JUSTIFICATION,
    taskId: 'INC-4471',
    ...extra,
  });
}

const approve = (p: Person, id: string, extra: Record<string, unknown> = {}) => decideRequest(p.ctx(), id, { verdict: 'approve', comment: 'ok', ...extra });
const deny = (p: Person, id: string, comment = 'not warranted') => decideRequest(p.ctx(), id, { verdict: 'deny', comment });

describe('approval policies (A)', () => {
  it('lists the defaults per risk with a plain-language summary', async () => {
    const { defaults, overrides } = await listApprovalPolicies(member.ctx());
    expect(defaults.map((d) => d.risk)).toEqual(['low', 'medium', 'high', 'critical']);
    expect(defaults.find((d) => d.risk === 'high')!.summary).toBe('High-risk tools: no standing grants; 1 approval by a tool owner; at most 8 h');
    expect(defaults.find((d) => d.risk === 'critical')!.summary).toBe('Critical tools: no standing grants; 2 approvals: one by a tool owner and one by security, distinct people; at most 1 h');
    expect(defaults.find((d) => d.risk === 'low')!.summary).toBe('Low-risk tools: standing grants allowed; no approval needed; no time limit');
    expect(overrides).toEqual([]);
  });

  it('only admins change policies; nonsensical rules are refused naming the field', async () => {
    const rule = { risk: 'medium', standingAllowed: true, approvalsRequired: 1, approvers: 'security', maxDurationSeconds: 7 * 86_400, requestExpirySeconds: 3600, singleUse: false };
    expect((await errorOf(updateRiskPolicy(security.ctx(), rule))).code).toBe('forbidden');
    const bad = await errorOf(updateRiskPolicy(admin.ctx(), { ...rule, risk: 'high', standingAllowed: true }));
    expect(bad.code).toBe('invalid_request');
    expect(bad.invalidParams?.[0]?.name).toBe('standingAllowed');
    const bad2 = await errorOf(updateRiskPolicy(admin.ctx(), { ...rule, approvers: 'owners_and_security', approvalsRequired: 1 }));
    expect(bad2.invalidParams?.map((p) => p.name)).toContain('approvalsRequired');

    const updated = await updateRiskPolicy(admin.ctx(), rule);
    expect(updated.summary).toBe('Medium-risk tools: standing grants allowed; 1 approval by security; at most 7 d');
    const events = await auditEventsFor(t.tenantId, updated.id!);
    expect(events.map((e) => e.event)).toEqual(['approval_policy.updated']);
    // and it governs: a medium tool's policy is now the changed one
    const p = await approvalPolicyForTool(db() as never, t.tenantId, { id: tools.medium, risk: 'medium' });
    expect(p).toMatchObject({ approvers: 'security', maxDurationSeconds: 7 * 86_400 });
    // back to the default for the rest of the file
    await updateRiskPolicy(admin.ctx(), { ...rule, approvers: 'owners_or_security', maxDurationSeconds: 30 * 86_400, requestExpirySeconds: 86_400 });
  });

  it('a per-tool override wins over the risk level, and removing it restores the default', async () => {
    const set = await setToolPolicy(admin.ctx(), { toolId: tools.high, standingAllowed: false, approvalsRequired: 1, approvers: 'owners', maxDurationSeconds: 1800, singleUse: true });
    expect(set.summary).toBe('export_ledger: no standing grants; 1 approval by a tool owner; at most 30 min; single use');
    expect(await approvalPolicyForTool(db() as never, t.tenantId, { id: tools.high, risk: 'high' })).toMatchObject({ maxDurationSeconds: 1800, singleUse: true });
    const { overrides } = await listApprovalPolicies(member.ctx());
    expect(overrides.map((o) => o.tool?.name)).toEqual(['export_ledger']);
    // another tenant's tool is not found
    expect((await errorOf(setToolPolicy(admin.ctx(), { toolId: (await makeTool(other, await makeServer(other, 'x'), 'theirs', 'high')), standingAllowed: false, approvalsRequired: 1, approvers: 'owners', maxDurationSeconds: 60 }))).code).toBe('not_found');
    await removeToolPolicy(admin.ctx(), { toolId: tools.high });
    expect(await approvalPolicyForTool(db() as never, t.tenantId, { id: tools.high, risk: 'high' })).toMatchObject({ maxDurationSeconds: 8 * 3600, singleUse: false });
    const events = await auditEventsFor(t.tenantId, set.id!);
    expect(events.map((e) => e.event)).toEqual(['approval_policy.override_set', 'approval_policy.override_removed']);
  });
});

describe('console access requests (B)', () => {
  it('a member files for an agent they own; the request is pending, audited and expires in 24 h', async () => {
    const before = Date.now();
    const r = await file(agentOwner);
    expect(r.status).toBe('pending');
    expect(Date.parse(r.expiresAt) - before).toBeGreaterThan(86_400_000 - 5000);
    const row = await db().accessRequest.findUniqueOrThrow({ where: { id: r.id } });
    expect(row).toMatchObject({ requestedByUserId: agentOwner.id, onBehalfOf: null, agentId: agentA, toolId: tools.critical, resource: 'account:*', taskId: 'INC-4471' });
    expect((await auditEventsFor(t.tenantId, r.id)).map((e) => e.event)).toEqual(['access_request.created']);
  });

  it('a member cannot file for an agent they do not own; security can file for any agent', async () => {
    expect((await errorOf(file(member))).code).toBe('forbidden');
    expect((await file(security)).status).toBe('pending');
    expect((await errorOf(file(auditor))).code).toBe('forbidden');
  });

  it('refuses durations beyond the policy, disabled tools, and other tenants’ agents', async () => {
    const long = await errorOf(file(agentOwner, { durationSeconds: 7200 }));
    expect(long.code).toBe('invalid_request');
    expect(long.message).toContain('at most 1 h');
    expect((await errorOf(file(agentOwner, { toolId: tools.disabled }))).code).toBe('invalid_request');
    const theirAgent = await makeAgent(other, 'their-agent');
    expect((await errorOf(file(security, { agentId: theirAgent }))).code).toBe('not_found');
  });

  it('offers the agents the person may file for and every active tool with its policy', async () => {
    const mine = await accessRequestOptions(agentOwner.ctx());
    expect(mine.agents.map((a) => a.name)).toEqual(['billing-agent']);
    expect(mine.tools.find((x) => x.name === 'export_ledger')?.summary).toBe('High-risk tools: no standing grants; 1 approval by a tool owner; at most 8 h');
    expect(mine.tools.some((x) => x.name === 'old_tool')).toBe(false);
    const all = await accessRequestOptions(security.ctx());
    expect(all.agents.map((a) => a.name).sort()).toEqual(['billing-agent', 'support-bot']);
  });

  it('the filer cancels a pending request; nobody else without rights can', async () => {
    const r = await file(agentOwner, { taskId: 'cancel-me' });
    expect((await errorOf(cancelAccessRequest(toolOwner.ctx(), r.id, {}))).code).toBe('forbidden');
    await cancelAccessRequest(agentOwner.ctx(), r.id, { reason: 'not needed' });
    expect((await db().accessRequest.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('cancelled');
    expect((await errorOf(approve(toolOwner, r.id))).code).toBe('conflict');
  });
});

describe('quorum per risk (C)', () => {
  it('medium: one tool owner or security approves', async () => {
    const r = await file(agentOwner, { toolId: tools.medium, durationSeconds: 86_400 });
    const res = await approve(security, r.id);
    expect(res).toMatchObject({ status: 'approved', approvalsRecorded: 1, approvalsRequired: 1 });
    const r2 = await file(agentOwner, { toolId: tools.medium, durationSeconds: 86_400, taskId: 'm2' });
    expect((await approve(toolOwner, r2.id)).status).toBe('approved');
  });

  it('high: only a tool owner approves; security alone cannot', async () => {
    const r = await file(agentOwner, { toolId: tools.high, durationSeconds: 3600 });
    const before = await writes(t.tenantId);
    const err = await errorOf(approve(security, r.id));
    expect(err.code).toBe('forbidden');
    expect(err.message).toBe('Only a tool owner can approve requests for this tool.');
    expect(await writes(t.tenantId)).toEqual(before);
    expect((await approve(toolOwner, r.id)).status).toBe('approved');
  });

  it('an auditor who owns the tool still cannot approve', async () => {
    const r = await file(agentOwner, { toolId: tools.high, durationSeconds: 3600, taskId: 'aud' });
    expect((await errorOf(approve(auditor, r.id))).code).toBe('forbidden');
  });

  it('critical: one tool owner AND one security, distinct people; a second owner cannot complete it', async () => {
    const r = await file(agentOwner);
    const first = await approve(toolOwner, r.id, { comment: 'owner ok' });
    expect(first).toMatchObject({ status: 'pending', approvalsRecorded: 1, approvalsRequired: 2, grantId: null });
    expect(await db().grant.count({ where: { sourceRequestId: r.id } })).toBe(0);

    const before = await writes(t.tenantId);
    const err = await errorOf(approve(toolOwner2, r.id));
    expect(err.code).toBe('forbidden');
    expect(err.message).toContain('must come from security');
    expect(await writes(t.tenantId)).toEqual(before);

    const done = await approve(security, r.id, { comment: 'security ok' });
    expect(done).toMatchObject({ status: 'approved', approvalsRecorded: 2, approvalsRequired: 2 });
    const grant = await db().grant.findUniqueOrThrow({ where: { id: done.grantId! } });
    expect(grant).toMatchObject({ kind: 'jit', agentId: agentA, toolId: tools.critical, actions: ['write'], resourcePatterns: ['account:*'], sourceRequestId: r.id, createdById: security.id, maxUses: null });
    expect(Math.abs(grant.expiresAt!.getTime() - (Date.now() + 3600_000))).toBeLessThan(10_000);
    const req = await db().accessRequest.findUniqueOrThrow({ where: { id: r.id } });
    expect(req).toMatchObject({ status: 'approved', grantId: grant.id });
    expect(req.decidedAt).not.toBeNull();
    expect((await auditEventsFor(t.tenantId, r.id)).map((e) => e.event)).toEqual([
      'access_request.created',
      'access_request.approval_recorded',
      'access_request.approval_recorded',
      'access_request.approved',
    ]);
    expect((await auditEventsFor(t.tenantId, grant.id)).map((e) => e.event)).toEqual(['grant.created']);
    const approvals = await db().approval.findMany({ where: { requestId: r.id }, orderBy: { createdAt: 'asc' } });
    expect(approvals.map((a) => [a.approverUserId, a.asRole])).toEqual([
      [toolOwner.id, 'owner'],
      [security.id, 'security'],
    ]);
  });

  it('critical: a person who is both owner and security counts once; the second person completes it', async () => {
    const both = await addPerson(t, 'owner-and-security', 'security');
    await makeOwner(t, tools.critical, both.id);
    const r = await file(agentOwner, { taskId: 'both' });
    expect((await approve(both, r.id)).status).toBe('pending');
    expect((await approve(toolOwner, r.id)).status).toBe('approved');
  });

  it('a single-use policy gives a single-use grant', async () => {
    await setToolPolicy(admin.ctx(), { toolId: tools.medium, standingAllowed: true, approvalsRequired: 1, approvers: 'owners_or_security', maxDurationSeconds: 3600, singleUse: true });
    try {
      const r = await file(agentOwner, { toolId: tools.medium, taskId: 'single' });
      const res = await approve(security, r.id);
      expect((await db().grant.findUniqueOrThrow({ where: { id: res.grantId! } })).maxUses).toBe(1);
    } finally {
      await removeToolPolicy(admin.ctx(), { toolId: tools.medium });
    }
  });

  it('a deny by any eligible approver denies the request; later votes are refused with 409', async () => {
    const r = await file(agentOwner, { taskId: 'deny' });
    await approve(toolOwner, r.id);
    const res = await deny(security, r.id, 'no open incident justifies this');
    expect(res.status).toBe('denied');
    expect(await db().grant.count({ where: { sourceRequestId: r.id } })).toBe(0);
    const events = (await auditEventsFor(t.tenantId, r.id)).map((e) => e.event);
    expect(events.slice(-2)).toEqual(['access_request.approval_recorded', 'access_request.denied']);
    const before = await writes(t.tenantId);
    const late = await errorOf(approve(security2, r.id));
    expect(late.code).toBe('conflict');
    expect(late.message).toBe('This request has already been denied: nothing was recorded.');
    expect(await writes(t.tenantId)).toEqual(before);
  });

  it('a denial needs a reason', async () => {
    const r = await file(agentOwner, { taskId: 'deny-reason' });
    const err = await errorOf(decideRequest(security.ctx(), r.id, { verdict: 'deny' }));
    expect(err.invalidParams?.[0]?.name).toBe('comment');
  });
});

describe('four eyes: never approvable by the requester, the agent owner or the delegating user', () => {
  async function refusedWithoutWrites(p: Person, id: string, message: string) {
    const before = await writes(t.tenantId);
    const err = await errorOf(approve(p, id));
    expect(err.code).toBe('forbidden');
    expect(err.message).toBe(message);
    // a deny is refused too: the beneficiary does not decide either way
    expect((await errorOf(deny(p, id))).code).toBe('forbidden');
    expect(await writes(t.tenantId)).toEqual(before);
  }

  it('the requester', async () => {
    const r = await file(security, { toolId: tools.medium, durationSeconds: 3600, taskId: 'req-self' });
    await refusedWithoutWrites(security, r.id, 'You filed this request: another person must decide it.');
    expect((await approve(security2, r.id)).status).toBe('approved');
  });

  it('the agent’s owner, even when they own the tool', async () => {
    const r = await file(security, { toolId: tools.high, durationSeconds: 3600, taskId: 'owner-self' });
    await refusedWithoutWrites(agentOwner, r.id, 'You own the agent billing-agent: another person must decide its access.');
  });

  it('the delegating user of an agent-filed request', async () => {
    const server = { id: serverId, name: 'billing' };
    const ctx: ServiceContext = { tenantId: t.tenantId, actor: { type: 'server', id: server.id, label: server.name }, requestMeta: { ip: null, userAgent: null, requestId: 'x' } };
    const r = await createAgentAccessRequest(ctx, { serverId, agentId: agentB, onBehalfOf: toolOwner.email.toUpperCase() }, {
      tool: 'update_invoice',
      actions: ['write'],
      durationSeconds: 600,
      justification: JUSTIFICATION,
      taskId: 'deleg',
    });
    await refusedWithoutWrites(toolOwner, r.id, 'The agent acts on your behalf in this request: another person must decide it.');
    // the inbox explains the same thing
    const detail = await getAccessRequestDetail(toolOwner.ctx(), r.id);
    expect(detail.mine).toMatchObject({ canApprove: false, reason: 'The agent acts on your behalf in this request: another person must decide it.' });
    expect(detail.requestedBy).toEqual({ type: 'server', id: serverId, name: 'billing' });
    expect((await approve(toolOwner2, r.id)).status).toBe('approved');
  });
});

describe('narrowing, never widening', () => {
  it('refuses a resource the requested one does not cover, extra actions and a longer duration; nothing written', async () => {
    const r = await file(agentOwner, { actions: ['write', 'read'], taskId: 'widen' });
    const before = await writes(t.tenantId);
    const cases: [Record<string, unknown>, string][] = [
      [{ resource: 'invoice:42' }, 'resource'],
      [{ resource: '*' }, 'resource'],
      [{ actions: ['write', 'admin'] }, 'actions'],
      [{ durationSeconds: 3601 }, 'durationSeconds'],
    ];
    for (const [extra, field] of cases) {
      const err = await errorOf(approve(toolOwner, r.id, extra));
      expect(err.code, JSON.stringify(extra)).toBe('invalid_request');
      expect(err.invalidParams?.[0]?.name).toBe(field);
    }
    expect(await writes(t.tenantId)).toEqual(before);
  });

  it('each approver may narrow what the previous one left; the grant gets the narrowest scope', async () => {
    const r = await file(agentOwner, { actions: ['write', 'read'], taskId: 'narrow' });
    await approve(toolOwner, r.id, { resource: 'account:4*', durationSeconds: 1800 });
    // the second approver cannot go back to the requested account:* or 3600 s
    expect((await errorOf(approve(security, r.id, { resource: 'account:*' }))).invalidParams?.[0]?.name).toBe('resource');
    expect((await errorOf(approve(security, r.id, { durationSeconds: 3600 }))).invalidParams?.[0]?.name).toBe('durationSeconds');
    const done = await approve(security, r.id, { resource: 'account:42', actions: ['write'] });
    const grant = await db().grant.findUniqueOrThrow({ where: { id: done.grantId! } });
    expect(grant.resourcePatterns).toEqual(['account:42']);
    expect(grant.actions).toEqual(['write']);
    expect(Math.abs(grant.expiresAt!.getTime() - (Date.now() + 1800_000))).toBeLessThan(10_000);
  });

  it('a request without a resource may be narrowed to one; the grant then names it', async () => {
    const r = await file(agentOwner, { toolId: tools.medium, resource: '', taskId: 'no-resource' });
    expect((await db().accessRequest.findUniqueOrThrow({ where: { id: r.id } })).resource).toBeNull();
    const res = await approve(toolOwner, r.id, { resource: 'invoice:7' });
    expect((await db().grant.findUniqueOrThrow({ where: { id: res.grantId! } })).resourcePatterns).toEqual(['invoice:7']);
    const r2 = await file(agentOwner, { toolId: tools.medium, resource: '', taskId: 'no-resource-2' });
    const res2 = await approve(toolOwner, r2.id);
    expect((await db().grant.findUniqueOrThrow({ where: { id: res2.grantId! } })).resourcePatterns).toEqual([]);
  });
});

describe('expiry', () => {
  it('approving an expired request is a 409 and writes nothing', async () => {
    const r = await file(agentOwner, { taskId: 'expired' });
    await db().accessRequest.update({ where: { id: r.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const before = await writes(t.tenantId);
    const err = await errorOf(approve(toolOwner, r.id));
    expect(err.code).toBe('conflict');
    expect(err.status).toBe(409);
    expect(err.message).toMatch(/^This request expired at .*nobody decided it in time/);
    expect(await writes(t.tenantId)).toEqual(before);
    expect((await db().accessRequest.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('pending');
  });

  it('expirePendingRequests marks due requests expired with exactly one audit event, even when run twice at once', async () => {
    const r = await file(agentOwner, { taskId: 'sweep' });
    const keep = await file(agentOwner, { taskId: 'sweep-not-due' });
    await db().accessRequest.update({ where: { id: r.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const [a, b] = await Promise.all([expirePendingRequests(), expirePendingRequests()]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    expect((await db().accessRequest.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('expired');
    expect((await db().accessRequest.findUniqueOrThrow({ where: { id: keep.id } })).status).toBe('pending');
    const events = (await auditEventsFor(t.tenantId, r.id)).map((e) => e.event);
    expect(events.filter((e) => e === 'access_request.expired')).toHaveLength(1);
    expect(await expirePendingRequests()).toBe(0);
  });
});

describe('inbox and detail', () => {
  it('"waiting for me" lists only what the person may approve now', async () => {
    const r = await file(agentOwner, { taskId: 'inbox' });
    const ownerWaiting = await listAccessRequests(toolOwner.ctx(), { view: 'waiting' });
    expect(ownerWaiting.items.map((i) => i.id)).toContain(r.id);
    expect((await listAccessRequests(agentOwner.ctx(), { view: 'waiting' })).items.map((i) => i.id)).not.toContain(r.id);
    expect((await listAccessRequests(member.ctx(), { view: 'waiting' })).items.map((i) => i.id)).not.toContain(r.id);
    await approve(toolOwner, r.id);
    expect((await listAccessRequests(toolOwner.ctx(), { view: 'waiting' })).items.map((i) => i.id)).not.toContain(r.id);
    // the other owner can no longer help (security is needed): not in their inbox either
    expect((await listAccessRequests(toolOwner2.ctx(), { view: 'waiting' })).items.map((i) => i.id)).not.toContain(r.id);
    expect((await listAccessRequests(security.ctx(), { view: 'waiting' })).items.map((i) => i.id)).toContain(r.id);
    const mine = await listAccessRequests(agentOwner.ctx(), { view: 'mine' });
    expect(mine.items.map((i) => i.id)).toContain(r.id);
    const all = await listAccessRequests(auditor.ctx(), { view: 'all', status: 'pending' });
    expect(all.items.every((i) => i.status === 'pending')).toBe(true);
  });

  it('the detail shows the agent, its grants, its recent decisions on the tool, the tool’s risk and owners', async () => {
    const r = await file(agentOwner, { taskId: 'detail' });
    await db().decisionLog.create({
      data: { id: 'dec_detail_1', time: new Date(), tenantId: t.tenantId, agentId: agentA, toolId: tools.critical, tool: 'create_refund', action: 'write', allow: false, reason: 'approval_required' },
    });
    const d = await getAccessRequestDetail(toolOwner.ctx(), r.id);
    expect(d.agentDetail).toMatchObject({ name: 'billing-agent', owner: { email: agentOwner.email } });
    expect(d.toolDetail.risk).toBe('critical');
    expect(d.toolDetail.owners.map((o) => o.email)).toEqual(expect.arrayContaining([toolOwner.email, toolOwner2.email]));
    expect(d.recentDecisions[0]).toMatchObject({ allow: false, reason: 'approval_required' });
    expect(d.agentGrants.length).toBeGreaterThan(0);
    expect(d.policy.summary).toContain('Critical tools');
    expect(d.mine.canApprove).toBe(true);
    expect((await errorOf(getAccessRequestDetail(other.ctx('admin'), r.id))).code).toBe('not_found');
    expect((await errorOf(decideRequest(other.ctx('security'), r.id, { verdict: 'approve' }))).code).toBe('not_found');
  });

  it('security revokes the grant an approval produced', async () => {
    const r = await file(agentOwner, { toolId: tools.medium, taskId: 'revoke' });
    const res = await approve(toolOwner, r.id);
    expect((await errorOf(revokeRequestGrant(toolOwner.ctx(), r.id, { reason: 'done' }))).code).toBe('forbidden');
    await revokeRequestGrant(security.ctx(), r.id, { reason: 'task finished early' });
    const g = await db().grant.findUniqueOrThrow({ where: { id: res.grantId! } });
    expect(g.revokedAt).not.toBeNull();
    expect(g.revokeReason).toBe('task finished early');
    expect((await errorOf(revokeRequestGrant(security.ctx(), r.id, { reason: 'again' }))).code).toBe('conflict');
  });
});
