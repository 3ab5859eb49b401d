import { createHash } from 'node:crypto';
import { pgPool } from '../db/pool';

// Background jobs (request expiry, review deadlines, webhook delivery, retention, partitions).
// Each runs once at start-up (catching up on anything missed while no instance ran) and then
// every interval. A session advisory lock per job means that with several instances on one
// database only one runs a given job at a time; the others skip that round.

export interface Job {
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
}

function lockKey(name: string): bigint {
  return createHash('sha256').update(`toolwarden-job:${name}`).digest().readBigInt64BE(0);
}

async function runExclusive(job: Job): Promise<void> {
  const client = await pgPool().connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [lockKey(job.name).toString()]);
    if (!rows[0]?.ok) return;
    try {
      await job.run();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [lockKey(job.name).toString()]);
    }
  } finally {
    client.release();
  }
}

export function startJobs(jobs: Job[], log: (m: string) => void = (m) => console.error(m)): () => void {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<string>();
  for (const job of jobs) {
    const tick = () => {
      if (running.has(job.name)) return;
      running.add(job.name);
      runExclusive(job)
        .catch((err) => log(`job ${job.name} failed: ${(err as Error).message}`))
        .finally(() => running.delete(job.name));
    };
    tick();
    const t = setInterval(tick, job.intervalMs);
    t.unref();
    timers.push(t);
  }
  return () => timers.forEach(clearInterval);
}

/** keeps monthly decision-log partitions three months ahead of the clock */
export const partitionJob: Job = {
  name: 'decision-log-partitions',
  intervalMs: 6 * 3_600_000,
  run: () => pgPool().query(`SELECT tw_ensure_decision_partitions((now() AT TIME ZONE 'UTC')::date, 3)`),
};
