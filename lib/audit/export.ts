import { z } from 'zod';
import type { ServiceContext } from '../context';
import { requirePermission } from '../auth/require';
import { parseInput } from '../validation';
import { csvLine, encodeRow, keysetStream, type ExportColumn, type ExportFormat } from '../decision-log/stream';
import { recordExport } from './exported';
import { auditFilterSchema, auditTimeWindow } from './filters';
import { fetchAuditRows, type AuditItem } from './query';

// CSV / NDJSON export of a filtered audit trail, streamed page by page (seq desc). Hashes are
// included, so an exported trail can be re-verified outside Toolwarden. Permission audit.export,
// checked before the first byte. Each export is itself recorded (`audit_trail.exported`) when it
// ends, so it is not part of the file it describes.

const formatSchema = z.object({ format: z.enum(['csv', 'ndjson']).default('csv') });

export const AUDIT_EXPORT_COLUMNS: ExportColumn<AuditItem>[] = [
  { name: 'seq', value: (r) => r.seq },
  { name: 'id', value: (r) => r.id },
  { name: 'time', value: (r) => new Date(r.time).toISOString() },
  { name: 'actorType', value: (r) => r.actorType },
  { name: 'actorId', value: (r) => r.actorId },
  { name: 'actorLabel', value: (r) => r.actorLabel },
  { name: 'event', value: (r) => r.event },
  { name: 'targetType', value: (r) => r.targetType },
  { name: 'targetId', value: (r) => r.targetId },
  { name: 'before', value: (r) => r.before ?? null },
  { name: 'after', value: (r) => r.after ?? null },
  { name: 'ip', value: (r) => r.ip },
  { name: 'userAgent', value: (r) => r.userAgent },
  { name: 'requestId', value: (r) => r.requestId },
  { name: 'prevHash', value: (r) => r.prevHash },
  { name: 'hash', value: (r) => r.hash },
];

export function exportAuditEvents(ctx: ServiceContext, input: unknown, opts: { pageSize?: number } = {}): { format: ExportFormat; stream: ReadableStream<Uint8Array> } {
  requirePermission(ctx, 'audit.export');
  const { format } = parseInput(formatSchema, input);
  const filters = parseInput(auditFilterSchema, input);
  const pageSize = opts.pageSize ?? 1000;
  const now = Date.now();
  const tenantId = ctx.tenantId;
  const stream = keysetStream<AuditItem, bigint>({
    header: format === 'csv' ? csvLine(AUDIT_EXPORT_COLUMNS.map((c) => c.name)) : undefined,
    fetchPage: async (cursor) => {
      const rows = await fetchAuditRows(tenantId, filters, cursor, pageSize, now);
      return { rows, next: rows.length < pageSize ? null : BigInt(rows[rows.length - 1].seq) };
    },
    line: (row) => encodeRow(format, AUDIT_EXPORT_COLUMNS, row),
    onEnd: (rows, outcome) =>
      recordExport(ctx, { event: 'audit_trail.exported', targetType: 'audit_trail', format, filters, window: auditTimeWindow(filters, now), rows, outcome }),
  });
  return { format, stream };
}
