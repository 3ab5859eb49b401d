import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { requirePermission } from '../auth/require';
import { verifyAuditChain, type ChainVerification } from './verify';

// The console's view of chain verification: the verifier's answer, plus the event at the first
// broken link (so a person sees what was altered) and where the chain starts after pruning.

export interface ChainStatus {
  result: ChainVerification;
  verifiedAt: string;
  checkpoint: { seq: string; createdAt: Date } | null;
  brokenEvent: { id: string; seq: string; time: Date; event: string; targetType: string; targetId: string | null; actorLabel: string | null } | null;
}

export async function auditChainStatus(ctx: ServiceContext): Promise<ChainStatus> {
  requirePermission(ctx, 'audit.read');
  const result = await verifyAuditChain(ctx.tenantId);
  const checkpoint = await db().auditCheckpoint.findUnique({ where: { tenantId: ctx.tenantId } });
  let brokenEvent: ChainStatus['brokenEvent'] = null;
  if (!result.ok) {
    const row = await db().auditEvent.findFirst({
      where: { id: result.brokenAt.id, tenantId: ctx.tenantId },
      select: { id: true, seq: true, time: true, event: true, targetType: true, targetId: true, actorLabel: true },
    });
    if (row) brokenEvent = { ...row, seq: row.seq.toString() };
  }
  return {
    result,
    verifiedAt: new Date().toISOString(),
    checkpoint: checkpoint ? { seq: checkpoint.seq.toString(), createdAt: checkpoint.createdAt } : null,
    brokenEvent,
  };
}
