import { db } from '../db/client';
import { auditHash, GENESIS_HASH } from './hash';

export type ChainVerification =
  | { ok: true; checked: number; headSeq: string | null }
  | { ok: false; checked: number; brokenAt: { seq: string; id: string; problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' } };

/**
 * Walks a tenant's audit chain in order, recomputing every hash. Streams in pages so a long
 * chain does not sit in memory. Starts from the pruning checkpoint when there is one.
 */
export async function verifyAuditChain(tenantId: string, pageSize = 1000): Promise<ChainVerification> {
  const checkpoint = await db().auditCheckpoint.findUnique({ where: { tenantId } });
  let expectedPrev = checkpoint?.hash ?? GENESIS_HASH;
  let expectedSeq = (checkpoint?.seq ?? 0n) + 1n;
  let checked = 0;
  let headSeq: bigint | null = null;
  for (;;) {
    const rows = await db().auditEvent.findMany({
      where: { tenantId, seq: { gte: expectedSeq } },
      orderBy: { seq: 'asc' },
      take: pageSize,
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== expectedSeq) return { ok: false, checked, brokenAt: { seq: String(expectedSeq), id: row.id, problem: 'sequence_gap' } };
      if (row.prevHash !== expectedPrev) return { ok: false, checked, brokenAt: { seq: String(row.seq), id: row.id, problem: 'prev_hash_mismatch' } };
      if (auditHash(row) !== row.hash) return { ok: false, checked, brokenAt: { seq: String(row.seq), id: row.id, problem: 'hash_mismatch' } };
      expectedPrev = row.hash;
      expectedSeq = row.seq + 1n;
      headSeq = row.seq;
      checked++;
    }
  }
  return { ok: true, checked, headSeq: headSeq === null ? null : String(headSeq) };
}
