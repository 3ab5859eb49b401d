import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { closePgPool, pgPool } from '../../lib/db/pool';
import { insertDecisionRows, type DecisionLogRow } from '../../lib/decisions/log-writer';
import { pruneDecisionLog, retentionCutoff, startRetentionJob } from '../../lib/decision-log/retention';
import { getRetentionSettings, updateRetentionSettings } from '../../lib/decision-log/retention-settings';
import { verifyAuditChain } from '../../lib/audit/verify';
import { createAgent } from '../../lib/agents/service';
import { AppError } from '../../lib/errors';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';
import { rollupMismatches, rollupTotal } from './decision-log-rollup-check';
import { decisionRow } from './decision-log-seed';

const DAY = 86_400_000;
let a: TenantFixture; // keeps 30 days
let b: TenantFixture; // keeps 120 days: the longest, so it decides which partitions may go
let now: Date;
let rowsOf: Record<string, DecisionLogRow[]>;
let othersBefore: number;

function row(tenantId: string, time: Date, label: string): DecisionLogRow {
  return decisionRow(tenantId, time, { resource: label });
}

async function countOthers(): Promise<number> {
  const [r] = await db().$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "DecisionLog" WHERE "tenantId" NOT IN ($1, $2)`, a.tenantId, b.tenantId);
  return r.n;
}

async function remaining(t: TenantFixture): Promise<string[]> {
  const rows = await db().$queryRawUnsafe<{ resource: string }[]>(`SELECT "resource" FROM "DecisionLog" WHERE "tenantId" = $1 ORDER BY "time", "resource"`, t.tenantId);
  return rows.map((r) => r.resource);
}

beforeAll(async () => {
  a = await createTenantFixture('ret-a');
  b = await createTenantFixture('ret-b');
  await updateRetentionSettings(a.ctx('admin'), { decisionRetentionDays: 30 });
  await updateRetentionSettings(b.ctx('admin'), { decisionRetentionDays: 120 });
  await createAgent(a.ctx('admin'), { name: 'before-pruning' });
  now = new Date();
  // monthly partitions for the past eight months (the migration only creates current + ahead)
  await db().$executeRawUnsafe(`SELECT tw_ensure_decision_partitions(((now() - interval '8 months') AT TIME ZONE 'UTC')::date, 8)`);
  const dayStart = Math.floor(now.getTime() / DAY) * DAY;
  const ages: [string, number][] = [
    ['3y', dayStart - 3 * 365 * DAY], // no partition that old: sits in the default partition
    ['200d', dayStart - 200 * DAY],
    ['121d', dayStart - 121 * DAY],
    ['100d', dayStart - 100 * DAY],
    ['35d', dayStart - 35 * DAY],
    ['30d-1ms', dayStart - 30 * DAY - 1],
    ['30d', dayStart - 30 * DAY], // exactly the cutoff: kept
    ['10d', dayStart - 10 * DAY],
    ['1h', now.getTime() - 3_600_000],
  ];
  rowsOf = {};
  for (const t of [a, b]) {
    rowsOf[t.tenantId] = [];
    for (const [label, ms] of ages) for (let i = 0; i < 3; i++) rowsOf[t.tenantId].push(row(t.tenantId, new Date(ms), `${label}#${i}`));
    await insertDecisionRows(pgPool(), rowsOf[t.tenantId]);
  }
  othersBefore = await countOthers();
  // the roll-up counted every row, including those routed to the default partition
  expect(await rollupMismatches([a.tenantId, b.tenantId])).toEqual([]);
  expect(await rollupTotal(a.tenantId)).toBe(27);
});
afterAll(async () => {
  await closePgPool();
  await disconnectDb();
});

describe('retention settings', () => {
  it('admins change it (audited); others read it; members and security cannot change it', async () => {
    expect(await getRetentionSettings(a.ctx('auditor'))).toEqual({ decisionRetentionDays: 30, auditRetention: 'forever' });
    expect(((await updateRetentionSettings(a.ctx('security'), { decisionRetentionDays: 7 }).catch((e) => e)) as AppError).status).toBe(403);
    expect(((await updateRetentionSettings(a.ctx('auditor'), { decisionRetentionDays: 7 }).catch((e) => e)) as AppError).status).toBe(403);
    expect(((await getRetentionSettings(a.ctx('member')).catch((e) => e)) as AppError).status).toBe(403);
    for (const bad of [0, -1, 3651, 1.5, 'ninety']) {
      expect(((await updateRetentionSettings(a.ctx('admin'), { decisionRetentionDays: bad }).catch((e) => e)) as AppError).status).toBe(400);
    }
    const events = (await auditEventsFor(a.tenantId)).filter((e) => e.event === 'tenant.updated');
    expect(events.at(-1)).toMatchObject({ before: { decisionRetentionDays: 90 }, after: { decisionRetentionDays: 30 } });
  });
});

describe('pruning', () => {
  it('skips while another instance holds the lock', async () => {
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock(72707101)');
      expect(await pruneDecisionLog({ now })).toEqual({ skipped: true, droppedPartitions: [], deleted: [] });
    } finally {
      await other.end();
    }
    expect((await remaining(a)).length).toBe(27);
  });

  it('the append-only trigger still refuses a delete that does not say it is pruning', async () => {
    await expect(db().$executeRawUnsafe(`DELETE FROM "DecisionLog" WHERE "tenantId" = $1`, a.tenantId)).rejects.toThrow(/append-only/);
  });

  it('removes only rows older than each tenant’s retention; drops whole partitions no tenant needs', async () => {
    const res = await pruneDecisionLog({ now, batchSize: 2 });
    expect(res.skipped).toBe(false);

    // A keeps 30 days: everything before the cutoff is gone, the cutoff itself and newer stay
    expect(await remaining(a)).toEqual(['30d#0', '30d#1', '30d#2', '10d#0', '10d#1', '10d#2', '1h#0', '1h#1', '1h#2']);
    // B keeps 120 days
    expect(await remaining(b)).toEqual(['100d#0', '100d#1', '100d#2', '35d#0', '35d#1', '35d#2', '30d-1ms#0', '30d-1ms#1', '30d-1ms#2', '30d#0', '30d#1', '30d#2', '10d#0', '10d#1', '10d#2', '1h#0', '1h#1', '1h#2']);
    // nobody else's rows were touched
    expect(await countOthers()).toBe(othersBefore);

    // the partition of the 200-day-old rows was wholly older than the longest retention of any
    // tenant in this database (B's 120 days, unless another test file keeps longer): dropped
    const longest = Math.max(...(await db().tenant.findMany()).map((t) => t.decisionRetentionDays));
    const globalCutoff = retentionCutoff(now, longest);
    const month200 = new Date(now.getTime() - 200 * DAY);
    const name200 = `DecisionLog_${month200.getUTCFullYear()}_${String(month200.getUTCMonth() + 1).padStart(2, '0')}`;
    const end200 = Date.UTC(month200.getUTCFullYear(), month200.getUTCMonth() + 1, 1);
    expect(res.droppedPartitions.every((p) => new Date(p.upperBound) <= globalCutoff)).toBe(true);
    const [exists] = await db().$queryRawUnsafe<{ r: string | null }[]>(`SELECT to_regclass($1)::text AS r`, `"${name200}"`);
    if (end200 <= globalCutoff.getTime()) {
      expect(res.droppedPartitions.map((p) => p.name)).toContain(name200);
      expect(exists.r).toBeNull();
    } else {
      expect(exists.r).not.toBeNull();
    }
    // the default partition is never dropped
    const [dflt] = await db().$queryRawUnsafe<{ r: string | null }[]>(`SELECT to_regclass('"DecisionLog_default"')::text AS r`);
    expect(dflt.r).not.toBeNull();
  });

  it('the charts’ hourly roll-up lost exactly what was pruned, by drop and by batch', async () => {
    // the prune test above removed rows both ways (a dropped partition and batched deletes)
    expect(await rollupMismatches([a.tenantId, b.tenantId])).toEqual([]);
    expect(await rollupTotal(a.tenantId)).toBe((await remaining(a)).length);
    expect(await rollupTotal(b.tenantId)).toBe((await remaining(b)).length);
  });

  it('records decision_log.pruned in each tenant’s trail, with counts that add up, and the chains still verify', async () => {
    for (const [t, removed] of [
      [a, 18],
      [b, 9],
    ] as const) {
      const events = (await auditEventsFor(t.tenantId)).filter((e) => e.event === 'decision_log.pruned');
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.actorType === 'system' && e.targetType === 'decision_log')).toBe(true);
      const total = events.reduce((n, e) => n + (e.after as { rows: number }).rows, 0);
      expect(total).toBe(removed);
      // rows in a dropped partition are accounted for by its drop, the rest by batched deletes
      const methods = new Set(events.map((e) => (e.after as { method: string }).method));
      expect([...methods].every((m) => m === 'drop_partition' || m === 'delete')).toBe(true);
      expect((await verifyAuditChain(t.tenantId)).ok).toBe(true);
    }
    // batches of 2: A's deletes came in several audited transactions
    const deletes = (await auditEventsFor(a.tenantId)).filter((e) => e.event === 'decision_log.pruned' && (e.after as { method: string }).method === 'delete');
    expect(deletes.length).toBeGreaterThan(1);
  });

  it('a second pass finds nothing to do and records nothing', async () => {
    const before = (await auditEventsFor(a.tenantId)).length;
    const res = await pruneDecisionLog({ now });
    expect(res).toEqual({ skipped: false, droppedPartitions: [], deleted: [] });
    expect((await auditEventsFor(a.tenantId)).length).toBe(before);
  });

  it('the job runs on demand and stops cleanly', async () => {
    const logs: string[] = [];
    const job = startRetentionJob({ initialDelayMs: 60_000, intervalMs: 3_600_000, log: (m) => logs.push(m) });
    const res = await job.runNow();
    expect(res?.skipped).toBe(false);
    await job.stop();
  });
});
