import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { requirePermission } from '../auth/require';
import { notFound } from '../errors';
import { newId } from '../ids';
import { pageQuerySchema, toPage, type Page } from '../pagination';
import { parseInput } from '../validation';
import { createDenyRuleSchema, denyRuleListQuerySchema } from './schemas';

// Deny rules: create, list, remove (deny_rules.manage). Reading them is part of reading grants.
// Cache invalidation is the DenyRule table's trigger; each change is audited in its transaction.

export interface DenyRuleRow {
  id: string;
  agentId: string | null;
  toolId: string | null;
  resourcePattern: string | null;
  environment: string | null;
  reason: string;
  createdById: string | null;
  createdAt: Date;
  agent: { id: string; name: string } | null;
  tool: { id: string; name: string; serverName: string } | null;
  createdBy: { id: string; email: string } | null;
}

/** DenyRule has no relations in the schema (agent or tool may be absent): names are joined here. */
async function withNames(tenantId: string, rules: Omit<DenyRuleRow, 'agent' | 'tool' | 'createdBy'>[]): Promise<DenyRuleRow[]> {
  const ids = (key: 'agentId' | 'toolId' | 'createdById') => [...new Set(rules.map((r) => r[key]).filter((x): x is string => !!x))];
  const [agents, tools, users] = await Promise.all([
    db().agent.findMany({ where: { tenantId, id: { in: ids('agentId') } }, select: { id: true, name: true } }),
    db().tool.findMany({ where: { tenantId, id: { in: ids('toolId') } }, select: { id: true, name: true, server: { select: { name: true } } } }),
    db().user.findMany({ where: { id: { in: ids('createdById') } }, select: { id: true, email: true } }),
  ]);
  return rules.map((r) => {
    const tool = tools.find((t) => t.id === r.toolId);
    return {
      ...r,
      agent: agents.find((a) => a.id === r.agentId) ?? null,
      tool: tool ? { id: tool.id, name: tool.name, serverName: tool.server.name } : null,
      createdBy: users.find((u) => u.id === r.createdById) ?? null,
    };
  });
}

export async function listDenyRules(ctx: ServiceContext, query: unknown): Promise<Page<DenyRuleRow>> {
  requirePermission(ctx, 'grants.read');
  const { cursor, limit } = parseInput(pageQuerySchema, query);
  const { agentId, toolId } = parseInput(denyRuleListQuerySchema, query);
  const rows = await db().denyRule.findMany({
    where: {
      tenantId: ctx.tenantId,
      ...(agentId ? { agentId } : {}),
      ...(toolId ? { toolId } : {}),
      ...(cursor ? { id: { lt: cursor } } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit + 1,
  });
  const page = toPage(rows, limit);
  return { nextCursor: page.nextCursor, items: await withNames(ctx.tenantId, page.items) };
}

export async function createDenyRule(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, 'deny_rules.manage');
  const data = parseInput(createDenyRuleSchema, input);
  return inTx(async (tx) => {
    const agent = data.agentId ? await tx.agent.findFirst({ where: { id: data.agentId, tenantId: ctx.tenantId }, select: { name: true } }) : null;
    if (data.agentId && !agent) throw notFound('Agent');
    const tool = data.toolId ? await tx.tool.findFirst({ where: { id: data.toolId, tenantId: ctx.tenantId }, select: { name: true } }) : null;
    if (data.toolId && !tool) throw notFound('Tool');
    const rule = await tx.denyRule.create({
      data: { id: newId('denyRule'), tenantId: ctx.tenantId, ...data, createdById: ctx.actor.type === 'user' ? ctx.actor.id : null },
    });
    await recordAudit(tx, ctx, { event: 'deny_rule.created', targetType: 'deny_rule', targetId: rule.id, after: { ...rule, agentName: agent?.name ?? null, toolName: tool?.name ?? null } });
    return rule;
  });
}

export async function deleteDenyRule(ctx: ServiceContext, id: string) {
  requirePermission(ctx, 'deny_rules.manage');
  return inTx(async (tx) => {
    const before = await tx.denyRule.findFirst({ where: { id, tenantId: ctx.tenantId } });
    if (!before) throw notFound('Deny rule');
    // deleteMany with the tenant in the filter: a racing delete finds nothing and is a 404
    const { count } = await tx.denyRule.deleteMany({ where: { id, tenantId: ctx.tenantId } });
    if (count === 0) throw notFound('Deny rule');
    await recordAudit(tx, ctx, { event: 'deny_rule.deleted', targetType: 'deny_rule', targetId: id, before });
    return { id };
  });
}
