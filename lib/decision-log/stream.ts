// Streaming exports shared by the decision log and the audit trail: CSV/NDJSON encoding and a
// ReadableStream that pulls one keyset page at a time. Nothing holds the whole result: the
// stream asks for the next page only when the client has taken the previous one (backpressure).

export type ExportFormat = 'csv' | 'ndjson';

/** Spreadsheet formula injection (OWASP): a cell starting with one of these is prefixed with '. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell per RFC 4180, neutralised against formula injection. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (value instanceof Date) s = value.toISOString();
  else if (typeof value === 'object') s = JSON.stringify(value);
  else s = String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}

/** NDJSON: one JSON object per line (JSON.stringify escapes newlines inside strings). */
export function ndjsonLine(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) + '\n';
}

export interface ExportColumn<T> {
  name: string;
  value: (row: T) => unknown;
}

export function encodeRow<T>(format: ExportFormat, columns: ExportColumn<T>[], row: T): string {
  if (format === 'csv') return csvLine(columns.map((c) => c.value(row)));
  return ndjsonLine(Object.fromEntries(columns.map((c) => [c.name, c.value(row) ?? null])));
}

export function contentType(format: ExportFormat): string {
  return format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8';
}

export type StreamOutcome = 'completed' | 'cancelled' | 'failed';

/**
 * A byte stream of a keyset-paginated result. `fetchPage(cursor)` returns up to one page and the
 * cursor after it (null at the end). Errors abort the stream, so a client never mistakes a
 * truncated file for a complete one.
 *
 * `onEnd(rows, outcome)` runs once when the stream ends, however it ends (exports record their
 * audit event there, with the number of rows that left). On completion it runs before the
 * stream closes and a failure of it fails the stream: a complete file is never delivered
 * without its record.
 */
export function keysetStream<T, C>(opts: {
  header?: string;
  fetchPage: (cursor: C | null) => Promise<{ rows: T[]; next: C | null }>;
  line: (row: T) => string;
  onEnd?: (rows: number, outcome: StreamOutcome) => Promise<void>;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: C | null = null;
  let started = false;
  let done = false;
  let rows = 0;
  const end = async (outcome: StreamOutcome) => opts.onEnd?.(rows, outcome);
  // after a cancel or an error the stream is gone: a failed record can only be logged
  const endQuietly = (outcome: StreamOutcome) => void end(outcome).catch((err) => console.error(`export: recording the ${outcome} export failed`, err));
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          if (opts.header) {
            controller.enqueue(encoder.encode(opts.header));
            return;
          }
        }
        if (done) return;
        let page: { rows: T[]; next: C | null };
        try {
          page = await opts.fetchPage(cursor);
        } catch (err) {
          done = true;
          console.error('export stream failed', err);
          controller.error(err);
          endQuietly('failed');
          return;
        }
        if (done) return; // cancelled while the page was loading
        if (page.rows.length > 0) controller.enqueue(encoder.encode(page.rows.map(opts.line).join('')));
        rows += page.rows.length;
        cursor = page.next;
        if (page.next !== null) return;
        done = true;
        try {
          await end('completed');
        } catch (err) {
          console.error('export: could not record the export; failing it', err);
          controller.error(err);
          return;
        }
        controller.close();
      },
      cancel() {
        // the client went away: the next pull never comes; record what had left by then
        if (done) return;
        done = true;
        endQuietly('cancelled');
      },
    },
    // one page in flight ahead of the reader at most
    { highWaterMark: 1 },
  );
}

export function exportFilename(kind: string, tenantSlug: string, format: ExportFormat, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${kind}-${tenantSlug.replace(/[^a-z0-9-]/gi, '')}-${stamp}.${format === 'csv' ? 'csv' : 'ndjson'}`;
}

export function exportResponse(stream: ReadableStream<Uint8Array>, format: ExportFormat, filename: string): Response {
  return new Response(stream, {
    status: 200,
    headers: {
      'content-type': contentType(format),
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
