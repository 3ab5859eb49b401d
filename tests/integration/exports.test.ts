import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../lib/db/client';
import { closePgPool } from '../../lib/db/pool';
import { exportDecisions, DECISION_EXPORT_COLUMNS } from '../../lib/decision-log/export';
import { listDecisions, type DecisionLogItem } from '../../lib/decision-log/query';
import { csvCell, exportResponse, keysetStream } from '../../lib/decision-log/stream';
import { exportAuditEvents, AUDIT_EXPORT_COLUMNS } from '../../lib/audit/export';
import { listAuditEvents } from '../../lib/audit/query';
import { createAgent } from '../../lib/agents/service';
import { createReviewCampaign, exportReviewCampaignCsv } from '../../lib/reviews/service';
import { auditFilterSchema } from '../../lib/audit/filters';
import { verifyAuditChain } from '../../lib/audit/verify';
import { auditEventsFor } from './fixtures';
import { AppError } from '../../lib/errors';
import type { ServiceContext } from '../../lib/context';
import { createLogWorld, newestFirst, type LogWorld } from './decision-log-seed';

let w: LogWorld;
let other: LogWorld;

beforeAll(async () => {
  w = await createLogWorld('exp', { rows: 180 });
  other = await createLogWorld('exp-other', { rows: 30 });
});
afterAll(async () => {
  await closePgPool();
  await disconnectDb();
});

/** RFC 4180 parser, strict enough to catch broken quoting */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      cell += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (cell !== '') throw new Error(`quote inside an unquoted cell at ${i}`);
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 2;
    } else {
      cell += c;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quote');
  if (cell !== '' || row.length) throw new Error('last line not terminated');
  return rows;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

async function listAll(ctx: ServiceContext, filters: Record<string, string>): Promise<DecisionLogItem[]> {
  const out: DecisionLogItem[] = [];
  let cursor: string | null = null;
  do {
    const page = await listDecisions(ctx, { ...filters, limit: '200', ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** what a spreadsheet cell holds for a value, after neutralisation */
function expectedCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

describe('CSV cells', () => {
  it('neutralise formula injection and escape per RFC 4180', () => {
    expect(csvCell('=1+2')).toBe(`'=1+2`);
    expect(csvCell('+SUM(A1)')).toBe(`'+SUM(A1)`);
    expect(csvCell('-2+3')).toBe(`'-2+3`);
    expect(csvCell('@cmd')).toBe(`'@cmd`);
    expect(csvCell('\tx')).toBe(`'\tx`);
    expect(csvCell('=HYPERLINK("a","b")')).toBe(`"'=HYPERLINK(""a"",""b"")"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
    expect(csvCell(false)).toBe('false');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });
});

describe('streaming', () => {
  it('pulls a page only when the reader wants one (no whole-result buffering)', async () => {
    let calls = 0;
    const stream = keysetStream<number, number>({
      header: 'n\r\n',
      fetchPage: async (cursor) => {
        calls++;
        const start = cursor ?? 0;
        return { rows: [start, start + 1], next: start + 2 >= 1_000_000 ? null : start + 2 };
      },
      line: (n) => `${n}\r\n`,
    });
    const reader = stream.getReader();
    await reader.read(); // header
    await reader.read(); // first page
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBeLessThanOrEqual(2);
    await reader.cancel();
  });

  it('an error mid-stream aborts it instead of ending a truncated file cleanly', async () => {
    let calls = 0;
    const stream = keysetStream<number, number>({
      fetchPage: async () => {
        if (++calls > 1) throw new Error('database went away');
        return { rows: [1], next: 1 };
      },
      line: (n) => `${n}\n`,
    });
    await expect(readAll(stream)).rejects.toThrow();
  });
});

describe('decision log export', () => {
  it('CSV of a filtered view holds exactly the filtered rows, in order, with every column', async () => {
    const filters = { outcome: 'deny', server: w.servers[0].id };
    // a small page size: the export crosses many keyset pages
    const { format, stream } = exportDecisions(w.t.ctx('auditor'), { ...filters, format: 'csv' }, { pageSize: 7 });
    expect(format).toBe('csv');
    const res = exportResponse(stream, format, 'x.csv');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="x.csv"');
    const [header, ...lines] = parseCsv(await res.text());
    expect(header).toEqual(DECISION_EXPORT_COLUMNS.map((c) => c.name));

    const listed = await listAll(w.t.ctx('auditor'), filters);
    const want = newestFirst(w.rows.filter((r) => !r.allow && r.serverId === w.servers[0].id));
    expect(listed.map((r) => r.id)).toEqual(want.map((r) => r.id));
    expect(lines.map((l) => l[0])).toEqual(want.map((r) => r.id));
    for (const [i, item] of listed.entries()) {
      expect(lines[i]).toEqual(DECISION_EXPORT_COLUMNS.map((c) => expectedCell(c.value(item))));
    }
    // the seeded formula rows are in the export, neutralised
    const formula = lines.filter((l) => l[header.indexOf('explanation')].includes('HYPERLINK'));
    expect(formula.length).toBeGreaterThan(0);
    for (const l of formula) expect(l[header.indexOf('explanation')]).toBe(`'=HYPERLINK("http://evil.test","click"), then "quote"\nnew line`);
    expect(lines.some((l) => other.rows.some((o) => o.id === l[0]))).toBe(false);
  });

  it('NDJSON has one JSON object per row, equal to the filtered rows', async () => {
    const { stream } = exportDecisions(w.t.ctx('security'), { agent: w.agents[1].id, format: 'ndjson' }, { pageSize: 10 });
    const text = await readAll(stream);
    const objects = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const want = newestFirst(w.rows.filter((r) => r.agentId === w.agents[1].id));
    expect(objects.map((o) => o.id)).toEqual(want.map((r) => r.id));
    const byId = new Map(want.map((r) => [r.id, r]));
    for (const o of objects) {
      const r = byId.get(o.id as string)!;
      expect(o).toMatchObject({ time: r.time.toISOString(), allow: r.allow, reason: r.reason, tool: r.tool, resource: r.resource, explanation: r.explanation, context: r.context });
    }
  });

  it('an empty view exports only the header', async () => {
    const { stream } = exportDecisions(w.t.ctx('admin'), { task: 'no-such-task' });
    expect(parseCsv(await readAll(stream))).toHaveLength(1);
  });

  it('members are refused before anything is streamed (403); bad filters are a 400', () => {
    let err: unknown;
    try {
      exportDecisions(w.t.ctx('member'), { format: 'csv' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(403);
    expect(() => exportDecisions(w.t.ctx('auditor'), { format: 'xlsx' })).toThrow(AppError);
    expect(() => exportDecisions(w.t.ctx('auditor'), { outcome: 'perhaps' })).toThrow(AppError);
  });
});

describe('audit trail export', () => {
  it('CSV of a filtered audit view equals the listed events, hashes included, formulas neutralised', async () => {
    // an actor label crafted as a formula (e.g. a server named "=cmd|…")
    const evil: ServiceContext = { ...w.t.ctx('admin'), actor: { type: 'user', id: w.t.users.admin.id, label: '=cmd|"/c calc"!A1' } };
    await createAgent(evil, { name: 'export-target', description: '+1 improbable' });
    await createAgent(w.t.ctx('security'), { name: 'export-target-2' });
    const filters = { targetType: 'agent' };
    const { stream } = exportAuditEvents(w.t.ctx('auditor'), { ...filters, format: 'csv' }, { pageSize: 1 });
    const [header, ...lines] = parseCsv(await readAll(stream));
    expect(header).toEqual(AUDIT_EXPORT_COLUMNS.map((c) => c.name));
    const listed = (await listAuditEvents(w.t.ctx('auditor'), { ...filters, limit: '200' })).items;
    expect(listed.length).toBe(2);
    expect(lines).toEqual(listed.map((e) => AUDIT_EXPORT_COLUMNS.map((c) => expectedCell(c.value(e)))));
    expect(lines.map((l) => l[header.indexOf('actorLabel')])).toContain(`'=cmd|"/c calc"!A1`);
    expect(lines.every((l) => /^[0-9a-f]{64}$/.test(l[header.indexOf('hash')]))).toBe(true);
  });

  it('members are refused (403)', () => {
    expect(() => exportAuditEvents(w.t.ctx('member'), {})).toThrow(expect.objectContaining({ status: 403 }));
  });
});

describe('exports are recorded in the audit trail', () => {
  const exportEvents = async (event: string) => (await auditEventsFor(w.t.tenantId)).filter((e) => e.event === event);
  /** the stream's end is recorded after its last byte: wait for it rather than guess a delay */
  async function waitForEvents(event: string, n: number) {
    for (let i = 0; i < 100; i++) {
      const events = await exportEvents(event);
      if (events.length >= n) return events;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${event}: fewer than ${n} events`);
  }

  it('a decision export records who, the filter, the window, the format and the row count', async () => {
    const before = (await exportEvents('decision_log.exported')).length;
    const filters = { outcome: 'deny', server: w.servers[0].id, range: '30d' };
    const { stream } = exportDecisions(w.t.ctx('auditor'), { ...filters, format: 'csv' }, { pageSize: 7 });
    const [, ...lines] = parseCsv(await readAll(stream));
    const events = await waitForEvents('decision_log.exported', before + 1);
    expect(events).toHaveLength(before + 1);
    const e = events.at(-1)!;
    expect(e).toMatchObject({ actorType: 'user', actorId: w.t.users.auditor.id, targetType: 'decision_log' });
    const after = e.after as { format: string; filters: Record<string, unknown>; from: string; to: string | null; rows: number; outcome: string };
    expect(after).toMatchObject({ format: 'csv', filters, rows: lines.length, outcome: 'completed', to: null });
    expect(lines.length).toBeGreaterThan(7); // several pages, counted across all of them
    // the relative range is pinned to the instant the export ran
    expect(Math.abs(Date.parse(after.from) - (Date.now() - 30 * 86_400_000))).toBeLessThan(60_000);
    expect((await verifyAuditChain(w.t.tenantId)).ok).toBe(true);
  });

  it('an audit trail export is recorded after it ends, so it is not part of the file it describes', async () => {
    const before = (await exportEvents('audit_trail.exported')).length;
    const { stream } = exportAuditEvents(w.t.ctx('security'), { format: 'ndjson' }, { pageSize: 3 });
    const lines = (await readAll(stream)).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string });
    const events = await waitForEvents('audit_trail.exported', before + 1);
    expect(events.at(-1)).toMatchObject({ targetType: 'audit_trail', after: { format: 'ndjson', filters: {}, rows: lines.length, outcome: 'completed' } });
    expect(lines.filter((l) => l.event === 'audit_trail.exported')).toHaveLength(before);
  });

  it('a cancelled download is recorded with the rows that had left', async () => {
    const before = (await exportEvents('decision_log.exported')).length;
    const { stream } = exportDecisions(w.t.ctx('auditor'), { format: 'ndjson' }, { pageSize: 5 });
    const reader = stream.getReader();
    const first = await reader.read(); // first page (NDJSON has no header)
    expect(first.value && new TextDecoder().decode(first.value).split('\n').filter(Boolean)).toHaveLength(5);
    await reader.cancel();
    const e = (await waitForEvents('decision_log.exported', before + 1)).at(-1)!;
    expect(e.after).toMatchObject({ outcome: 'cancelled' });
    // the page read, and at most the one page fetched ahead of the reader
    expect([5, 10]).toContain((e.after as { rows: number }).rows);
  });

  it('when the export cannot be recorded, the file is not delivered complete', async () => {
    const before = (await exportEvents('decision_log.exported')).length;
    // an actor type the database refuses: recording the export fails
    const ctx = { ...w.t.ctx('auditor'), actor: { type: 'robot', id: 'x', label: 'x' } } as unknown as ServiceContext;
    const { stream } = exportDecisions(ctx, { task: 'task-1', format: 'csv' });
    await expect(readAll(stream)).rejects.toThrow();
    expect(await exportEvents('decision_log.exported')).toHaveLength(before);
  });

  it('a refused export streams nothing and records nothing', async () => {
    const before = (await auditEventsFor(w.t.tenantId)).length;
    expect(() => exportDecisions(w.t.ctx('member'), { format: 'csv' })).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => exportAuditEvents(w.t.ctx('member'), {})).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => exportDecisions(w.t.ctx('auditor'), { outcome: 'perhaps' })).toThrow(expect.objectContaining({ status: 400 }));
    await new Promise((r) => setTimeout(r, 100));
    expect(await auditEventsFor(w.t.tenantId)).toHaveLength(before);
  });

  it('a review campaign report is recorded before it is handed out', async () => {
    const c = await createReviewCampaign(w.t.ctx('security'), { name: 'Export audit', scope: { elevated: true }, deadline: new Date(Date.now() + 7 * 86_400_000).toISOString() });
    const { csv } = await exportReviewCampaignCsv(w.t.ctx('auditor'), c.id);
    const rows = parseCsv(csv).length - 1;
    expect(rows).toBeGreaterThan(0);
    const events = (await auditEventsFor(w.t.tenantId, c.id)).map((e) => ({ event: e.event, actorId: e.actorId, targetType: e.targetType, after: e.after }));
    expect(events.at(-1)).toEqual({ event: 'review.campaign_exported', actorId: w.t.users.auditor.id, targetType: 'review_campaign', after: { format: 'csv', filters: {}, rows, outcome: 'completed' } });
  });

  it('the audit trail filters find them by event', async () => {
    for (const event of ['decision_log.exported', 'audit_trail.exported', 'review.campaign_exported']) {
      expect(auditFilterSchema.safeParse({ event }).success).toBe(true);
      const listed = (await listAuditEvents(w.t.ctx('auditor'), { event, limit: '200' })).items;
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.every((e) => e.event === event)).toBe(true);
    }
    // and by target type
    const byTarget = (await listAuditEvents(w.t.ctx('auditor'), { targetType: 'decision_log', limit: '200' })).items;
    expect(byTarget.some((e) => e.event === 'decision_log.exported')).toBe(true);
  });
});
