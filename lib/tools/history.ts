import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { requirePermission } from '../auth/require';
import { notFound } from '../errors';
import { canonicalJson } from '../audit/hash';
import { pageQuerySchema, type Page } from '../pagination';
import { parseInput } from '../validation';
import { changedLines, type DiffLine } from './line-diff';

// A tool's definition history, newest first, each version with a line diff against the one
// before it and who made it. Versions carry no actor themselves; the audit event written in the
// same transaction (tool.created / tool.definition_changed, same hash) says who it was.

export interface ToolVersionItem {
  id: string;
  createdAt: Date;
  source: string;
  hash: string;
  liveGrants: number;
  description: string;
  inputSchema: unknown;
  annotations: unknown;
  actor: { type: string; label: string | null } | null;
  /** null for the first version; each diff is null when that part did not change */
  changes: { description: DiffLine[] | null; inputSchema: DiffLine[] | null; annotations: DiffLine[] | null } | null;
}

/** pretty JSON with sorted keys, so a reordering alone is not shown as a change */
function pretty(value: unknown): string {
  if (value === null || value === undefined) return '';
  return JSON.stringify(JSON.parse(canonicalJson(value)), null, 2);
}

const VERSION_EVENTS = ['tool.created', 'tool.definition_changed'];

export async function listToolVersions(ctx: ServiceContext, toolId: string, query: unknown): Promise<Page<ToolVersionItem>> {
  requirePermission(ctx, 'tools.read');
  const { cursor, limit } = parseInput(pageQuerySchema, query);
  const tool = await db().tool.findFirst({ where: { id: toolId, tenantId: ctx.tenantId }, select: { id: true } });
  if (!tool) throw notFound('Tool');
  // ids are time-ordered: id order is creation order. One row beyond the page tells whether
  // there is a next page, and one more is the base the page's last version is compared with.
  const rows = await db().toolDefinitionVersion.findMany({
    where: { tenantId: ctx.tenantId, toolId, ...(cursor ? { id: { lt: cursor } } : {}) },
    orderBy: { id: 'desc' },
    take: limit + 2,
  });
  const items = rows.slice(0, limit);
  if (items.length === 0) return { items: [], nextCursor: null };

  const oldest = items[items.length - 1].createdAt.getTime();
  const newest = items[0].createdAt.getTime();
  const events = await db().auditEvent.findMany({
    where: {
      tenantId: ctx.tenantId,
      targetType: 'tool',
      targetId: toolId,
      event: { in: VERSION_EVENTS },
      // the event's time is taken in the transaction that wrote the version, a moment later
      time: { gte: new Date(oldest - 60_000), lte: new Date(newest + 60_000) },
    },
    orderBy: { seq: 'asc' },
    select: { time: true, actorType: true, actorLabel: true, after: true },
  });

  const result = items.map((v, i): ToolVersionItem => {
    const prev = rows[i + 1];
    const match = events
      .filter((e) => (e.after as { hash?: string } | null)?.hash === v.hash && e.time.getTime() >= v.createdAt.getTime() - 1_000)
      .sort((a, b) => a.time.getTime() - b.time.getTime())[0];
    return {
      id: v.id,
      createdAt: v.createdAt,
      source: v.source,
      hash: v.hash,
      liveGrants: v.liveGrants,
      description: v.description,
      inputSchema: v.inputSchema,
      annotations: v.annotations,
      actor: match ? { type: match.actorType, label: match.actorLabel } : null,
      changes: prev
        ? {
            description: changedLines(prev.description, v.description),
            inputSchema: changedLines(pretty(prev.inputSchema), pretty(v.inputSchema)),
            annotations: changedLines(pretty(prev.annotations), pretty(v.annotations)),
          }
        : null,
    };
  });
  return { items: result, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}
