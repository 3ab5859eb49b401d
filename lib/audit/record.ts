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
  const event = auditEventSchema.parse(input.event);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'audit:' + ctx.tenantId}, 0))`;
  const last = await tx.auditEvent.findFirst({
    where: { tenantId: ctx.tenantId },
    orderBy: { seq: 'desc' },
    select: { seq: true, hash: true },
  });
  const seq = (last?.seq ?? 0n) + 1n;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const row = {
    id: newId('audit'),
    tenantId: ctx.tenantId,
    seq,
    // millisecond precision: what timestamptz(3) stores, so the verifier recomputes the same hash
    time: new Date(Math.floor(Date.now())),
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    actorLabel: ctx.actor.label,
    event,
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
  await tx.auditEvent.create({
    data: {
      ...row,
      before: row.before ?? undefined,
      after: row.after ?? undefined,
      hash,
    },
  });
}
