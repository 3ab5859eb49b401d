import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../lib/db/embedded';
import { migrate } from '../../lib/db/migrate';

// A fresh, migrated database for one test run — never the developer's data. Where from:
// TEST_DATABASE_URL, else the local server on 127.0.0.1:5432, else an embedded PostgreSQL in a
// temporary directory. So the suite passes on any machine.

export interface TestDatabase {
  url: string;
  kind: 'server' | 'embedded';
  drop: () => Promise<void>;
}

const LOCAL = 'postgresql://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL ?? LOCAL;
  if (await reachable(base)) {
    const name = `tw_${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = withDatabase(base, name);
    await migrate(url);
    return {
      url,
      kind: 'server',
      drop: async () => {
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), `tw-${label}-`));
  const embedded = await startEmbeddedPostgres(dir);
  await migrate(embedded.url);
  return {
    url: embedded.url,
    kind: 'embedded',
    drop: async () => {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Drops test databases left behind by runs that were killed (older than a day). */
export async function dropStaleTestDatabases(): Promise<void> {
  const base = process.env.TEST_DATABASE_URL ?? LOCAL;
  if (!(await reachable(base))) return;
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'tw\\_%'`);
    const dayAgo = Date.now() - 86_400_000;
    for (const r of rows) {
      const stamp = parseInt(r.datname.split('_')[2] ?? '', 36);
      if (Number.isFinite(stamp) && stamp < dayAgo) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`).catch(() => {});
    }
  } finally {
    await c.end();
  }
}
