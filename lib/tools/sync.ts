import type { ServiceContext } from '../context';
import type { Tx } from '../db/client';
import { Prisma } from '../db/generated/client';
import { inTx } from '../db/tx';
import { recordAudit, recordAuditMany } from '../audit/record';
import { requirePermission } from '../auth/require';
import { notFound } from '../errors';
import { newId } from '../ids';
import type { Action } from '../policy';
import { parseInput } from '../validation';
import { toolDefinitionHash } from './definition-hash';
import { toolSyncInputSchema, type ToolSyncResult } from './schemas';
import { normalizeAnnotations, suggestRisk } from './suggest-risk';

/** A Json? column value: SQL NULL for absent (Prisma needs DbNull for that in updates). */
function json(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}

/**
 * A server syncs only its own tools; a console user (management API) needs tools.manage.
 * A server key of another server is answered as if the server did not exist.
 */
function assertMaySync(ctx: ServiceContext, serverId: string): void {
  if (ctx.actor.type === 'server') {
    if (ctx.actor.id !== serverId) throw notFound('Server');
    return;
  }
  requirePermission(ctx, 'tools.manage');
}

interface Definition {
  description: string;
  inputSchema: Record<string, unknown> | null;
  annotations: Record<string, string | boolean> | null;
}

/**
 * Records a server's `tools/list`. New tools arrive unclassified (every call denied) with a risk
 * suggested by their annotations; a changed definition is versioned and audited, flagged when
 * grants are live on it (a tool changing what it does under an existing grant is a known attack).
 * Tools the server no longer lists are reported, never deleted: their grants and history stay.
 */
export async function syncTools(ctx: ServiceContext, serverId: string, input: unknown): Promise<ToolSyncResult> {
  const data = parseInput(toolSyncInputSchema, input);
  assertMaySync(ctx, serverId);

  return inTx(async (tx) => {
    const server = await tx.mcpServer.findFirst({ where: { id: serverId, tenantId: ctx.tenantId }, select: { id: true } });
    if (!server) throw notFound('Server');
    // Two syncs of one server at once would race to create the same tools: one at a time.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'tool-sync:' + serverId}, 0))`;

    const now = new Date();
    const existing = await tx.tool.findMany({ where: { tenantId: ctx.tenantId, serverId } });
    const byName = new Map(existing.map((t) => [t.name, t]));
    const listed = new Set(data.tools.map((t) => t.name));

    const result: ToolSyncResult = { created: 0, updated: 0, unchanged: 0, missing: [], tools: [] };
    const unchangedIds: string[] = [];
    const created: { id: string; name: string; title: string | null; def: Definition; hash: string; suggestedRisk: ReturnType<typeof suggestRisk> }[] = [];

    for (const t of data.tools) {
      const def: Definition = {
        description: t.description ?? '',
        inputSchema: t.inputSchema ?? null,
        annotations: normalizeAnnotations(t.annotations),
      };
      const hash = toolDefinitionHash(def);
      const title = t.title ?? t.annotations?.title ?? null;
      const risk = suggestRisk(def.annotations);
      const tool = byName.get(t.name);

      if (!tool) {
        const id = newId('tool');
        created.push({ id, name: t.name, title, def, hash, suggestedRisk: risk });
        result.tools.push({ id, name: t.name, status: 'unclassified', risk: null, suggestedRisk: risk });
        continue;
      }

      if (tool.definitionHash !== hash) {
        await changeDefinition(tx, ctx, tool, { title, def, hash, suggestedRisk: risk, now });
        result.updated++;
        result.tools.push({ id: tool.id, name: tool.name, status: tool.status, risk: tool.risk, suggestedRisk: risk });
      } else if ((tool.title ?? null) !== title) {
        // Display only (not part of the definition hash), but still a change someone made.
        await tx.tool.update({ where: { id: tool.id }, data: { title, lastSyncedAt: now } });
        await recordAudit(tx, ctx, { event: 'tool.updated', targetType: 'tool', targetId: tool.id, before: { title: tool.title }, after: { title, source: 'sync' } });
        result.updated++;
        result.tools.push({ id: tool.id, name: tool.name, status: tool.status, risk: tool.risk, suggestedRisk: tool.suggestedRisk });
      } else {
        unchangedIds.push(tool.id);
        result.unchanged++;
        result.tools.push({ id: tool.id, name: tool.name, status: tool.status, risk: tool.risk, suggestedRisk: tool.suggestedRisk });
      }
    }

    if (created.length) {
      await tx.tool.createMany({
        data: created.map((c) => ({
          id: c.id,
          tenantId: ctx.tenantId,
          serverId,
          name: c.name,
          title: c.title,
          description: c.def.description,
          inputSchema: json(c.def.inputSchema),
          annotations: json(c.def.annotations),
          definitionHash: c.hash,
          status: 'unclassified' as const,
          risk: null,
          suggestedRisk: c.suggestedRisk,
          // Fail-safe until an owner classifies it: a tool that does not say it only reads is
          // treated as writing when a caller omits the action.
          defaultAction: (c.def.annotations?.readOnlyHint === true ? 'read' : 'write') satisfies Action,
          lastSyncedAt: now,
        })),
      });
      await tx.toolDefinitionVersion.createMany({
        data: created.map((c) => ({
          id: newId('toolVersion'),
          tenantId: ctx.tenantId,
          toolId: c.id,
          description: c.def.description,
          inputSchema: json(c.def.inputSchema),
          annotations: json(c.def.annotations),
          hash: c.hash,
          source: 'sync',
          liveGrants: 0,
        })),
      });
      await recordAuditMany(
        tx,
        ctx,
        created.map((c) => ({
          event: 'tool.created' as const,
          targetType: 'tool',
          targetId: c.id,
          after: { serverId, name: c.name, title: c.title, ...c.def, hash: c.hash, status: 'unclassified', suggestedRisk: c.suggestedRisk, source: 'sync' },
        })),
      );
      result.created = created.length;
    }

    if (unchangedIds.length) {
      await tx.tool.updateMany({ where: { tenantId: ctx.tenantId, id: { in: unchangedIds } }, data: { lastSyncedAt: now } });
    }

    result.missing = existing
      .filter((t) => !listed.has(t.name))
      .map((t) => t.name)
      .sort();
    return result;
  });
}

type ToolRow = Awaited<ReturnType<Tx['tool']['findFirstOrThrow']>>;

async function changeDefinition(
  tx: Tx,
  ctx: ServiceContext,
  tool: ToolRow,
  next: { title: string | null; def: Definition; hash: string; suggestedRisk: ReturnType<typeof suggestRisk>; now: Date },
): Promise<void> {
  const liveGrants = await tx.grant.count({ where: { tenantId: ctx.tenantId, toolId: tool.id, revokedAt: null } });
  await tx.tool.update({
    where: { id: tool.id },
    data: {
      title: next.title,
      description: next.def.description,
      inputSchema: json(next.def.inputSchema),
      annotations: json(next.def.annotations),
      definitionHash: next.hash,
      definitionChangedAt: next.now,
      suggestedRisk: next.suggestedRisk,
      lastSyncedAt: next.now,
    },
  });
  await tx.toolDefinitionVersion.create({
    data: {
      id: newId('toolVersion'),
      tenantId: ctx.tenantId,
      toolId: tool.id,
      description: next.def.description,
      inputSchema: json(next.def.inputSchema),
      annotations: json(next.def.annotations),
      hash: next.hash,
      source: 'sync',
      liveGrants,
    },
  });
  await recordAudit(tx, ctx, {
    event: 'tool.definition_changed',
    targetType: 'tool',
    targetId: tool.id,
    before: {
      title: tool.title,
      description: tool.description,
      annotations: tool.annotations,
      inputSchema: tool.inputSchema,
      hash: tool.definitionHash,
      suggestedRisk: tool.suggestedRisk,
    },
    after: {
      title: next.title,
      description: next.def.description,
      annotations: next.def.annotations,
      inputSchema: next.def.inputSchema,
      hash: next.hash,
      suggestedRisk: next.suggestedRisk,
      liveGrants,
      flagged: liveGrants > 0,
    },
  });
}
