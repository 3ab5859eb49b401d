import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { closePgPool, pgPool } from '../../lib/db/pool';
import { listDecisions, type DecisionLogItem } from '../../lib/decision-log/query';
import { getDecision } from '../../lib/decision-log/detail';
import { decisionStats } from '../../lib/decision-log/stats';
import { resourceIndexToken } from '../../lib/decision-log/resource-search';
import { newId } from '../../lib/ids';
import { insertDecisionRows, type DecisionLogRow } from '../../lib/decisions/log-writer';
import { AppError } from '../../lib/errors';
import { createLogWorld, newestFirst, type LogWorld } from './decision-log-seed';

let w: LogWorld;
let other: LogWorld;

beforeAll(async () => {
  w = await createLogWorld('dlq');
  // another tenant whose rows match every filter value of the first (same subjects, task ids,
  // tool names, resources): any missing tenant condition would show them
  other = await createLogWorld('dlq-other');
  // a resource that holds the rare token of "nvoice:105" but not the whole text: the index
  // lookup returns it, the check of the whole text must drop it
  const decoy = { ...w.rows[3], id: newId('decision', w.rows[3].time.getTime() - 1), time: new Date(w.rows[3].time.getTime() - 1), resource: 'ACCOUNT:105' };
  await insertDecisionRows(pgPool(), [decoy]);
  w.rows.push(decoy);
  // statistics for the resource search to judge which token is rarer (before its first use)
  await db().$executeRawUnsafe('ANALYZE "DecisionLog"');
});
afterAll(async () => {
  await closePgPool();
  await disconnectDb();
});

/** every row of a filtered view, paging with a small page size */
async function all(filters: Record<string, string>, limit = 7): Promise<DecisionLogItem[]> {
  const out: DecisionLogItem[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 500; guard++) {
    const page = await listDecisions(w.t.ctx('auditor'), { ...filters, limit: String(limit), ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
const expected = (pred: (r: DecisionLogRow) => boolean) => ids(newestFirst(w.rows.filter(pred)));

describe('decision log explorer: filters', () => {
  it('without filters lists the tenant’s rows, newest first, and nothing of another tenant', async () => {
    const rows = await all({});
    expect(ids(rows)).toEqual(expected(() => true));
    const foreign = new Set(other.rows.map((r) => r.id));
    expect(rows.some((r) => foreign.has(r.id))).toBe(false);
  });

  const cases: [string, () => Record<string, string>, (r: DecisionLogRow) => boolean][] = [
    ['server', () => ({ server: w.servers[1].id }), (r) => r.serverId === w.servers[1].id],
    ['agent', () => ({ agent: w.agents[1].id }), (r) => r.agentId === w.agents[1].id],
    ['identity subject', () => ({ subject: w.agents[2].subject }), (r) => r.subject === w.agents[2].subject],
    ['tool by id', () => ({ tool: w.tools[2].id }), (r) => r.toolId === w.tools[2].id],
    ['tool by name', () => ({ tool: 'update_invoice' }), (r) => r.tool === 'update_invoice'],
    ['action', () => ({ action: 'admin' }), (r) => r.action === 'admin'],
    ['outcome allow', () => ({ outcome: 'allow' }), (r) => r.allow],
    ['outcome deny', () => ({ outcome: 'deny' }), (r) => !r.allow],
    ['authorization reason', () => ({ reason: 'approval_required' }), (r) => r.reason === 'approval_required'],
    ['authentication reason', () => ({ reason: 'token_expired' }), (r) => r.authnReason === 'token_expired'],
    ['on behalf of', () => ({ onBehalfOf: 'user1@example.test' }), (r) => r.onBehalfOf === 'user1@example.test'],
    ['task id', () => ({ task: 'task-2' }), (r) => r.taskId === 'task-2'],
    ['resource free text (case-insensitive, anywhere)', () => ({ resource: 'VOICE:10' }), (r) => !!r.resource && r.resource.toLowerCase().includes('voice:10')],
    ['resource with LIKE wildcards taken literally', () => ({ resource: '_50%' }), (r) => !!r.resource?.includes('_50%')],
    ['resource, two tokens (index on the rarer, whole text checked)', () => ({ resource: 'nvoice:105' }), (r) => !!r.resource && r.resource.toLowerCase().includes('nvoice:105')],
    ['grant', () => ({ grant: w.grantId }), (r) => r.grantId === w.grantId],
    ['combined: agent + outcome + action', () => ({ agent: w.agents[0].id, outcome: 'deny', action: 'read' }), (r) => r.agentId === w.agents[0].id && !r.allow && r.action === 'read'],
  ];

  for (const [name, filters, pred] of cases) {
    it(`${name} narrows to exactly the matching rows`, async () => {
      const want = expected(pred);
      // a filter that matches everything or nothing would prove nothing
      expect(want.length).toBeGreaterThan(0);
      expect(want.length).toBeLessThan(w.rows.length);
      expect(ids(await all(filters()))).toEqual(want);
    });
  }

  it('free text looks up its rarest token in the index, and needs 3 characters', async () => {
    expect(await resourceIndexToken('nvoice:105')).toBe(':105');
    expect(await resourceIndexToken('voice:10')).toBeNull(); // ":10" is too short to look up alone
    const err = (await listDecisions(w.t.ctx('auditor'), { resource: ' ab ' }).catch((e) => e)) as AppError;
    expect(err.status).toBe(400);
    expect(err.invalidParams?.[0].name).toBe('resource');
  });

  it('a time window keeps [from, to) only', async () => {
    const sorted = newestFirst(w.rows);
    const from = sorted[40].time;
    const to = sorted[10].time;
    const want = expected((r) => r.time >= from && r.time < to);
    expect(want.length).toBeGreaterThan(20);
    expect(ids(await all({ from: from.toISOString(), to: to.toISOString() }))).toEqual(want);
  });

  it('a relative range counts back from now', async () => {
    const cutoff = Date.now() - 3_600_000;
    const rows = await all({ range: '1h' });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => new Date(r.time).getTime() >= cutoff - 5_000)).toBe(true);
    expect(ids(rows)).toEqual(expected((r) => r.time.getTime() >= cutoff).slice(0, rows.length));
  });

  it('rejects invalid filters and cursors with a 400 naming the field', async () => {
    for (const bad of [{ outcome: 'maybe' }, { reason: 'because' }, { from: 'yesterday' }, { cursor: 'not-a-cursor' }, { agent: "agt_1' OR 1=1 --" }, { limit: '5000' }]) {
      const err = await listDecisions(w.t.ctx('auditor'), bad).catch((e) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(400);
    }
    const err = (await listDecisions(w.t.ctx('auditor'), { from: '2026-02-02T00:00:00Z', to: '2026-02-01T00:00:00Z' }).catch((e) => e)) as AppError;
    expect(err.invalidParams?.[0].name).toBe('to');
  });

  it('members may not read the decision log (403)', async () => {
    const err = (await listDecisions(w.t.ctx('member'), {}).catch((e) => e)) as AppError;
    expect(err.status).toBe(403);
  });
});

describe('decision log explorer: keyset pagination', () => {
  it('pages neither overlap nor skip, whatever the page size, ties included', async () => {
    const want = expected(() => true);
    for (const limit of [1, 2, 5, 50, 200]) {
      const rows = await all({}, limit);
      expect(new Set(ids(rows)).size).toBe(rows.length);
      expect(ids(rows)).toEqual(want);
    }
  });

  it('a cursor from one filter stays inside the filter', async () => {
    const first = await listDecisions(w.t.ctx('auditor'), { outcome: 'deny', limit: '3' });
    const next = await listDecisions(w.t.ctx('auditor'), { outcome: 'deny', limit: '3', cursor: first.nextCursor! });
    expect(next.items.every((r) => !r.allow)).toBe(true);
    expect(ids(next.items)).toEqual(expected((r) => !r.allow).slice(3, 6));
  });

  it('rows written after the first page do not shift later pages', async () => {
    const first = await listDecisions(w.t.ctx('auditor'), { limit: '10' });
    // a newer row arrives between page 1 and page 2
    const fresh = { ...w.rows[0], id: 'dec_ZZZZZZZZZZZZZZZZZZZZZZZZZZ', time: new Date(), requestId: 'late' };
    await insertDecisionRows(pgPool(), [fresh]);
    const second = await listDecisions(w.t.ctx('auditor'), { limit: '10', cursor: first.nextCursor! });
    expect(ids(second.items)).toEqual(expected(() => true).slice(10, 20));
    w.rows.push(fresh);
  });
});

describe('decision detail', () => {
  it('has the full row, the grant, and the access request with its approvals', async () => {
    const row = newestFirst(w.rows).find((r) => r.grantId === w.grantId)!;
    const detail = await getDecision(w.t.ctx('auditor'), row.id);
    expect(detail.decision).toMatchObject({ id: row.id, tool: 'create_refund', allow: true, reason: 'granted', requestId: row.requestId, explanation: row.explanation });
    expect(detail.decision.agentName).toBe(w.agents.find((a) => a.id === row.agentId)!.name);
    expect(detail.grant).toMatchObject({ id: w.grantId, kind: 'jit', sourceRequestId: w.requestId });
    expect(detail.accessRequest).toMatchObject({ id: w.requestId, status: 'approved', justification: 'Refund batch INC-1' });
    expect(detail.accessRequest!.requestedBy?.email).toBe(w.t.users.member.email);
    expect(detail.accessRequest!.approvals).toHaveLength(1);
    expect(detail.accessRequest!.approvals[0]).toMatchObject({ verdict: 'approve', asRole: 'security', approver: { email: w.t.users.security.email } });
  });

  it('an authentication failure says why', async () => {
    const row = w.rows.find((r) => r.authnReason)!;
    const detail = await getDecision(w.t.ctx('security'), row.id);
    expect(detail.authentication).toMatchObject({ status: 'failed', reason: 'token_expired' });
    expect(detail.grant).toBeNull();
  });

  it('another tenant’s decision is not found (404, never 403)', async () => {
    const err = (await getDecision(w.t.ctx('admin'), other.rows[0].id).catch((e) => e)) as AppError;
    expect(err.status).toBe(404);
  });
});

describe('decision charts', () => {
  it('count per bucket and the top deny reasons of the filtered window', async () => {
    const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
    const from = new Date(to.getTime() - 12 * 3_600_000);
    const stats = await decisionStats(w.t.ctx('auditor'), { from: from.toISOString(), to: to.toISOString(), agent: w.agents[0].id });
    expect(stats.bucket).toBe('hour');
    expect(stats.series).toHaveLength(12);
    const inWindow = w.rows.filter((r) => r.agentId === w.agents[0].id && r.time >= from && r.time < to);
    expect(stats.series.reduce((n, b) => n + b.allow, 0)).toBe(inWindow.filter((r) => r.allow).length);
    expect(stats.series.reduce((n, b) => n + b.deny, 0)).toBe(inWindow.filter((r) => !r.allow).length);
    // each bucket holds exactly its hour's rows
    for (const b of stats.series) {
      const start = Date.parse(b.t);
      const inBucket = inWindow.filter((r) => r.time.getTime() >= start && r.time.getTime() < start + 3_600_000);
      expect(b.allow + b.deny).toBe(inBucket.length);
    }
    const denyCounts = new Map<string, number>();
    for (const r of inWindow.filter((r) => !r.allow)) denyCounts.set(r.reason, (denyCounts.get(r.reason) ?? 0) + 1);
    expect(Object.fromEntries(stats.topDenyReasons.map((r) => [r.reason, r.count]))).toEqual(Object.fromEntries(denyCounts));
  });

  it('an unbounded filter charts the last 24 hours; a long one switches to days', async () => {
    const s1 = await decisionStats(w.t.ctx('auditor'), {});
    expect(s1.bucket).toBe('hour');
    expect(Date.parse(s1.to) - Date.parse(s1.from)).toBe(86_400_000);
    const s2 = await decisionStats(w.t.ctx('auditor'), { range: '90d' });
    expect(s2.bucket).toBe('day');
    expect(s2.truncated).toBe(true);
  });
});
