import type { Tx } from '../db/client';
import type { ServiceContext } from '../context';
import { newId } from '../ids';
import { auditEventSchema, type AuditEventName } from './events';
import { auditHash, GENESIS_HASH } from './hash';
import { redact } from './redact';

export interface AuditInput {
  event: AuditEventName;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends one audit event inside the caller's transaction, so the change and its record commit
 * or roll back together. Per-tenant hash chain: an advisory lock serialises writers of one
 * tenant so `seq` and `prevHash` are gap-free and unforked.
 */
export async function recordAudit(tx: Tx, ctx: ServiceContext, input: AuditInput): Promise<void> {
  await recordAuditMany(tx, ctx, [input]);
}

/**
 * Appends several events of one change (e.g. a sync creating many tools) with one lock, one
 * read of the chain head and one insert, chained in order.
 */
export async function recordAuditMany(tx: Tx, ctx: ServiceContext, inputs: AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const events = inputs.map((i) => auditEventSchema.parse(i.event));
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'audit:' + ctx.tenantId}, 0))`;
  const last = await tx.auditEvent.findFirst({
    where: { tenantId: ctx.tenantId },
    orderBy: { seq: 'desc' },
    select: { seq: true, hash: true },
  });
  let seq = last?.seq ?? 0n;
  let prevHash = last?.hash ?? GENESIS_HASH;
  // millisecond precision: what timestamptz(3) stores, so the verifier recomputes the same hash
  const time = new Date(Math.floor(Date.now()));
  const rows = inputs.map((input, i) => {
    seq += 1n;
    const row = {
      id: newId('audit'),
      tenantId: ctx.tenantId,
      seq,
      time,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      actorLabel: ctx.actor.label,
      event: events[i],
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      before: (redact(input.before) ?? null) as object | null,
      after: (redact(input.after) ?? null) as object | null,
      ip: ctx.requestMeta.ip,
      userAgent: ctx.requestMeta.userAgent?.slice(0, 512) ?? null,
      requestId: ctx.requestMeta.requestId,
      prevHash,
    };
    const hash = auditHash(row);
    prevHash = hash;
    return { ...row, before: row.before ?? undefined, after: row.after ?? undefined, hash };
  });
  await tx.auditEvent.createMany({ data: rows });
}
