import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { inTx } from '../db/tx';
import type { Tx } from '../db/client';
import { recordAudit } from '../audit/record';
import { requirePermission } from '../auth/require';
import { can } from '../auth/permissions';
import { conflict, forbidden, invalid, isUniqueViolation, notFound } from '../errors';
import { newId } from '../ids';
import { pageQuerySchema, toPage, type Page } from '../pagination';
import { parseInput } from '../validation';
import { agentListQuerySchema, createAgentSchema, updateAgentSchema } from './schemas';

export type AgentRow = Awaited<ReturnType<typeof loadAgent>>;

async function loadAgent(tx: Tx, ctx: ServiceContext, id: string) {
  // tenantId in the where clause: another tenant's agent is simply not found (404, never 403)
  const agent = await tx.agent.findFirst({ where: { id, tenantId: ctx.tenantId } });
  if (!agent) throw notFound('Agent');
  return agent;
}

/** security/admin manage every agent; members only the agents they own */
function assertCanManage(ctx: ServiceContext, agent: { ownerUserId: string | null }): void {
  if (ctx.actor.type === 'system' || can(ctx.role, 'agents.manage')) return;
  if (can(ctx.role, 'agents.manage_own') && agent.ownerUserId && agent.ownerUserId === ctx.actor.id) return;
  throw forbidden();
}

async function assertOwnerIsMember(tx: Tx, ctx: ServiceContext, ownerUserId: string | null | undefined) {
  if (!ownerUserId) return;
  const m = await tx.membership.findFirst({ where: { tenantId: ctx.tenantId, userId: ownerUserId } });
  if (!m) throw invalid('Owner must be a member of this tenant', [{ name: 'ownerUserId', reason: 'not a member of this tenant' }]);
}

export async function listAgents(ctx: ServiceContext, query: unknown): Promise<Page<AgentRow & { identityCount: number; grantCount: number }>> {
  requirePermission(ctx, 'agents.read');
  const { cursor, limit } = parseInput(pageQuerySchema, query);
  const { q, status } = parseInput(agentListQuerySchema, query);
  const rows = await db().agent.findMany({
    where: {
      tenantId: ctx.tenantId,
      ...(status ? { status } : {}),
      ...(q ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { description: { contains: q, mode: 'insensitive' } }] } : {}),
      ...(cursor ? { id: { lt: cursor } } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit + 1,
    include: { _count: { select: { identities: true, grants: { where: { revokedAt: null } } } } },
  });
  const page = toPage(rows, limit);
  return {
    nextCursor: page.nextCursor,
    items: page.items.map(({ _count, ...a }) => ({ ...a, identityCount: _count.identities, grantCount: _count.grants })),
  };
}

export async function getAgent(ctx: ServiceContext, id: string) {
  requirePermission(ctx, 'agents.read');
  const agent = await db().agent.findFirst({
    where: { id, tenantId: ctx.tenantId },
    include: { identities: { orderBy: { createdAt: 'asc' }, include: { trustDomain: { select: { id: true, name: true } } } } },
  });
  if (!agent) throw notFound('Agent');
  return agent;
}

export async function createAgent(ctx: ServiceContext, input: unknown) {
  const data = parseInput(createAgentSchema, input);
  if (!can(ctx.role, 'agents.manage') && ctx.actor.type !== 'system') {
    requirePermission(ctx, 'agents.manage_own');
    // a member can only create agents they own
    data.ownerUserId = ctx.actor.id;
  }
  try {
    return await inTx(async (tx) => {
      await assertOwnerIsMember(tx, ctx, data.ownerUserId);
      const agent = await tx.agent.create({ data: { id: newId('agent'), tenantId: ctx.tenantId, ...data, ownerUserId: data.ownerUserId ?? null } });
      await recordAudit(tx, ctx, { event: 'agent.created', targetType: 'agent', targetId: agent.id, after: agent });
      return agent;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`An agent named "${data.name}" already exists`);
    throw err;
  }
}

export async function updateAgent(ctx: ServiceContext, id: string, input: unknown) {
  const data = parseInput(updateAgentSchema, input);
  try {
    return await inTx(async (tx) => {
      const before = await loadAgent(tx, ctx, id);
      assertCanManage(ctx, before);
      if (data.ownerUserId !== undefined && !can(ctx.role, 'agents.manage') && ctx.actor.type !== 'system') {
        throw forbidden('Only security or admin can change an agent’s owner');
      }
      await assertOwnerIsMember(tx, ctx, data.ownerUserId);
      const after = await tx.agent.update({ where: { id }, data });
      await recordAudit(tx, ctx, { event: 'agent.updated', targetType: 'agent', targetId: id, before, after });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`An agent named "${data.name}" already exists`);
    throw err;
  }
}

export async function setAgentStatus(ctx: ServiceContext, id: string, status: 'active' | 'suspended') {
  return inTx(async (tx) => {
    const before = await loadAgent(tx, ctx, id);
    assertCanManage(ctx, before);
    if (before.status === status) return before;
    const after = await tx.agent.update({ where: { id }, data: { status } });
    await recordAudit(tx, ctx, {
      event: status === 'suspended' ? 'agent.suspended' : 'agent.reactivated',
      targetType: 'agent',
      targetId: id,
      before: { status: before.status },
      after: { status: after.status },
    });
    return after;
  });
}

export async function deleteAgent(ctx: ServiceContext, id: string) {
  return inTx(async (tx) => {
    const before = await loadAgent(tx, ctx, id);
    assertCanManage(ctx, before);
    // identities and grants go with the agent (FK cascade); the audit event keeps what existed
    const grants = await tx.grant.count({ where: { tenantId: ctx.tenantId, agentId: id, revokedAt: null } });
    await tx.agent.delete({ where: { id } });
    await recordAudit(tx, ctx, { event: 'agent.deleted', targetType: 'agent', targetId: id, before: { ...before, liveGrants: grants } });
    return { id };
  });
}

export { assertCanManage as assertCanManageAgent, loadAgent };
