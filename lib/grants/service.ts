import type { ServiceContext } from '../context';
import { db, type Tx } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { requirePermission } from '../auth/require';
import { AppError, conflict, invalid, notFound, type InvalidParam } from '../errors';
import { newId } from '../ids';
import { pageQuerySchema, toPage, type Page } from '../pagination';
import { approvalPolicyForTool } from '../requests/approval-policy';
import { parseInput } from '../validation';
import { checkGuardrails } from './guardrails';
import {
  bulkGrantSchema,
  createGrantSchema,
  grantListQuerySchema,
  revokeGrantSchema,
  updateGrantSchema,
  type GrantKindName,
  type GrantListQuery,
  type GrantStatus,
} from './schemas';

// Grants: create (with the guardrails of the tool's risk), edit, revoke, list. Every change is
// audited in its transaction; decision caches notice through the Grant table's trigger.

export interface CreateGrantOptions {
  kind?: GrantKindName;
  /** the approved access request this grant comes from (jit grants) */
  sourceRequestId?: string;
  /** allow a standing grant where the approval policy would refuse it (seeding, migrations) */
  skipStandingGuardrail?: boolean;
}

const listInclude = {
  agent: { select: { id: true, name: true, status: true } },
  tool: { select: { id: true, name: true, risk: true, status: true, defaultAction: true, server: { select: { id: true, name: true } } } },
} satisfies Prisma.GrantInclude;

export type GrantRow = Prisma.GrantGetPayload<{ include: typeof listInclude }>;
export type GrantWithStatus = GrantRow & { status: GrantStatus };

export function grantStatus(g: { revokedAt: Date | null; expiresAt: Date | null }, now = new Date()): GrantStatus {
  if (g.revokedAt) return 'revoked';
  if (g.expiresAt && g.expiresAt <= now) return 'expired';
  return 'active';
}

const withStatus = (g: GrantRow, now: Date): GrantWithStatus => ({ ...g, status: grantStatus(g, now) });

/** The message of a refusal: the reasons themselves, which already name what to fix. */
function refused(problems: InvalidParam[]): AppError {
  return invalid(problems.map((p) => p.reason).join(' '), problems);
}

async function loadGrant(tx: Pick<Tx, 'grant'>, ctx: ServiceContext, id: string) {
  // tenantId in the where clause: another tenant's grant is simply not found (404, never 403)
  const grant = await tx.grant.findFirst({ where: { id, tenantId: ctx.tenantId }, include: listInclude });
  if (!grant) throw notFound('Grant');
  return grant;
}

/**
 * Who may create which kind: standing grants need grants.manage and break-glass
 * grants.break_glass. A jit grant exists only as the outcome of an approved access request: the
 * approvals workflow authorises its approvers (tool owners may be members) before calling this.
 */
function authorizeCreate(ctx: ServiceContext, kind: GrantKindName, opts: CreateGrantOptions): void {
  if (kind === 'jit') {
    if (!opts.sourceRequestId) throw invalid('A just-in-time grant is created by approving an access request', [{ name: 'kind', reason: 'jit grants need their access request' }]);
    return;
  }
  requirePermission(ctx, kind === 'break_glass' ? 'grants.break_glass' : 'grants.manage');
}

/**
 * Creates one grant inside the caller's transaction, with every check a grant gets: input,
 * tenant (other tenants' agents and tools are not found), tool classified and active, the
 * guardrails of the tool's approval policy, the CEL condition. Audited in the same transaction.
 * The approvals workflow calls it with `{ kind: 'jit', sourceRequestId }`.
 */
export async function createGrantInTx(tx: Tx, ctx: ServiceContext, input: unknown, opts: CreateGrantOptions = {}) {
  const kind = opts.kind ?? 'standing';
  authorizeCreate(ctx, kind, opts);
  const data = parseInput(createGrantSchema, input);
  const agent = await tx.agent.findFirst({ where: { id: data.agentId, tenantId: ctx.tenantId }, select: { id: true, name: true } });
  if (!agent) throw notFound('Agent');
  const tool = await tx.tool.findFirst({ where: { id: data.toolId, tenantId: ctx.tenantId }, include: { server: { select: { name: true } } } });
  if (!tool) throw notFound('Tool');
  if (opts.sourceRequestId) {
    const request = await tx.accessRequest.findFirst({ where: { id: opts.sourceRequestId, tenantId: ctx.tenantId }, select: { agentId: true, toolId: true } });
    if (!request) throw notFound('Access request');
    if (request.agentId !== agent.id || request.toolId !== tool.id) {
      throw invalid('The grant must be for the agent and tool of its access request', [{ name: 'sourceRequestId', reason: 'different agent or tool' }]);
    }
  }

  const policy = await approvalPolicyForTool(tx, ctx.tenantId, tool);
  const now = new Date();
  const checked = checkGuardrails(
    tool,
    policy,
    {
      kind,
      notBefore: data.notBefore ?? null,
      expiresAt: data.expiresAt ?? null,
      maxUses: data.maxUses ?? null,
      condition: data.condition ?? null,
      justification: data.justification ?? null,
    },
    now,
    { skipStandingGuardrail: opts.skipStandingGuardrail },
  );
  if (checked.problems.length > 0) throw refused(checked.problems);

  const grant = await tx.grant.create({
    data: {
      id: newId('grant'),
      tenantId: ctx.tenantId,
      agentId: agent.id,
      toolId: tool.id,
      kind,
      actions: data.actions,
      resourcePatterns: data.resourcePatterns,
      environments: data.environments,
      notBefore: data.notBefore ?? null,
      expiresAt: checked.expiresAt,
      maxUses: checked.maxUses,
      condition: data.condition ?? null,
      delegation: data.delegation,
      delegationUsers: data.delegationUsers,
      justification: data.justification ?? null,
      sourceRequestId: opts.sourceRequestId ?? null,
      createdById: ctx.actor.type === 'user' ? ctx.actor.id : null,
    },
  });
  await recordAudit(tx, ctx, {
    event: kind === 'break_glass' ? 'grant.break_glass_created' : 'grant.created',
    targetType: 'grant',
    targetId: grant.id,
    after: { ...grant, agentName: agent.name, toolName: tool.name, serverName: tool.server.name, risk: tool.risk },
  });
  return grant;
}

/** A standing grant from the console (grants.manage). */
export async function createGrant(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, 'grants.manage');
  return inTx((tx) => createGrantInTx(tx, ctx, input));
}

/**
 * One tool to several agents: one grant per agent, each audited, all in one transaction, so
 * one agent that cannot have the grant means none of them gets it.
 */
export async function createGrantsBulk(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, 'grants.manage');
  const { agentIds, ...scope } = parseInput(bulkGrantSchema, input);
  return inTx(async (tx) => {
    const found = await tx.agent.findMany({ where: { tenantId: ctx.tenantId, id: { in: agentIds } }, select: { id: true } });
    const known = new Set(found.map((a) => a.id));
    const missing = agentIds.filter((id) => !known.has(id));
    if (missing.length > 0) throw notFound(missing.length === 1 ? `Agent ${missing[0]}` : `Agents ${missing.join(', ')}`);
    const grants = [];
    for (const agentId of agentIds) grants.push(await createGrantInTx(tx, ctx, { ...scope, agentId }));
    return { count: grants.length, grants };
  });
}

/**
 * Changes the scope of a standing grant, under the same guardrails as creating it. Jit and
 * break-glass grants are not edited: their scope is what was approved (or justified), so they
 * are revoked and requested again instead.
 */
export async function updateGrant(ctx: ServiceContext, id: string, input: unknown) {
  requirePermission(ctx, 'grants.manage');
  const data = parseInput(updateGrantSchema, input);
  return inTx(async (tx) => {
    const before = await loadGrant(tx, ctx, id);
    if (before.revokedAt) throw conflict('This grant is revoked; create a new grant instead');
    if (before.kind !== 'standing') throw conflict('Only standing grants are edited; revoke this one and request access again');

    const merged = {
      actions: data.actions ?? before.actions,
      resourcePatterns: data.resourcePatterns ?? before.resourcePatterns,
      environments: data.environments ?? before.environments,
      notBefore: data.notBefore !== undefined ? data.notBefore : before.notBefore,
      expiresAt: data.expiresAt !== undefined ? data.expiresAt : before.expiresAt,
      maxUses: data.maxUses !== undefined ? data.maxUses : before.maxUses,
      condition: data.condition !== undefined ? data.condition : before.condition,
      delegation: data.delegation ?? before.delegation,
      delegationUsers: data.delegationUsers ?? before.delegationUsers,
      justification: data.justification !== undefined ? data.justification : before.justification,
    };
    if (data.delegation === 'forbidden' && data.delegationUsers === undefined) merged.delegationUsers = [];
    const problems: InvalidParam[] = [];
    if (merged.notBefore && merged.expiresAt && merged.expiresAt <= merged.notBefore) problems.push({ name: 'expiresAt', reason: 'The grant must end after it starts' });
    if (merged.delegation === 'forbidden' && merged.delegationUsers.length > 0) {
      problems.push({ name: 'delegationUsers', reason: 'Allowed users only apply when delegation is required or allowed' });
    }
    if (merged.maxUses !== null && merged.maxUses < before.uses) problems.push({ name: 'maxUses', reason: `This grant has already been used ${before.uses} times` });

    const tool = before.tool;
    const policy = await approvalPolicyForTool(tx, ctx.tenantId, tool);
    const checked = checkGuardrails(
      tool,
      policy,
      { kind: before.kind, notBefore: merged.notBefore, expiresAt: merged.expiresAt, maxUses: merged.maxUses, condition: merged.condition, justification: merged.justification },
      new Date(),
    );
    problems.push(...checked.problems);
    if (problems.length > 0) throw refused(problems);

    const after = await tx.grant.update({ where: { id }, data: { ...merged, expiresAt: checked.expiresAt, maxUses: checked.maxUses }, include: listInclude });
    const { agent: _a, tool: _t, ...beforeRow } = before;
    const { agent: _a2, tool: _t2, ...afterRow } = after;
    await recordAudit(tx, ctx, { event: 'grant.updated', targetType: 'grant', targetId: id, before: beforeRow, after: afterRow });
    return withStatus(after, new Date());
  });
}

/**
 * Ends a grant now, inside the caller's transaction (reviews and completed tasks revoke too);
 * the caller has authorised the actor, as revokeGrant does with grants.manage. The reason is
 * mandatory: it is what an auditor reads later. Two revocations racing: the conditional update
 * lets exactly one through.
 */
export async function revokeGrantInTx(tx: Tx, ctx: ServiceContext, id: string, reason: string) {
  const before = await loadGrant(tx, ctx, id);
  if (before.revokedAt) throw conflict('This grant is already revoked');
  const revokedAt = new Date();
  const revokedById = ctx.actor.type === 'user' ? ctx.actor.id : null;
  const { count } = await tx.grant.updateMany({ where: { id, tenantId: ctx.tenantId, revokedAt: null }, data: { revokedAt, revokedById, revokeReason: reason } });
  if (count === 0) throw conflict('This grant is already revoked');
  await recordAudit(tx, ctx, {
    event: 'grant.revoked',
    targetType: 'grant',
    targetId: id,
    before: { revokedAt: null, agentName: before.agent.name, toolName: before.tool.name },
    after: { revokedAt, revokedById, revokeReason: reason },
  });
  return { id, revokedAt, revokedById, revokeReason: reason };
}

export async function revokeGrant(ctx: ServiceContext, id: string, input: unknown) {
  requirePermission(ctx, 'grants.manage');
  const { reason } = parseInput(revokeGrantSchema, input);
  return inTx((tx) => revokeGrantInTx(tx, ctx, id, reason));
}

export async function getGrant(ctx: ServiceContext, id: string) {
  requirePermission(ctx, 'grants.read');
  const grant = await loadGrant(db(), ctx, id);
  const people = await db().user.findMany({
    where: { id: { in: [grant.createdById, grant.revokedById].filter((x): x is string => !!x) } },
    select: { id: true, email: true, name: true },
  });
  const who = (userId: string | null) => people.find((p) => p.id === userId) ?? null;
  return { ...withStatus(grant, new Date()), createdBy: who(grant.createdById), revokedBy: who(grant.revokedById) };
}

function listWhere(ctx: ServiceContext, f: GrantListQuery, now: Date): Prisma.GrantWhereInput {
  const and: Prisma.GrantWhereInput[] = [{ tenantId: ctx.tenantId }];
  if (f.agentId) and.push({ agentId: f.agentId });
  if (f.toolId) and.push({ toolId: f.toolId });
  if (f.kind) and.push({ kind: f.kind });
  if (f.serverId || f.risk) and.push({ tool: { ...(f.serverId ? { serverId: f.serverId } : {}), ...(f.risk ? { risk: f.risk } : {}) } });
  if (f.status === 'revoked') and.push({ revokedAt: { not: null } });
  if (f.status === 'expired') and.push({ revokedAt: null, expiresAt: { lte: now } });
  if (f.status === 'active') and.push({ revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] });
  if (f.expiringWithinHours) {
    and.push({ revokedAt: null, expiresAt: { gt: now, lte: new Date(now.getTime() + f.expiringWithinHours * 3_600_000) } });
  }
  return { AND: and };
}

/** Newest first, keyset on the id; filters combine (AND). */
export async function listGrants(ctx: ServiceContext, query: unknown): Promise<Page<GrantWithStatus>> {
  requirePermission(ctx, 'grants.read');
  const { cursor, limit } = parseInput(pageQuerySchema, query);
  const filters = parseInput(grantListQuerySchema, query);
  const now = new Date();
  const rows = await db().grant.findMany({
    where: { AND: [listWhere(ctx, filters, now), ...(cursor ? [{ id: { lt: cursor } }] : [])] },
    orderBy: { id: 'desc' },
    take: limit + 1,
    include: listInclude,
  });
  const page = toPage(rows, limit);
  return { nextCursor: page.nextCursor, items: page.items.map((g) => withStatus(g, now)) };
}

/** The agent page's grants: the agent must be this tenant's (another tenant's → 404). */
export async function listAgentGrants(ctx: ServiceContext, agentId: string, query: unknown) {
  requirePermission(ctx, 'grants.read');
  const agent = await db().agent.findFirst({ where: { id: agentId, tenantId: ctx.tenantId }, select: { id: true } });
  if (!agent) throw notFound('Agent');
  const q = typeof query === 'object' && query !== null ? query : {};
  return listGrants(ctx, { ...q, agentId });
}
