import { z } from 'zod';
import type { ServiceContext } from '../context';
import { requirePermission } from '../auth/require';
import { parseInput } from '../validation';
import { recordExport } from '../audit/exported';
import { decisionFilterSchema, timeWindow } from './filters';
import { fetchDecisionRows, type DecisionLogItem } from './query';
import type { Cursor } from './sql';
import { csvLine, encodeRow, keysetStream, type ExportColumn, type ExportFormat } from './stream';

// CSV / NDJSON export of any filtered decision-log view, streamed page by page through the same
// keyset query as the console list. Permission audit.export (auditor, security, admin): it is
// checked, and the input validated, before the first byte, so a refusal is a clean 403/400.
// Every export is recorded as `decision_log.exported` with its filter and row count.

const formatSchema = z.object({ format: z.enum(['csv', 'ndjson']).default('csv') });

export const DECISION_EXPORT_COLUMNS: ExportColumn<DecisionLogItem>[] = [
  { name: 'id', value: (r) => r.id },
  { name: 'time', value: (r) => new Date(r.time).toISOString() },
  { name: 'allow', value: (r) => r.allow },
  { name: 'reason', value: (r) => r.reason },
  { name: 'authnReason', value: (r) => r.authnReason },
  { name: 'serverId', value: (r) => r.serverId },
  { name: 'serverName', value: (r) => r.serverName },
  { name: 'agentId', value: (r) => r.agentId },
  { name: 'agentName', value: (r) => r.agentName },
  { name: 'identityId', value: (r) => r.identityId },
  { name: 'subject', value: (r) => r.subject },
  { name: 'onBehalfOf', value: (r) => r.onBehalfOf },
  { name: 'tool', value: (r) => r.tool },
  { name: 'toolId', value: (r) => r.toolId },
  { name: 'action', value: (r) => r.action },
  { name: 'resource', value: (r) => r.resource },
  { name: 'grantId', value: (r) => r.grantId },
  { name: 'taskId', value: (r) => r.taskId },
  { name: 'latencyUs', value: (r) => r.latencyUs },
  { name: 'requestId', value: (r) => r.requestId },
  { name: 'source', value: (r) => r.source },
  { name: 'explanation', value: (r) => r.explanation },
  { name: 'context', value: (r) => r.context ?? null },
];

export const EXPORT_PAGE_SIZE = 2000;

export interface PreparedExport {
  format: ExportFormat;
  stream: ReadableStream<Uint8Array>;
}

export function exportDecisions(ctx: ServiceContext, input: unknown, opts: { pageSize?: number } = {}): PreparedExport {
  requirePermission(ctx, 'audit.export');
  const { format } = parseInput(formatSchema, input);
  const filters = parseInput(decisionFilterSchema, input);
  const pageSize = opts.pageSize ?? EXPORT_PAGE_SIZE;
  // one clock for the whole export: a relative range does not slide while pages stream
  const now = Date.now();
  const tenantId = ctx.tenantId;
  const stream = keysetStream<DecisionLogItem, Cursor>({
    header: format === 'csv' ? csvLine(DECISION_EXPORT_COLUMNS.map((c) => c.name)) : undefined,
    fetchPage: async (cursor) => {
      const rows = await fetchDecisionRows(tenantId, filters, cursor, pageSize, now);
      const last = rows[rows.length - 1];
      return { rows, next: rows.length < pageSize ? null : { time: new Date(last.time), id: last.id } };
    },
    line: (row) => encodeRow(format, DECISION_EXPORT_COLUMNS, row),
    onEnd: (rows, outcome) =>
      recordExport(ctx, { event: 'decision_log.exported', targetType: 'decision_log', format, filters, window: timeWindow(filters, now), rows, outcome }),
  });
  return { format, stream };
}
