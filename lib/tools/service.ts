import type { ServiceContext } from '../context';
import { db } from '../db/client';
import type { Tx } from '../db/client';
import { Prisma } from '../db/generated/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { requirePermission } from '../auth/require';
import { conflict, invalid, isUniqueViolation, notFound } from '../errors';
import { newId } from '../ids';
import { pageQuerySchema, toPage } from '../pagination';
import type { Action } from '../policy';
import { parseInput } from '../validation';
import { toolDefinitionHash } from './definition-hash';
import { classifyToolSchema, createToolSchema, toolListQuerySchema, toolOwnerSchema, toolStatusSchema, updateToolSchema } from './manage-schemas';
import { normalizeAnnotations, suggestRisk } from './suggest-risk';

// The tool catalog as people manage it: tools arrive by sync (sync.ts) or are added here, sit
// unclassified (every call denied) until security classifies them, and keep a definition
// history. Reading needs tools.read; every change needs tools.manage and is audited with it.

/** a tool has a handful of owners; the cap keeps the owner list a list, not a table to page */
export const MAX_TOOL_OWNERS = 20;

function json(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}

export async function loadTool(tx: Tx, ctx: ServiceContext, id: string) {
  const tool = await tx.tool.findFirst({ where: { id, tenantId: ctx.tenantId } });
  if (!tool) throw notFound('Tool');
  return tool;
}

const liveGrantsWhere = { revokedAt: null } as const;

/** Flag a definition that changed while grants were live on it, until someone reviews it. */
function definitionFlag(tool: { definitionChangedAt: Date | null }, latest: { liveGrants: number } | undefined) {
  if (!tool.definitionChangedAt || !latest || latest.liveGrants === 0) return null;
  return { changedAt: tool.definitionChangedAt, liveGrants: latest.liveGrants };
}

export async function listTools(ctx: ServiceContext, query: unknown) {
  requirePermission(ctx, 'tools.read');
  const { cursor, limit } = parseInput(pageQuerySchema, query);
  const f = parseInput(toolListQuerySchema, query);
  const rows = await db().tool.findMany({
    where: {
      tenantId: ctx.tenantId,
      ...(f.serverId ? { serverId: f.serverId } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(f.risk ? { risk: f.risk } : {}),
      ...(f.changed ? { definitionChangedAt: { not: null } } : {}),
      ...(f.q
        ? { OR: [{ name: { contains: f.q, mode: 'insensitive' } }, { title: { contains: f.q, mode: 'insensitive' } }, { description: { contains: f.q, mode: 'insensitive' } }] }
        : {}),
      ...(cursor ? { id: { lt: cursor } } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit + 1,
    select: {
      id: true,
      serverId: true,
      name: true,
      title: true,
      description: true,
      annotations: true,
      status: true,
      risk: true,
      suggestedRisk: true,
      defaultAction: true,
      sensitivity: true,
      definitionChangedAt: true,
      lastSyncedAt: true,
      createdAt: true,
      server: { select: { id: true, name: true, status: true } },
      definitions: { orderBy: { createdAt: 'desc' }, take: 1, select: { liveGrants: true } },
      _count: { select: { owners: true, grants: { where: liveGrantsWhere } } },
    },
  });
  const page = toPage(rows, limit);
  return {
    nextCursor: page.nextCursor,
    items: page.items.map(({ _count, definitions, ...t }) => ({
      ...t,
      ownerCount: _count.owners,
      liveGrantCount: _count.grants,
      definitionFlag: definitionFlag(t, definitions[0]),
    })),
  };
}

export type ToolListItem = Awaited<ReturnType<typeof listTools>>['items'][number];

export async function getTool(ctx: ServiceContext, id: string) {
  requirePermission(ctx, 'tools.read');
  const tool = await db().tool.findFirst({
    where: { id, tenantId: ctx.tenantId },
    include: {
      server: { select: { id: true, name: true, status: true, audience: true } },
      owners: { orderBy: { createdAt: 'asc' } },
      definitions: { orderBy: { createdAt: 'desc' }, take: 1, select: { liveGrants: true } },
      _count: { select: { grants: { where: liveGrantsWhere }, definitions: true } },
    },
  });
  if (!tool) throw notFound('Tool');
  const { owners, definitions, _count, ...rest } = tool;
  // ToolOwner has no relation to User in the schema: fetch the people, and say when an owner
  // has since left the tenant (they no longer approve anything, but the row shows who it was)
  const userIds = owners.map((o) => o.userId);
  const [users, members] = userIds.length
    ? await Promise.all([
        db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true, name: true } }),
        db().membership.findMany({ where: { tenantId: ctx.tenantId, userId: { in: userIds } }, select: { userId: true } }),
      ])
    : [[], []];
  const byId = new Map(users.map((u) => [u.id, u]));
  const memberIds = new Set(members.map((m) => m.userId));
  return {
    ...rest,
    owners: owners.map((o) => ({
      userId: o.userId,
      createdAt: o.createdAt,
      email: memberIds.has(o.userId) ? (byId.get(o.userId)?.email ?? null) : null,
      name: memberIds.has(o.userId) ? (byId.get(o.userId)?.name ?? null) : null,
      isMember: memberIds.has(o.userId),
    })),
    liveGrantCount: _count.grants,
    versionCount: _count.definitions,
    definitionFlag: definitionFlag(rest, definitions[0]),
  };
}

/** Adds a tool by hand (a server that does not sync, or before it first does). */
export async function createTool(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, 'tools.manage');
  const data = parseInput(createToolSchema, input);
  try {
    return await inTx(async (tx) => {
      const server = await tx.mcpServer.findFirst({ where: { id: data.serverId, tenantId: ctx.tenantId }, select: { id: true, name: true } });
      if (!server) throw notFound('Server');
      const def = { description: data.description, inputSchema: data.inputSchema ?? null, annotations: normalizeAnnotations(data.annotations) };
      const hash = toolDefinitionHash(def);
      const suggestedRisk = suggestRisk(def.annotations);
      const id = newId('tool');
      const tool = await tx.tool.create({
        data: {
          id,
          tenantId: ctx.tenantId,
          serverId: server.id,
          name: data.name,
          title: data.title ?? null,
          description: def.description,
          inputSchema: json(def.inputSchema),
          annotations: json(def.annotations),
          definitionHash: hash,
          status: 'unclassified',
          suggestedRisk,
          // same fail-safe as sync: unless it says it only reads, an omitted action means write
          defaultAction: (def.annotations?.readOnlyHint === true ? 'read' : 'write') satisfies Action,
        },
      });
      await tx.toolDefinitionVersion.create({
        data: { id: newId('toolVersion'), tenantId: ctx.tenantId, toolId: id, description: def.description, inputSchema: json(def.inputSchema), annotations: json(def.annotations), hash, source: 'console', liveGrants: 0 },
      });
      await recordAudit(tx, ctx, {
        event: 'tool.created',
        targetType: 'tool',
        targetId: id,
        after: { serverId: server.id, serverName: server.name, name: data.name, title: tool.title, ...def, hash, status: 'unclassified', suggestedRisk, source: 'console' },
      });
      return tool;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`This server already has a tool named "${data.name}"`);
    throw err;
  }
}

/**
 * Edits title, description or input schema. A definition change is versioned and flagged like
 * one from sync: a tool changing what it says it does under live grants deserves a second look.
 */
export async function updateTool(ctx: ServiceContext, id: string, input: unknown) {
  requirePermission(ctx, 'tools.manage');
  const data = parseInput(updateToolSchema, input);
  return inTx(async (tx) => {
    const before = await loadTool(tx, ctx, id);
    const def = {
      description: data.description ?? before.description,
      inputSchema: data.inputSchema === undefined ? (before.inputSchema as Record<string, unknown> | null) : data.inputSchema,
      annotations: before.annotations as Record<string, string | boolean> | null,
    };
    const hash = toolDefinitionHash(def);
    const title = data.title === undefined ? before.title : data.title;
    if (hash === before.definitionHash) {
      if (title === before.title) return before;
      const after = await tx.tool.update({ where: { id }, data: { title } });
      await recordAudit(tx, ctx, { event: 'tool.updated', targetType: 'tool', targetId: id, before: { title: before.title }, after: { title, source: 'console' } });
      return after;
    }
    const now = new Date();
    const liveGrants = await tx.grant.count({ where: { tenantId: ctx.tenantId, toolId: id, revokedAt: null } });
    const after = await tx.tool.update({
      where: { id },
      data: { title, description: def.description, inputSchema: json(def.inputSchema), definitionHash: hash, definitionChangedAt: now },
    });
    await tx.toolDefinitionVersion.create({
      data: { id: newId('toolVersion'), tenantId: ctx.tenantId, toolId: id, description: def.description, inputSchema: json(def.inputSchema), annotations: json(def.annotations), hash, source: 'console', liveGrants },
    });
    await recordAudit(tx, ctx, {
      event: 'tool.definition_changed',
      targetType: 'tool',
      targetId: id,
      before: { title: before.title, description: before.description, inputSchema: before.inputSchema, hash: before.definitionHash },
      after: { title, description: def.description, inputSchema: def.inputSchema, hash, liveGrants, flagged: liveGrants > 0, source: 'console' },
    });
    return after;
  });
}

/** Classifying an unclassified tool makes it active; a disabled tool stays disabled until enabled. */
export async function classifyTool(ctx: ServiceContext, id: string, input: unknown) {
  requirePermission(ctx, 'tools.manage');
  const data = parseInput(classifyToolSchema, input);
  return inTx(async (tx) => {
    const before = await loadTool(tx, ctx, id);
    const status = before.status === 'unclassified' ? 'active' : before.status;
    if (before.risk === data.risk && before.defaultAction === data.defaultAction && before.sensitivity === data.sensitivity && status === before.status) return before;
    const after = await tx.tool.update({ where: { id }, data: { ...data, status } });
    await recordAudit(tx, ctx, {
      event: 'tool.classified',
      targetType: 'tool',
      targetId: id,
      before: { risk: before.risk, defaultAction: before.defaultAction, sensitivity: before.sensitivity, status: before.status },
      after: { risk: after.risk, defaultAction: after.defaultAction, sensitivity: after.sensitivity, status: after.status, suggestedRisk: before.suggestedRisk },
    });
    return after;
  });
}

export async function setToolStatus(ctx: ServiceContext, id: string, input: unknown) {
  requirePermission(ctx, 'tools.manage');
  const { status } = parseInput(toolStatusSchema, input);
  return inTx(async (tx) => {
    const before = await loadTool(tx, ctx, id);
    if (before.status === status) return before;
    // enabling an unclassified tool would let it be called with no risk level behind its grants
    if (status === 'active' && before.risk === null) {
      throw invalid('Classify this tool before enabling it', [{ name: 'status', reason: 'the tool has no risk level yet' }]);
    }
    const after = await tx.tool.update({ where: { id }, data: { status } });
    await recordAudit(tx, ctx, {
      event: status === 'disabled' ? 'tool.disabled' : 'tool.enabled',
      targetType: 'tool',
      targetId: id,
      before: { status: before.status },
      after: { status },
    });
    return after;
  });
}

/** Clears the "definition changed under live grants" flag once someone has looked at it. */
export async function markToolDefinitionReviewed(ctx: ServiceContext, id: string) {
  requirePermission(ctx, 'tools.manage');
  return inTx(async (tx) => {
    const before = await loadTool(tx, ctx, id);
    if (!before.definitionChangedAt) return before;
    const after = await tx.tool.update({ where: { id }, data: { definitionChangedAt: null } });
    await recordAudit(tx, ctx, {
      event: 'tool.updated',
      targetType: 'tool',
      targetId: id,
      before: { definitionChangedAt: before.definitionChangedAt },
      after: { definitionChangedAt: null, definitionReviewed: true, hash: before.definitionHash },
    });
    return after;
  });
}

export async function addToolOwner(ctx: ServiceContext, id: string, input: unknown) {
  requirePermission(ctx, 'tools.manage');
  const { userId } = parseInput(toolOwnerSchema, input);
  try {
    return await inTx(async (tx) => {
      const tool = await loadTool(tx, ctx, id);
      const member = await tx.membership.findFirst({ where: { tenantId: ctx.tenantId, userId }, include: { user: { select: { email: true, name: true } } } });
      if (!member) throw invalid('Owners must be members of this tenant', [{ name: 'userId', reason: 'not a member of this tenant' }]);
      const existing = await tx.toolOwner.findUnique({ where: { toolId_userId: { toolId: id, userId } } });
      if (existing) throw conflict(`${member.user.email} already owns ${tool.name}`);
      const count = await tx.toolOwner.count({ where: { toolId: id } });
      if (count >= MAX_TOOL_OWNERS) throw invalid(`A tool can have at most ${MAX_TOOL_OWNERS} owners`, [{ name: 'userId', reason: `at most ${MAX_TOOL_OWNERS} owners` }]);
      const owner = await tx.toolOwner.create({ data: { tenantId: ctx.tenantId, toolId: id, userId } });
      await recordAudit(tx, ctx, { event: 'tool.owner_added', targetType: 'tool', targetId: id, after: { userId, email: member.user.email, tool: tool.name } });
      return { toolId: id, userId, email: member.user.email, name: member.user.name, createdAt: owner.createdAt };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('This member already owns the tool');
    throw err;
  }
}

export async function removeToolOwner(ctx: ServiceContext, id: string, userId: string) {
  requirePermission(ctx, 'tools.manage');
  return inTx(async (tx) => {
    const tool = await loadTool(tx, ctx, id);
    const owner = await tx.toolOwner.findFirst({ where: { tenantId: ctx.tenantId, toolId: id, userId } });
    if (!owner) throw notFound('Owner');
    await tx.toolOwner.delete({ where: { toolId_userId: { toolId: id, userId } } });
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true } });
    await recordAudit(tx, ctx, { event: 'tool.owner_removed', targetType: 'tool', targetId: id, before: { userId, email: user?.email ?? null, tool: tool.name } });
    return { toolId: id, userId };
  });
}

