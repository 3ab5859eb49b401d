import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { requirePermission } from '../auth/require';
import { notFound } from '../errors';

// Read-only views on the agent page: its latest decisions and its pending access requests.
// Deciding requests is the approvals inbox's job; this only shows what waits.

export const AGENT_DECISIONS_LIMIT = 50;

async function assertAgent(ctx: ServiceContext, agentId: string) {
  const agent = await db().agent.findFirst({ where: { id: agentId, tenantId: ctx.tenantId }, select: { id: true } });
  if (!agent) throw notFound('Agent');
}

/** The last 50 decisions for the agent, newest first: the (tenantId, agentId, time desc) index. */
export async function listAgentDecisions(ctx: ServiceContext, agentId: string) {
  requirePermission(ctx, 'decisions.read');
  await assertAgent(ctx, agentId);
  const items = await db().decisionLog.findMany({
    where: { tenantId: ctx.tenantId, agentId },
    orderBy: { time: 'desc' },
    take: AGENT_DECISIONS_LIMIT,
    select: {
      id: true,
      time: true,
      tool: true,
      toolId: true,
      action: true,
      resource: true,
      allow: true,
      reason: true,
      explanation: true,
      onBehalfOf: true,
      grantId: true,
      taskId: true,
      source: true,
      serverId: true,
    },
  });
  const servers = await db().mcpServer.findMany({ where: { tenantId: ctx.tenantId, id: { in: [...new Set(items.map((d) => d.serverId).filter((x): x is string => !!x))] } }, select: { id: true, name: true } });
  return { items: items.map((d) => ({ ...d, serverName: servers.find((s) => s.id === d.serverId)?.name ?? null })), limit: AGENT_DECISIONS_LIMIT };
}

/** Requests still waiting for a decision (not expired). */
export async function listAgentPendingRequests(ctx: ServiceContext, agentId: string) {
  requirePermission(ctx, 'agents.read');
  await assertAgent(ctx, agentId);
  const now = new Date();
  const requests = await db().accessRequest.findMany({
    where: { tenantId: ctx.tenantId, agentId, status: 'pending', expiresAt: { gt: now } },
    orderBy: { createdAt: 'desc' },
    take: 100,
    select: {
      id: true,
      toolId: true,
      actions: true,
      resource: true,
      durationSeconds: true,
      justification: true,
      taskId: true,
      onBehalfOf: true,
      requestedByUserId: true,
      requestedByServerId: true,
      expiresAt: true,
      createdAt: true,
      approvals: { select: { verdict: true, asRole: true } },
    },
  });
  const tools = await db().tool.findMany({
    where: { tenantId: ctx.tenantId, id: { in: [...new Set(requests.map((r) => r.toolId))] } },
    select: { id: true, name: true, risk: true, server: { select: { name: true } } },
  });
  const users = await db().user.findMany({ where: { id: { in: requests.map((r) => r.requestedByUserId).filter((x): x is string => !!x) } }, select: { id: true, email: true } });
  return {
    items: requests.map((r) => {
      const tool = tools.find((t) => t.id === r.toolId);
      return {
        ...r,
        tool: tool ? { id: tool.id, name: tool.name, risk: tool.risk, serverName: tool.server.name } : null,
        requestedBy: r.requestedByUserId ? (users.find((u) => u.id === r.requestedByUserId)?.email ?? 'former user') : r.requestedByServerId ? 'the agent (through its MCP server)' : null,
        approvalsSoFar: r.approvals.filter((a) => a.verdict === 'approve').length,
      };
    }),
  };
}
