import type { ServiceContext } from '../context';
import { db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { can } from '../auth/permissions';
import { requirePermission } from '../auth/require';
import { conflict, forbidden, invalid, notFound } from '../errors';
import { newId } from '../ids';
import { pageQuerySchema } from '../pagination';
import { approversPhrase, requestQuorum, shortDuration, summarizePolicy } from '../approval-policies/rules';
import type { Action, Risk } from '../policy/types';
import { parseInput } from '../validation';
import { enqueueWebhookEvent } from '../webhooks/enqueue';
import { approvalPolicyForTool, loadPolicyResolver, type EffectiveApprovalPolicy } from './approval-policy';
import { approverFacts, currentScope, lockRequestRow } from './approver';
import { cancelRequestSchema, consoleAccessRequestSchema, requestListQuerySchema, revokeRequestGrantSchema } from './console-schemas';
import { eligibility, type Eligibility } from './eligibility';
import { endGrantInTx } from './jit-grant';
import { requestCreatedNotice } from './notices';
import type { RequestScope } from './scope';

// Access requests in the console: filed by a person for an agent (a member for agents they own,
// security/admin for any), listed as an inbox, shown in detail with what an approver needs to
// decide, cancelled, and their grant revoked. Deciding is approvals.ts.

const requestInclude = {
  approvals: true,
} satisfies Prisma.AccessRequestInclude;
type RequestWithApprovals = Prisma.AccessRequestGetPayload<{ include: typeof requestInclude }>;

export interface RequestListItem {
  id: string;
  /** `expired` also for a pending request past its expiry that the sweep has not reached yet */
  status: 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled';
  agent: { id: string; name: string };
  tool: { id: string; name: string; risk: Risk | null; serverName: string };
  actions: Action[];
  resource: string | null;
  durationSeconds: number;
  justification: string;
  taskId: string | null;
  onBehalfOf: string | null;
  requestedBy: { type: 'user'; id: string; email: string } | { type: 'server'; id: string; name: string } | null;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  grantId: string | null;
  approvalsRecorded: number;
  approvalsRequired: number;
  approvers: string;
  mine: Eligibility;
}

const effectiveStatus = (r: { status: RequestListItem['status']; expiresAt: Date }, now: Date): RequestListItem['status'] =>
  r.status === 'pending' && r.expiresAt <= now ? 'expired' : r.status;

/** Everything the rows of a list need, in a fixed number of queries whatever the page size. */
async function hydrate(ctx: ServiceContext, rows: RequestWithApprovals[], now: Date): Promise<RequestListItem[]> {
  if (rows.length === 0) return [];
  const agentIds = [...new Set(rows.map((r) => r.agentId))];
  const toolIds = [...new Set(rows.map((r) => r.toolId))];
  const userIds = [...new Set(rows.map((r) => r.requestedByUserId).filter((x): x is string => !!x))];
  const serverIds = [...new Set(rows.map((r) => r.requestedByServerId).filter((x): x is string => !!x))];
  const me = ctx.actor.type === 'user' ? ctx.actor.id : null;
  const [agents, tools, users, servers, myTools, resolve] = await Promise.all([
    db().agent.findMany({ where: { tenantId: ctx.tenantId, id: { in: agentIds } }, select: { id: true, name: true, ownerUserId: true } }),
    db().tool.findMany({ where: { tenantId: ctx.tenantId, id: { in: toolIds } }, select: { id: true, name: true, risk: true, server: { select: { name: true } } } }),
    db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }),
    db().mcpServer.findMany({ where: { tenantId: ctx.tenantId, id: { in: serverIds } }, select: { id: true, name: true } }),
    me && can(ctx.role, 'requests.approve_as_owner')
      ? db().toolOwner.findMany({ where: { tenantId: ctx.tenantId, userId: me, toolId: { in: toolIds } }, select: { toolId: true } })
      : Promise.resolve([]),
    loadPolicyResolver(db(), ctx.tenantId),
  ]);
  const owned = new Set(myTools.map((t) => t.toolId));
  return rows.map((r) => {
    const agent = agents.find((a) => a.id === r.agentId);
    const tool = tools.find((t) => t.id === r.toolId);
    const policy = resolve({ id: r.toolId, risk: tool?.risk ?? null });
    const quorum = requestQuorum(policy);
    const user = users.find((u) => u.id === r.requestedByUserId);
    const server = servers.find((s) => s.id === r.requestedByServerId);
    const mine: Eligibility = me
      ? eligibility({
          quorum,
          actor: { userId: me, email: ctx.actor.label, isToolOwner: owned.has(r.toolId), isSecurity: can(ctx.role, 'requests.approve_as_security') },
          request: { status: r.status, expiresAt: r.expiresAt, requestedByUserId: r.requestedByUserId, onBehalfOf: r.onBehalfOf, agentOwnerUserId: agent?.ownerUserId ?? null, agentName: agent?.name ?? '' },
          votes: r.approvals,
          now,
        })
      : { canApprove: false, canDeny: false, capacities: [], reason: 'Only people decide access requests.' };
    return {
      id: r.id,
      status: effectiveStatus(r, now),
      agent: { id: r.agentId, name: agent?.name ?? '(deleted agent)' },
      tool: { id: r.toolId, name: tool?.name ?? '(deleted tool)', risk: tool?.risk ?? null, serverName: tool?.server.name ?? '' },
      actions: r.actions,
      resource: r.resource,
      durationSeconds: r.durationSeconds,
      justification: r.justification,
      taskId: r.taskId,
      onBehalfOf: r.onBehalfOf,
      requestedBy: user ? { type: 'user', id: user.id, email: user.email } : server ? { type: 'server', id: server.id, name: server.name } : null,
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
      grantId: r.grantId,
      approvalsRecorded: r.approvals.filter((a) => a.verdict === 'approve').length,
      approvalsRequired: quorum.required,
      approvers: quorum.approvers,
      mine,
    };
  });
}

/** The most pending requests one inbox evaluates; an inbox that long has bigger problems. */
const WAITING_SCAN = 500;

/**
 * `waiting`: pending requests the acting person may approve now (eligible, not four-eyes
 * barred, not yet voted). `mine`: requests they filed or for agents they own. `all`: everything
 * in the tenant, newest first, keyset-paginated.
 */
export async function listAccessRequests(ctx: ServiceContext, query: unknown): Promise<{ items: RequestListItem[]; nextCursor: string | null }> {
  requirePermission(ctx, 'grants.read');
  const { view, status, agentId, toolId } = parseInput(requestListQuerySchema, query);
  const { cursor, limit } = parseInput(pageQuerySchema, query);
  const now = new Date();
  const me = ctx.actor.type === 'user' ? ctx.actor.id : null;

  if (view === 'waiting') {
    const rows = await db().accessRequest.findMany({
      where: { tenantId: ctx.tenantId, status: 'pending', expiresAt: { gt: now }, ...(agentId ? { agentId } : {}), ...(toolId ? { toolId } : {}) },
      orderBy: { createdAt: 'asc' },
      take: WAITING_SCAN,
      include: requestInclude,
    });
    const items = (await hydrate(ctx, rows, now)).filter((r) => r.mine.canApprove);
    return { items, nextCursor: null };
  }

  const and: Prisma.AccessRequestWhereInput[] = [{ tenantId: ctx.tenantId }];
  if (agentId) and.push({ agentId });
  if (toolId) and.push({ toolId });
  if (status === 'expired') and.push({ OR: [{ status: 'expired' }, { status: 'pending', expiresAt: { lte: now } }] });
  else if (status === 'pending') and.push({ status: 'pending', expiresAt: { gt: now } });
  else if (status) and.push({ status });
  if (view === 'mine') {
    if (!me) return { items: [], nextCursor: null };
    const ownAgents = await db().agent.findMany({ where: { tenantId: ctx.tenantId, ownerUserId: me }, select: { id: true } });
    and.push({ OR: [{ requestedByUserId: me }, { agentId: { in: ownAgents.map((a) => a.id) } }] });
  }
  if (cursor) and.push({ id: { lt: cursor } });
  const rows = await db().accessRequest.findMany({ where: { AND: and }, orderBy: { id: 'desc' }, take: limit + 1, include: requestInclude });
  const page = rows.slice(0, limit);
  return { items: await hydrate(ctx, page, now), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

export interface RequestDetail extends RequestListItem {
  agentDetail: { id: string; name: string; status: string; environment: string; owner: { id: string; email: string; name: string } | null };
  toolDetail: { id: string; name: string; risk: Risk | null; status: string; serverName: string; owners: { id: string; email: string; name: string }[] };
  policy: { summary: string; approversPhrase: string; approvalsRequired: number; maxDurationSeconds: number | null; singleUse: boolean; override: boolean };
  approvals: { id: string; approver: { id: string; email: string; name: string } | null; verdict: 'approve' | 'deny'; asRole: string; comment: string; durationSeconds: number | null; actions: Action[]; resource: string | null; createdAt: string }[];
  /** what approving now would grant: the request, capped by the policy and narrowed by earlier approvals */
  scope: RequestScope;
  grant: { id: string; kind: string; expiresAt: string | null; revokedAt: string | null; revokeReason: string | null; uses: number; maxUses: number | null; status: 'active' | 'expired' | 'revoked' } | null;
  agentGrants: { id: string; toolId: string; toolName: string; risk: Risk | null; kind: string; actions: Action[]; resourcePatterns: string[]; expiresAt: string | null; maxUses: number | null; uses: number; createdAt: string }[];
  recentDecisions: { id: string; time: string; allow: boolean; reason: string; action: string | null; resource: string | null; onBehalfOf: string | null; taskId: string | null }[];
  completedAt: string | null;
  canCancel: boolean;
  canRevokeGrant: boolean;
}

const grantStatus = (g: { revokedAt: Date | null; expiresAt: Date | null }, now: Date) => (g.revokedAt ? 'revoked' : g.expiresAt && g.expiresAt <= now ? 'expired' : 'active');

function mayCancel(ctx: ServiceContext, req: { requestedByUserId: string | null }, agentOwner: string | null): boolean {
  if (can(ctx.role, 'agents.manage')) return true;
  const me = ctx.actor.type === 'user' ? ctx.actor.id : null;
  return !!me && can(ctx.role, 'requests.create') && (req.requestedByUserId === me || agentOwner === me);
}

/** A request with everything its approver needs: the agent and its grants, its recent decisions on this tool, the tool's risk and owners. */
export async function getAccessRequestDetail(ctx: ServiceContext, id: string): Promise<RequestDetail> {
  requirePermission(ctx, 'grants.read');
  const now = new Date();
  const req = await db().accessRequest.findFirst({ where: { id, tenantId: ctx.tenantId }, include: requestInclude });
  if (!req) throw notFound('Access request');
  const [item] = await hydrate(ctx, [req], now);
  const [agent, tool, owners, grant, agentGrants, decisions] = await Promise.all([
    db().agent.findFirst({ where: { id: req.agentId, tenantId: ctx.tenantId }, select: { id: true, name: true, status: true, environment: true, ownerUserId: true } }),
    db().tool.findFirst({ where: { id: req.toolId, tenantId: ctx.tenantId }, select: { id: true, name: true, risk: true, status: true, server: { select: { name: true } } } }),
    db().toolOwner.findMany({ where: { tenantId: ctx.tenantId, toolId: req.toolId }, select: { userId: true } }),
    req.grantId ? db().grant.findFirst({ where: { id: req.grantId, tenantId: ctx.tenantId } }) : Promise.resolve(null),
    db().grant.findMany({
      where: { tenantId: ctx.tenantId, agentId: req.agentId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      include: { tool: { select: { name: true, risk: true } } },
      orderBy: { createdAt: 'desc' },
      take: 100,
    }),
    db().decisionLog.findMany({
      where: { tenantId: ctx.tenantId, agentId: req.agentId, toolId: req.toolId },
      orderBy: { time: 'desc' },
      take: 20,
      select: { id: true, time: true, allow: true, reason: true, action: true, resource: true, onBehalfOf: true, taskId: true },
    }),
  ]);
  const policy = await approvalPolicyForTool(db(), ctx.tenantId, { id: req.toolId, risk: tool?.risk ?? null });
  const peopleIds = [...new Set([agent?.ownerUserId, ...owners.map((o) => o.userId), ...req.approvals.map((a) => a.approverUserId)].filter((x): x is string => !!x))];
  const people = await db().user.findMany({ where: { id: { in: peopleIds } }, select: { id: true, email: true, name: true } });
  const person = (pid: string | null | undefined) => people.find((p) => p.id === pid) ?? null;
  const quorum = requestQuorum(policy);
  return {
    ...item!,
    agentDetail: { id: req.agentId, name: agent?.name ?? '(deleted agent)', status: agent?.status ?? 'deleted', environment: agent?.environment ?? '', owner: person(agent?.ownerUserId) },
    toolDetail: {
      id: req.toolId,
      name: tool?.name ?? '(deleted tool)',
      risk: tool?.risk ?? null,
      status: tool?.status ?? 'deleted',
      serverName: tool?.server.name ?? '',
      owners: owners.map((o) => person(o.userId)).filter((p): p is NonNullable<typeof p> => !!p),
    },
    policy: {
      summary: summarizePolicy(policy, policy.toolId ? { tool: tool?.name ?? 'This tool' } : { risk: policy.risk }),
      approversPhrase: approversPhrase(quorum.approvers),
      approvalsRequired: quorum.required,
      maxDurationSeconds: policy.maxDurationSeconds,
      singleUse: policy.singleUse,
      override: policy.toolId !== null,
    },
    approvals: req.approvals
      .slice()
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((a) => ({
        id: a.id,
        approver: person(a.approverUserId),
        verdict: a.verdict,
        asRole: a.asRole,
        comment: a.comment,
        durationSeconds: a.durationSeconds,
        actions: a.actions,
        resource: a.resource,
        createdAt: a.createdAt.toISOString(),
      })),
    scope: currentScope(req, req.approvals, policy),
    grant: grant
      ? {
          id: grant.id,
          kind: grant.kind,
          expiresAt: grant.expiresAt?.toISOString() ?? null,
          revokedAt: grant.revokedAt?.toISOString() ?? null,
          revokeReason: grant.revokeReason,
          uses: grant.uses,
          maxUses: grant.maxUses,
          status: grantStatus(grant, now),
        }
      : null,
    agentGrants: agentGrants.map((g) => ({
      id: g.id,
      toolId: g.toolId,
      toolName: g.tool.name,
      risk: g.tool.risk,
      kind: g.kind,
      actions: g.actions,
      resourcePatterns: g.resourcePatterns,
      expiresAt: g.expiresAt?.toISOString() ?? null,
      maxUses: g.maxUses,
      uses: g.uses,
      createdAt: g.createdAt.toISOString(),
    })),
    recentDecisions: decisions.map((d) => ({ ...d, time: d.time.toISOString() })),
    completedAt: req.completedAt?.toISOString() ?? null,
    canCancel: item!.status === 'pending' && mayCancel(ctx, req, agent?.ownerUserId ?? null),
    canRevokeGrant: !!grant && grantStatus(grant, now) === 'active' && can(ctx.role, 'grants.manage'),
  };
}

/** Agents the acting person may file requests for, and the tools requests can be filed for, each with its policy in words. */
export async function accessRequestOptions(ctx: ServiceContext) {
  requirePermission(ctx, 'requests.create');
  const me = ctx.actor.type === 'user' ? ctx.actor.id : null;
  const anyAgent = can(ctx.role, 'agents.manage');
  const [agents, tools, resolve] = await Promise.all([
    db().agent.findMany({
      where: { tenantId: ctx.tenantId, status: 'active', ...(anyAgent ? {} : { ownerUserId: me ?? '-' }) },
      select: { id: true, name: true, environment: true },
      orderBy: { name: 'asc' },
      take: 1000,
    }),
    db().tool.findMany({
      where: { tenantId: ctx.tenantId, status: 'active', server: { status: 'active' } },
      select: { id: true, name: true, risk: true, defaultAction: true, server: { select: { name: true } } },
      orderBy: [{ name: 'asc' }],
      take: 1000,
    }),
    loadPolicyResolver(db(), ctx.tenantId),
  ]);
  return {
    agents,
    tools: tools.map((t) => {
      const p = resolve(t);
      return {
        id: t.id,
        name: t.name,
        risk: t.risk,
        defaultAction: t.defaultAction,
        serverName: t.server.name,
        maxDurationSeconds: p.maxDurationSeconds,
        summary: summarizePolicy(p, p.toolId ? { tool: t.name } : { risk: p.risk }),
      };
    }),
  };
}

function policyDurationProblem(policy: EffectiveApprovalPolicy, toolName: string, durationSeconds: number): string | null {
  if (policy.maxDurationSeconds === null || durationSeconds <= policy.maxDurationSeconds) return null;
  return `${toolName} is a ${policy.risk} risk tool: access to it lasts at most ${shortDuration(policy.maxDurationSeconds)}`;
}

/**
 * Files a request from the console. A member files for agents they own; security and admin for
 * any agent. The filer is recorded (and can never approve it). Expires undecided after the
 * policy's request expiry (24 h by default).
 */
export async function createConsoleAccessRequest(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, 'requests.create');
  const data = parseInput(consoleAccessRequestSchema, input);
  if (ctx.actor.type !== 'user' || !ctx.actor.id) throw forbidden('Console requests are filed by people');
  const me = ctx.actor.id;
  return inTx(async (tx) => {
    const agent = await tx.agent.findFirst({ where: { id: data.agentId, tenantId: ctx.tenantId }, select: { id: true, name: true, status: true, ownerUserId: true } });
    if (!agent) throw notFound('Agent');
    if (!can(ctx.role, 'agents.manage') && agent.ownerUserId !== me) {
      throw forbidden(`You can request access only for agents you own; ${agent.name} is owned by someone else. Ask its owner or security.`);
    }
    if (agent.status !== 'active') throw invalid(`The agent ${agent.name} is suspended: reactivate it first`, [{ name: 'agentId', reason: 'suspended' }]);
    const tool = await tx.tool.findFirst({ where: { id: data.toolId, tenantId: ctx.tenantId }, select: { id: true, name: true, risk: true, status: true } });
    if (!tool) throw notFound('Tool');
    if (tool.status === 'unclassified') throw invalid(`${tool.name} is not classified yet: access can be requested once an owner has classified it`, [{ name: 'toolId', reason: 'not classified yet' }]);
    if (tool.status === 'disabled') throw invalid(`${tool.name} is disabled: no access to it can be requested`, [{ name: 'toolId', reason: 'disabled' }]);
    const policy = await approvalPolicyForTool(tx, ctx.tenantId, tool);
    const tooLong = policyDurationProblem(policy, tool.name, data.durationSeconds);
    if (tooLong) throw invalid(tooLong, [{ name: 'durationSeconds', reason: tooLong }]);

    const now = new Date();
    const request = await tx.accessRequest.create({
      data: {
        id: newId('request'),
        tenantId: ctx.tenantId,
        agentId: agent.id,
        toolId: tool.id,
        actions: data.actions,
        resource: data.resource ?? null,
        durationSeconds: data.durationSeconds,
        justification: data.justification,
        taskId: data.taskId ?? null,
        onBehalfOf: null,
        requestedByUserId: me,
        status: 'pending',
        expiresAt: new Date(now.getTime() + policy.requestExpirySeconds * 1000),
      },
    });
    const quorum = requestQuorum(policy);
    await recordAudit(tx, ctx, {
      event: 'access_request.created',
      targetType: 'access_request',
      targetId: request.id,
      after: {
        agentId: agent.id,
        agent: agent.name,
        toolId: tool.id,
        tool: tool.name,
        risk: policy.risk,
        actions: request.actions,
        resource: request.resource,
        durationSeconds: request.durationSeconds,
        justification: request.justification,
        taskId: request.taskId,
        requestedByUserId: me,
        status: request.status,
        expiresAt: request.expiresAt,
        approvalsRequired: quorum.required,
        approvers: quorum.approvers,
      },
    });
    await enqueueWebhookEvent(
      tx,
      ctx.tenantId,
      'access_request.created',
      requestCreatedNotice(request, { agentName: agent.name, toolName: tool.name, risk: tool.risk, requestedBy: ctx.actor.label }),
      `/approvals/${request.id}`,
    );
    return { id: request.id, status: request.status, expiresAt: request.expiresAt.toISOString() };
  });
}

/** Withdraws a pending request (its filer, the agent's owner, or security/admin). */
export async function cancelAccessRequest(ctx: ServiceContext, id: string, input: unknown) {
  const { reason } = parseInput(cancelRequestSchema, input ?? {});
  requirePermission(ctx, 'requests.create');
  return inTx(async (tx) => {
    const req = await lockRequestRow(tx, ctx, id);
    const agent = await tx.agent.findFirst({ where: { id: req.agentId, tenantId: ctx.tenantId }, select: { ownerUserId: true } });
    if (!mayCancel(ctx, req, agent?.ownerUserId ?? null)) throw forbidden('Only the person who filed the request, the agent’s owner or security can cancel it');
    const now = new Date();
    if (req.status !== 'pending') throw conflict(`This request is already ${req.status}: there is nothing to cancel`);
    if (req.expiresAt <= now) throw conflict('This request has expired: there is nothing to cancel');
    await tx.accessRequest.update({ where: { id: req.id }, data: { status: 'cancelled', decidedAt: now } });
    await recordAudit(tx, ctx, {
      event: 'access_request.cancelled',
      targetType: 'access_request',
      targetId: req.id,
      before: { status: 'pending' },
      after: { status: 'cancelled', reason: reason || 'cancelled in the console' },
    });
    return { id: req.id, status: 'cancelled' as const };
  });
}

/** Ends the grant an approved request produced, now (security/admin). */
export async function revokeRequestGrant(ctx: ServiceContext, id: string, input: unknown) {
  requirePermission(ctx, 'grants.manage');
  const { reason } = parseInput(revokeRequestGrantSchema, input);
  return inTx(async (tx) => {
    const req = await lockRequestRow(tx, ctx, id);
    if (!req.grantId) throw conflict('This request has no grant to revoke');
    const ended = await endGrantInTx(tx, ctx, req.grantId, reason);
    if (!ended) throw conflict('This grant is already revoked');
    return { id: req.id, grantId: req.grantId, revoked: true };
  });
}
