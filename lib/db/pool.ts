import pg from 'pg';

// A plain pg pool for the decision hot path (group-commit log inserts, use counters, version
// polls): one round trip each, without an ORM in the way. Same DATABASE_URL as Prisma.

const KEY = Symbol.for('toolwarden.pgpool');
type Holder = { [KEY]?: { url: string; pool: pg.Pool } };

export function pgPool(): pg.Pool {
  const holder = globalThis as Holder;
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  if (!holder[KEY] || holder[KEY].url !== url) {
    const pool = new pg.Pool({
      connectionString: url,
      max: Number(process.env.DATABASE_HOT_POOL_MAX ?? 8),
      connectionTimeoutMillis: 2_000,
      // a statement that hangs must not hold a decision forever: the caller fails closed
      statement_timeout: 5_000,
      query_timeout: 5_000,
    });
    // an idle client's error (database restarted) must not crash the process
    pool.on('error', () => {});
    holder[KEY] = { url, pool };
  }
  return holder[KEY].pool;
}

export async function closePgPool(): Promise<void> {
  const holder = globalThis as Holder;
  if (holder[KEY]) {
    await holder[KEY].pool.end().catch(() => {});
    delete holder[KEY];
  }
}
