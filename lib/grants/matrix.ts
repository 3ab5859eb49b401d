import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { requirePermission } from '../auth/require';
import { notFound } from '../errors';
import { parseInput } from '../validation';
import { grantMatrixQuerySchema } from './schemas';

// Agent × tool for one server: who holds what, at a glance. Live grants only (not revoked, not
// expired); a cell merges an agent's grants on a tool.

export const MATRIX_MAX_AGENTS = 200;
export const MATRIX_MAX_TOOLS = 60;

export interface MatrixCell {
  agentId: string;
  toolId: string;
  grantCount: number;
  actions: string[];
  kinds: string[];
  /** when the cell's access ends: the latest end among its grants, null when one never ends */
  expiresAt: Date | null;
}

export async function grantMatrix(ctx: ServiceContext, query: unknown) {
  requirePermission(ctx, 'grants.read');
  const { serverId } = parseInput(grantMatrixQuerySchema, query);
  const servers = await db().mcpServer.findMany({ where: { tenantId: ctx.tenantId }, select: { id: true, name: true }, orderBy: { name: 'asc' } });
  const server = serverId ? servers.find((s) => s.id === serverId) : servers[0];
  if (serverId && !server) throw notFound('Server');
  if (!server) return { servers, server: null, tools: [], agents: [], cells: [], truncated: false };

  const now = new Date();
  const [tools, agents] = await Promise.all([
    db().tool.findMany({
      where: { tenantId: ctx.tenantId, serverId: server.id },
      select: { id: true, name: true, risk: true, status: true },
      orderBy: { name: 'asc' },
      take: MATRIX_MAX_TOOLS + 1,
    }),
    db().agent.findMany({ where: { tenantId: ctx.tenantId }, select: { id: true, name: true, status: true }, orderBy: { name: 'asc' }, take: MATRIX_MAX_AGENTS + 1 }),
  ]);
  const shownTools = tools.slice(0, MATRIX_MAX_TOOLS);
  const shownAgents = agents.slice(0, MATRIX_MAX_AGENTS);
  const grants = await db().grant.findMany({
    where: {
      tenantId: ctx.tenantId,
      toolId: { in: shownTools.map((t) => t.id) },
      agentId: { in: shownAgents.map((a) => a.id) },
      revokedAt: null,
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
    },
    select: { agentId: true, toolId: true, actions: true, kind: true, expiresAt: true },
  });
  const cells = new Map<string, MatrixCell>();
  for (const g of grants) {
    const key = `${g.agentId} ${g.toolId}`;
    const cell = cells.get(key) ?? { agentId: g.agentId, toolId: g.toolId, grantCount: 0, actions: [], kinds: [], expiresAt: g.expiresAt };
    cell.grantCount += 1;
    for (const a of g.actions) if (!cell.actions.includes(a)) cell.actions.push(a);
    if (!cell.kinds.includes(g.kind)) cell.kinds.push(g.kind);
    // a cell lasts as long as its longest grant; null (never ends) wins
    if (cell.grantCount > 1) cell.expiresAt = cell.expiresAt === null || g.expiresAt === null ? null : g.expiresAt > cell.expiresAt ? g.expiresAt : cell.expiresAt;
    cells.set(key, cell);
  }
  const order = ['read', 'write', 'admin', 'export'];
  for (const c of cells.values()) c.actions.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return {
    servers,
    server,
    tools: shownTools,
    agents: shownAgents,
    cells: [...cells.values()],
    truncated: tools.length > MATRIX_MAX_TOOLS || agents.length > MATRIX_MAX_AGENTS,
  };
}
