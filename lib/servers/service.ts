import type { ServiceContext } from '../context';
import { db } from '../db/client';
import type { Tx } from '../db/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { requirePermission } from '../auth/require';
import { conflict, isUniqueViolation, notFound } from '../errors';
import { newId } from '../ids';
import { pageQuerySchema, toPage, type Page } from '../pagination';
import { parseInput } from '../validation';
import { createServerSchema, serverListQuerySchema, serverStatusSchema, updateServerSchema } from './schemas';

// MCP servers (enforcement points). Everyone with servers.read sees them; security and admin
// register and change them (servers.manage). Keys live in keys.ts / key-list.ts.

export type ServerRow = Awaited<ReturnType<typeof loadServer>>;

export async function loadServer(tx: Tx, ctx: ServiceContext, id: string) {
  // another tenant's server is simply not found (404, never 403)
  const server = await tx.mcpServer.findFirst({ where: { id, tenantId: ctx.tenantId } });
  if (!server) throw notFound('Server');
  return server;
}

/** A readable 409 for whichever of the two unique fields clashes. */
async function assertUnique(tx: Tx, ctx: ServiceContext, v: { id?: string; name?: string; audience?: string }): Promise<void> {
  if (v.name === undefined && v.audience === undefined) return;
  const clash = await tx.mcpServer.findFirst({
    where: {
      tenantId: ctx.tenantId,
      ...(v.id ? { id: { not: v.id } } : {}),
      OR: [...(v.name !== undefined ? [{ name: v.name }] : []), ...(v.audience !== undefined ? [{ audience: v.audience }] : [])],
    },
    select: { name: true, audience: true },
  });
  if (!clash) return;
  if (v.name !== undefined && clash.name === v.name) throw conflict(`A server named "${v.name}" already exists`);
  throw conflict(`Server "${clash.name}" already uses the audience ${v.audience}: an audience identifies one server, or tokens for one would be accepted by the other`);
}

function uniqueConflict(err: unknown): never {
  if (isUniqueViolation(err)) throw conflict('A server with this name or audience already exists');
  throw err;
}

export interface ServerListItem extends ServerRow {
  toolCount: number;
  unclassifiedCount: number;
  activeKeyCount: number;
}

export async function listServers(ctx: ServiceContext, query: unknown): Promise<Page<ServerListItem>> {
  requirePermission(ctx, 'servers.read');
  const { cursor, limit } = parseInput(pageQuerySchema, query);
  const { q, status } = parseInput(serverListQuerySchema, query);
  const now = new Date();
  const rows = await db().mcpServer.findMany({
    where: {
      tenantId: ctx.tenantId,
      ...(status ? { status } : {}),
      ...(q
        ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { description: { contains: q, mode: 'insensitive' } }, { audience: { contains: q, mode: 'insensitive' } }] }
        : {}),
      ...(cursor ? { id: { lt: cursor } } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit + 1,
    include: {
      _count: { select: { tools: true, keys: { where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } } } },
    },
  });
  const page = toPage(rows, limit);
  const unclassified = page.items.length
    ? await db().tool.groupBy({
        by: ['serverId'],
        where: { tenantId: ctx.tenantId, status: 'unclassified', serverId: { in: page.items.map((s) => s.id) } },
        _count: { _all: true },
      })
    : [];
  const unclassifiedBy = new Map(unclassified.map((u) => [u.serverId, u._count._all]));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map(({ _count, ...s }) => ({ ...s, toolCount: _count.tools, activeKeyCount: _count.keys, unclassifiedCount: unclassifiedBy.get(s.id) ?? 0 })),
  };
}

export async function getServer(ctx: ServiceContext, id: string) {
  requirePermission(ctx, 'servers.read');
  const server = await db().mcpServer.findFirst({ where: { id, tenantId: ctx.tenantId } });
  if (!server) throw notFound('Server');
  return server;
}

export async function createServer(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, 'servers.manage');
  const data = parseInput(createServerSchema, input);
  try {
    return await inTx(async (tx) => {
      await assertUnique(tx, ctx, { name: data.name, audience: data.audience });
      const server = await tx.mcpServer.create({ data: { id: newId('server'), tenantId: ctx.tenantId, ...data } });
      await recordAudit(tx, ctx, { event: 'server.created', targetType: 'server', targetId: server.id, after: server });
      return server;
    });
  } catch (err) {
    uniqueConflict(err);
  }
}

export async function updateServer(ctx: ServiceContext, id: string, input: unknown) {
  requirePermission(ctx, 'servers.manage');
  const data = parseInput(updateServerSchema, input);
  try {
    return await inTx(async (tx) => {
      const before = await loadServer(tx, ctx, id);
      await assertUnique(tx, ctx, {
        id,
        name: data.name !== undefined && data.name !== before.name ? data.name : undefined,
        audience: data.audience !== undefined && data.audience !== before.audience ? data.audience : undefined,
      });
      const after = await tx.mcpServer.update({ where: { id }, data });
      await recordAudit(tx, ctx, { event: 'server.updated', targetType: 'server', targetId: id, before, after });
      return after;
    });
  } catch (err) {
    uniqueConflict(err);
  }
}

/** Disabling refuses the server's keys at once (every call 401) and keeps its tools and grants. */
export async function setServerStatus(ctx: ServiceContext, id: string, input: unknown) {
  requirePermission(ctx, 'servers.manage');
  const { status } = parseInput(serverStatusSchema, input);
  return inTx(async (tx) => {
    const before = await loadServer(tx, ctx, id);
    if (before.status === status) return before;
    const after = await tx.mcpServer.update({ where: { id }, data: { status } });
    await recordAudit(tx, ctx, {
      event: status === 'disabled' ? 'server.disabled' : 'server.enabled',
      targetType: 'server',
      targetId: id,
      before: { status: before.status },
      after: { status },
    });
    return after;
  });
}
