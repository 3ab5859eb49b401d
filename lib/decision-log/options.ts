import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { requirePermission } from '../auth/require';

// What the filter bar offers to pick from: the tenant's servers, agents and tools by name.
// (Rows of deleted agents or tools can still be found by id in the URL.)

export async function decisionFilterOptions(ctx: ServiceContext) {
  requirePermission(ctx, 'decisions.read');
  const tenantId = ctx.tenantId;
  const [servers, agents, tools] = await Promise.all([
    db().mcpServer.findMany({ where: { tenantId }, select: { id: true, name: true }, orderBy: { name: 'asc' } }),
    db().agent.findMany({ where: { tenantId }, select: { id: true, name: true }, orderBy: { name: 'asc' }, take: 2000 }),
    db().tool.findMany({ where: { tenantId }, select: { id: true, name: true, serverId: true }, orderBy: [{ name: 'asc' }], take: 5000 }),
  ]);
  const serverName = new Map(servers.map((s) => [s.id, s.name]));
  return {
    servers,
    agents,
    tools: tools.map((t) => ({ id: t.id, name: t.name, serverName: serverName.get(t.serverId) ?? null })),
  };
}

export type DecisionFilterOptions = Awaited<ReturnType<typeof decisionFilterOptions>>;
