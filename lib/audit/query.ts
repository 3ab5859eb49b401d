import type { ServiceContext } from '../context';
import { db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { requirePermission } from '../auth/require';
import { parseInput } from '../validation';
import { auditFilterSchema, auditPageSchema, auditTimeWindow, type AuditFilters } from './filters';

// The audit trail of console and API mutations, newest first, keyset-paginated on the tenant's
// chain sequence (seq desc): gap-free, unique and in commit order, so pages never overlap or skip.

export interface AuditItem {
  id: string;
  seq: string;
  time: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  event: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

export function auditWhere(tenantId: string, f: AuditFilters, now = Date.now()): Prisma.AuditEventWhereInput {
  const { from, to } = auditTimeWindow(f, now);
  const and: Prisma.AuditEventWhereInput[] = [{ tenantId }];
  if (from) and.push({ time: { gte: from } });
  if (to) and.push({ time: { lt: to } });
  if (f.actor) and.push({ OR: [{ actorId: f.actor }, { actorLabel: { contains: f.actor, mode: 'insensitive' } }] });
  if (f.actorType) and.push({ actorType: f.actorType });
  if (f.event) and.push({ event: f.event });
  if (f.targetType) and.push({ targetType: f.targetType });
  if (f.targetId) and.push({ targetId: f.targetId });
  return { AND: and };
}

function toItem(r: Prisma.AuditEventGetPayload<object>): AuditItem {
  return { ...r, seq: r.seq.toString() };
}

/** One page of a tenant's audit events strictly older than `beforeSeq` (when given). */
export async function fetchAuditRows(tenantId: string, filters: AuditFilters, beforeSeq: bigint | null, limit: number, now = Date.now()): Promise<AuditItem[]> {
  const where = auditWhere(tenantId, filters, now);
  const rows = await db().auditEvent.findMany({
    where: beforeSeq !== null ? { AND: [where, { seq: { lt: beforeSeq } }] } : where,
    orderBy: { seq: 'desc' },
    take: limit,
  });
  return rows.map(toItem);
}

/** ?actor&actorType&event&targetType&targetId&range|from|to&cursor&limit (permission audit.read) */
export async function listAuditEvents(ctx: ServiceContext, input: unknown): Promise<{ items: AuditItem[]; nextCursor: string | null }> {
  requirePermission(ctx, 'audit.read');
  const filters = parseInput(auditFilterSchema, input);
  const { cursor, limit } = parseInput(auditPageSchema, input);
  const rows = await fetchAuditRows(ctx.tenantId, filters, cursor ? BigInt(cursor) : null, limit + 1);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].seq : null };
}
