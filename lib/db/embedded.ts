import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// The embedded default: a real PostgreSQL (PGlite, compiled to WASM) served over the wire
// protocol on a free loopback port, so the app talks to it exactly as to any other Postgres.
// Exactly one process may own the data directory: a pid lock file enforces it.

export interface EmbeddedPostgres {
  url: string;
  stop: () => Promise<void>;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function takeLock(lockFile: string): void {
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
      throw new Error(`The embedded database in ${path.dirname(lockFile)} is in use by process ${pid}. Stop it first, or set DATABASE_URL.`);
    }
  }
  writeFileSync(lockFile, String(process.pid));
}

export async function startEmbeddedPostgres(dataDir: string, opts: { maxConnections?: number } = {}): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'pg.lock');
  takeLock(lockFile);
  // pg_trgm backs the decision log's free-text resource search (a trigram index, see the
  // decision_log_search_rollup migration): PGlite loads extensions only when they are listed here
  const db = await PGlite.create({ dataDir: path.join(dataDir, 'pg'), extensions: { pg_trgm } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: opts.maxConnections ?? 20 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  if (!Number.isInteger(port) || port <= 0) throw new Error('embedded PostgreSQL did not report its port');
  let stopped = false;
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  // other local processes (the CLI) connect through the owner instead of opening the directory
  writeFileSync(path.join(dataDir, 'pg.url'), url);
  return {
    url,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop().catch(() => {});
      await db.close().catch(() => {});
      rmSync(lockFile, { force: true });
      rmSync(path.join(dataDir, 'pg.url'), { force: true });
    },
  };
}

/**
 * For the CLI: the embedded database's URL, through the running server when it owns the data
 * directory, else by starting it here for the length of the command.
 */
export async function connectEmbedded(dataDir: string): Promise<EmbeddedPostgres> {
  const lockFile = path.join(dataDir, 'pg.lock');
  const urlFile = path.join(dataDir, 'pg.url');
  if (existsSync(lockFile) && existsSync(urlFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    if (pid !== process.pid && pidAlive(pid)) return { url: readFileSync(urlFile, 'utf8').trim(), stop: async () => {} };
  }
  return startEmbeddedPostgres(dataDir, { maxConnections: 5 });
}
