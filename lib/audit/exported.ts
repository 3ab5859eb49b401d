import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { recordAudit } from './record';

// Exports are reads, but they copy the decision log, the audit trail or a review report out of
// Toolwarden, so each one is recorded in the tenant's audit trail: who, which view (the
// validated filter and the concrete time window it resolved to), the format and how many rows
// left. Streamed exports record when the stream ends (completed, cancelled or failed, see
// keysetStream); a review report, built whole, before it is returned.

export type ExportEvent = 'decision_log.exported' | 'audit_trail.exported' | 'review.campaign_exported';

export interface ExportRecord {
  event: ExportEvent;
  targetType: string;
  targetId?: string | null;
  format: string;
  /** the filter as validated (dates as ISO strings), undefined entries left out */
  filters?: Record<string, unknown>;
  /** the time window a relative range resolved to when the export started */
  window?: { from: Date | null; to: Date | null };
  rows: number;
  outcome: 'completed' | 'cancelled' | 'failed';
}

function plain(filters: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(filters ?? {})) if (v !== undefined) out[k] = v instanceof Date ? v.toISOString() : v;
  return out;
}

export async function recordExport(ctx: ServiceContext, r: ExportRecord): Promise<void> {
  await db().$transaction(async (tx) => {
    await recordAudit(tx, ctx, {
      event: r.event,
      targetType: r.targetType,
      targetId: r.targetId ?? null,
      after: {
        format: r.format,
        filters: plain(r.filters),
        ...(r.window ? { from: r.window.from?.toISOString() ?? null, to: r.window.to?.toISOString() ?? null } : {}),
        rows: r.rows,
        outcome: r.outcome,
      },
    });
  });
}
