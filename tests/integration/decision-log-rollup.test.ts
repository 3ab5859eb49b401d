import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { closePgPool, pgPool } from '../../lib/db/pool';
import { insertDecisionRows, type DecisionLogRow } from '../../lib/decisions/log-writer';
import { decisionStats, type DecisionStats } from '../../lib/decision-log/stats';
import { createTenantFixture, type TenantFixture } from './fixtures';
import { rollupMismatches, rollupTotal } from './decision-log-rollup-check';
import { decisionRow } from './decision-log-seed';

// The charts' hourly roll-up ("DecisionLogHourly"): kept equal to the log by the insert trigger,
// and read by the charts for whole hours when the filter is only time, outcome and reason. The
// expected counts here are computed in JavaScript from the rows written, not by SQL.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DENY = ['no_grant', 'action_not_granted', 'approval_required', 'denied_by_rule'] as const;

let t: TenantFixture;
let other: TenantFixture;
let rows: DecisionLogRow[];
let now: number;

function decision(tenantId: string, time: number, i: number): DecisionLogRow {
  const unauth = i % 11 === 0;
  const allow = !unauth && i % 4 !== 0;
  return decisionRow(tenantId, new Date(time), {
    agentId: unauth ? null : `agt_roll${i % 3}`,
    resource: `invoice:${i}`,
    allow,
    reason: unauth ? 'not_authenticated' : allow ? 'granted' : DENY[i % DENY.length],
    authnReason: unauth ? (i % 2 ? 'token_expired' : 'token_signature_invalid') : null,
  });
}

beforeAll(async () => {
  t = await createTenantFixture('rollup');
  other = await createTenantFixture('rollup-other');
  now = Date.now();
  // six days back, every 37 min 13 s (never on an hour boundary for long), plus two rows in
  // the same millisecond and one exactly on an hour boundary
  rows = [];
  for (let i = 0, ms = now - 1_000; ms > now - 6 * DAY; i++, ms -= 37 * 60_000 + 13_000) rows.push(decision(t.tenantId, ms, i));
  const boundary = Math.floor(now / HOUR) * HOUR - 5 * HOUR;
  rows.push(decision(t.tenantId, boundary, 1), decision(t.tenantId, boundary, 2), decision(t.tenantId, boundary - 1, 4));
  // written in several group-commit batches, as the decision API does
  for (let i = 0; i < rows.length; i += 50) await insertDecisionRows(pgPool(), rows.slice(i, i + 50));
  await insertDecisionRows(
    pgPool(),
    Array.from({ length: 40 }, (_, i) => decision(other.tenantId, now - 1_000 - i * 1_800_000, i)),
  );
});
afterAll(async () => {
  await closePgPool();
  await disconnectDb();
});

function expectedStats(stats: DecisionStats, keep: (r: DecisionLogRow) => boolean) {
  const from = Date.parse(stats.from);
  const to = Date.parse(stats.to);
  const size = stats.bucket === 'day' ? DAY : HOUR;
  const inWindow = rows.filter((r) => r.time.getTime() >= from && r.time.getTime() < to && keep(r));
  const buckets = new Map<number, { allow: number; deny: number }>();
  for (const r of inWindow) {
    const b = Math.floor(r.time.getTime() / size) * size;
    const v = buckets.get(b) ?? { allow: 0, deny: 0 };
    if (r.allow) v.allow++;
    else v.deny++;
    buckets.set(b, v);
  }
  const reasons = new Map<string, number>();
  for (const r of inWindow.filter((r) => !r.allow)) reasons.set(`${r.reason}|${r.authnReason ?? ''}`, (reasons.get(`${r.reason}|${r.authnReason ?? ''}`) ?? 0) + 1);
  return { total: inWindow.length, buckets, reasons };
}

function checkStats(stats: DecisionStats, keep: (r: DecisionLogRow) => boolean) {
  const want = expectedStats(stats, keep);
  for (const b of stats.series) expect({ t: b.t, allow: b.allow, deny: b.deny }).toEqual({ t: b.t, ...(want.buckets.get(Date.parse(b.t)) ?? { allow: 0, deny: 0 }) });
  expect(stats.series.reduce((n, b) => n + b.allow + b.deny, 0)).toBe(want.total);
  // fewer than 8 deny reasons here, so the "top" list is all of them
  expect(Object.fromEntries(stats.topDenyReasons.map((r) => [`${r.reason}|${r.authnReason ?? ''}`, r.count]))).toEqual(Object.fromEntries(want.reasons));
  return want;
}

describe('hourly roll-up', () => {
  it('equals the log after group-commit inserts; re-sent rows and other tenants change nothing', async () => {
    expect(await rollupMismatches([t.tenantId, other.tenantId])).toEqual([]);
    expect(await rollupTotal(t.tenantId)).toBe(rows.length);
    expect(await rollupTotal(other.tenantId)).toBe(40);

    // an SDK re-uploading the same decisions: ON CONFLICT DO NOTHING stores, and counts, nothing
    expect(await insertDecisionRows(pgPool(), rows.slice(0, 30))).toBe(0);
    expect(await rollupTotal(t.tenantId)).toBe(rows.length);
    expect(await rollupMismatches([t.tenantId])).toEqual([]);
  });
});

describe('charts from the roll-up', () => {
  const windows: [string, () => Record<string, string>][] = [
    ['ragged window (hours)', () => ({ from: new Date(now - 30 * HOUR - 17 * 60_000 - 3_000).toISOString(), to: new Date(now - 2 * HOUR - 41 * 60_000).toISOString() })],
    ['window on whole hours', () => ({ from: new Date(Math.floor(now / HOUR) * HOUR - 40 * HOUR).toISOString(), to: new Date(Math.floor(now / HOUR) * HOUR - 4 * HOUR).toISOString() })],
    ['window inside one hour', () => ({ from: new Date(Math.floor(now / HOUR) * HOUR - 3 * HOUR + 60_000).toISOString(), to: new Date(Math.floor(now / HOUR) * HOUR - 2 * HOUR - 60_000).toISOString() })],
    ['last 7 days (days)', () => ({ range: '7d' })],
    ['default window (24 h)', () => ({})],
  ];
  const filters: [string, Record<string, string>, (r: DecisionLogRow) => boolean][] = [
    ['no filter', {}, () => true],
    ['outcome deny', { outcome: 'deny' }, (r) => !r.allow],
    ['outcome allow', { outcome: 'allow' }, (r) => r.allow],
    ['reason no_grant', { reason: 'no_grant' }, (r) => r.reason === 'no_grant'],
    ['authn reason token_expired', { reason: 'token_expired' }, (r) => r.authnReason === 'token_expired'],
    ['agent (not in the roll-up: counted from the log)', { agent: 'agt_roll1' }, (r) => r.agentId === 'agt_roll1'],
  ];
  for (const [wName, window] of windows) {
    for (const [fName, filter, keep] of filters) {
      it(`${wName}, ${fName}: exact per bucket and per deny reason`, async () => {
        const stats = await decisionStats(t.ctx('auditor'), { ...window(), ...filter }, now);
        const w = window();
        if (w.from) expect([stats.from, stats.to]).toEqual([w.from, w.to]);
        const want = checkStats(stats, keep);
        if (fName === 'no filter' && wName !== 'window inside one hour') expect(want.total).toBeGreaterThan(20);
      });
    }
  }

  it('time, outcome and reason are read from the roll-up; any other filter counts the log', async () => {
    const hour = new Date(Math.floor(now / HOUR) * HOUR - 10 * HOUR);
    const window = { from: new Date(hour.getTime() - 2 * HOUR).toISOString(), to: new Date(hour.getTime() + 2 * HOUR).toISOString() };
    const before = await decisionStats(t.ctx('auditor'), window, now);
    const beforeAgent = await decisionStats(t.ctx('auditor'), { ...window, agent: 'agt_roll0' }, now);
    // a forged count in the roll-up (tests only): the roll-up path shows it, the log path cannot
    await db().$executeRawUnsafe(
      `INSERT INTO "DecisionLogHourly" ("tenantId", "hour", "allow", "reason", "authnReason", "count") VALUES ($1, $2, true, 'granted', '', 1000)
       ON CONFLICT ("tenantId", "hour", "allow", "reason", "authnReason") DO UPDATE SET "count" = "DecisionLogHourly"."count" + 1000`,
      t.tenantId,
      hour,
    );
    try {
      const after = await decisionStats(t.ctx('auditor'), window, now);
      const bucket = (s: DecisionStats) => s.series.find((b) => Date.parse(b.t) === hour.getTime())!;
      expect(bucket(after).allow).toBe(bucket(before).allow + 1000);
      expect(await decisionStats(t.ctx('auditor'), { ...window, agent: 'agt_roll0' }, now)).toEqual(beforeAgent);
    } finally {
      await db().$executeRawUnsafe(`UPDATE "DecisionLogHourly" SET "count" = "count" - 1000 WHERE "tenantId" = $1 AND "hour" = $2 AND "allow" AND "reason" = 'granted'`, t.tenantId, hour);
      await db().$executeRawUnsafe(`DELETE FROM "DecisionLogHourly" WHERE "tenantId" = $1 AND "count" <= 0`, t.tenantId);
    }
    expect(await rollupMismatches([t.tenantId])).toEqual([]);
  });

  it('another tenant’s counts never appear', async () => {
    const stats = await decisionStats(other.ctx('auditor'), { range: '7d' }, now);
    expect(stats.series.reduce((n, b) => n + b.allow + b.deny, 0)).toBe(40);
  });
});
