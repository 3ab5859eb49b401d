import pg from 'pg';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import { systemContext } from '../context';
import { deleteAndSubtract, subtractPartition } from './rollup';

// Decision-log retention. Each tenant keeps its decisions for Tenant.decisionRetentionDays
// (default 90); rows older than that, counted from the start of the current UTC day, are removed:
//
//  1. a monthly partition whose every row is older than the LONGEST retention of any tenant is
//     dropped whole (no per-row work, no bloat, no WAL for each row);
//  2. otherwise a tenant's expired rows are deleted in batches, partition by partition, in
//     transactions that say `SET LOCAL toolwarden.allow_prune = 'on'` (the one delete the
//     append-only trigger lets through).
//
// Every drop or batch records `decision_log.pruned` in the tenant's audit trail, and subtracts
// its rows from the charts' hourly roll-up (rollup.ts), in the same transaction. Day-aligned
// cutoffs mean a tenant's rows become due once a day, so an hourly run usually finds nothing to
// do and a day's pruning is one audit event, not 24.
//
// The audit trail itself is never pruned. Several instances may run the job: an advisory lock
// lets one at a time work. The job also keeps decision-log partitions three months ahead of the
// clock, so a process that runs for months never falls back on the default partition.

const DAY = 86_400_000;
const LOCK_KEY = 72_707_101;
export const DEFAULT_BATCH_SIZE = 50_000;

export interface PruneResult {
  skipped: boolean;
  droppedPartitions: { name: string; upperBound: string; rows: number }[];
  deleted: { tenantId: string; rows: number }[];
}

interface PartitionInfo {
  name: string;
  lower: Date | null;
  upper: Date | null;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** start of the UTC day of `now`, minus the retention */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  const day = Math.floor(now.getTime() / DAY) * DAY;
  return new Date(day - retentionDays * DAY);
}

async function listPartitions(): Promise<PartitionInfo[]> {
  // bounds parsed by PostgreSQL itself (the text form depends on the session's time zone)
  const rows = await db().$queryRawUnsafe<{ name: string; lower: Date | null; upper: Date | null }[]>(`
    SELECT c.relname AS "name",
           (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz AS "lower",
           (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS "upper"
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = '"DecisionLog"'::regclass
    ORDER BY 3 NULLS LAST`);
  return rows;
}

async function dropPartition(p: PartitionInfo, retention: Map<string, number>, log: (m: string) => void): Promise<PruneResult['droppedPartitions'][number] | null> {
  try {
    return await db().$transaction(
      async (tx) => {
        // DROP locks the parent briefly; never queue behind a long query (and make inserts queue
        // behind us): give up quickly and try again next run
        await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '1s'`);
        const counts = await subtractPartition(tx, quoteIdent(p.name));
        await tx.$executeRawUnsafe(`DROP TABLE ${quoteIdent(p.name)}`);
        let rows = 0;
        for (const c of counts) {
          rows += c.n;
          if (!retention.has(c.tenantId)) continue; // rows of a deleted tenant: nobody to tell
          await recordAudit(tx, systemContext(c.tenantId, 'retention'), {
            event: 'decision_log.pruned',
            targetType: 'decision_log',
            targetId: null,
            after: { method: 'drop_partition', partition: p.name, olderThan: p.upper!.toISOString(), rows: c.n, retentionDays: retention.get(c.tenantId) },
          });
        }
        return { name: p.name, upperBound: p.upper!.toISOString(), rows };
      },
      { maxWait: 10_000, timeout: 120_000 },
    );
  } catch (err) {
    log(`retention: could not drop ${p.name} (will retry): ${(err as Error).message}`);
    return null;
  }
}

/** deletes one batch of a tenant's expired rows from one partition; returns rows deleted */
async function deleteBatch(partition: string, tenantId: string, cutoff: Date, retentionDays: number, batchSize: number): Promise<number> {
  return db().$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL toolwarden.allow_prune = 'on'`);
      // ctid is unique within one partition: a TID scan deletes exactly the batch picked
      const table = quoteIdent(partition);
      const n = await deleteAndSubtract(
        tx,
        tenantId,
        `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE "tenantId" = $1 AND "time" < $2::timestamptz LIMIT $3)) RETURNING *`,
        [tenantId, cutoff, batchSize],
      );
      if (n > 0) {
        await recordAudit(tx, systemContext(tenantId, 'retention'), {
          event: 'decision_log.pruned',
          targetType: 'decision_log',
          targetId: null,
          after: { method: 'delete', partition, olderThan: cutoff.toISOString(), rows: n, retentionDays },
        });
      }
      return n;
    },
    { maxWait: 10_000, timeout: 120_000 },
  );
}

/**
 * One retention pass over every tenant. Safe to run at any time and from several instances at
 * once (one works, the others skip).
 */
export async function pruneDecisionLog(opts: { now?: Date; batchSize?: number; log?: (m: string) => void } = {}): Promise<PruneResult> {
  const log = opts.log ?? (() => {});
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  // a dedicated connection holds the session lock for the whole pass
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    const { rows } = await lock.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LOCK_KEY]);
    if (!rows[0].ok) return { skipped: true, droppedPartitions: [], deleted: [] };
    try {
      return await prunePass(opts.now ?? new Date(), batchSize, log);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    }
  } finally {
    await lock.end().catch(() => {});
  }
}

async function prunePass(now: Date, batchSize: number, log: (m: string) => void): Promise<PruneResult> {
  const result: PruneResult = { skipped: false, droppedPartitions: [], deleted: [] };
  const tenants = await db().tenant.findMany({ select: { id: true, decisionRetentionDays: true } });
  if (tenants.length === 0) return result;
  const retention = new Map(tenants.map((t) => [t.id, t.decisionRetentionDays]));

  // 1. whole partitions nobody needs any more
  const longest = Math.max(...tenants.map((t) => t.decisionRetentionDays));
  const globalCutoff = retentionCutoff(now, longest);
  let partitions = await listPartitions();
  for (const p of partitions) {
    if (!p.upper || p.upper > globalCutoff) continue;
    const dropped = await dropPartition(p, retention, log);
    if (dropped) {
      result.droppedPartitions.push(dropped);
      log(`retention: dropped partition ${dropped.name} (${dropped.rows} rows before ${dropped.upperBound})`);
    }
  }
  if (result.droppedPartitions.length) partitions = await listPartitions();

  // 2. each tenant's expired rows in the partitions that may hold some
  for (const t of tenants) {
    const cutoff = retentionCutoff(now, t.decisionRetentionDays);
    let total = 0;
    for (const p of partitions) {
      if (p.lower && p.lower >= cutoff) continue; // wholly newer than the cutoff (the default partition has no bounds)
      for (;;) {
        const n = await deleteBatch(p.name, t.id, cutoff, t.decisionRetentionDays, batchSize);
        total += n;
        if (n < batchSize) break;
      }
    }
    if (total > 0) {
      result.deleted.push({ tenantId: t.id, rows: total });
      log(`retention: deleted ${total} decision(s) of tenant ${t.id} older than ${cutoff.toISOString()}`);
    }
  }
  return result;
}

async function ensurePartitions(): Promise<void> {
  await db().$executeRawUnsafe(`SELECT tw_ensure_decision_partitions((now() AT TIME ZONE 'UTC')::date, 3)`);
}

export interface RetentionJob {
  /** runs one pass now (waits for a pass already running) */
  runNow: () => Promise<PruneResult | null>;
  stop: () => Promise<void>;
}

/**
 * Prunes at start-up (after `initialDelayMs`, so it does not compete with the first requests)
 * and then every `intervalMs` (hourly). Failures are logged and retried on the next tick; they
 * never take the process down. Call once per process, e.g. from server.ts after the decision
 * runtime starts, and `stop()` it on shutdown.
 */
export function startRetentionJob(opts: { intervalMs?: number; initialDelayMs?: number; log?: (m: string) => void } = {}): RetentionJob {
  const log = opts.log ?? ((m: string) => console.log(m));
  const intervalMs = opts.intervalMs ?? 3_600_000;
  let running: Promise<PruneResult | null> | null = null;
  let stopped = false;

  const run = (): Promise<PruneResult | null> => {
    if (running) return running;
    running = (async () => {
      try {
        await ensurePartitions();
        return await pruneDecisionLog({ log });
      } catch (err) {
        log(`retention: pass failed (will retry): ${(err as Error).message}`);
        return null;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const first = setTimeout(() => void (stopped || run()), opts.initialDelayMs ?? 10_000);
  const every = setInterval(() => void (stopped || run()), intervalMs);
  first.unref();
  every.unref();
  return {
    runNow: run,
    stop: async () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
