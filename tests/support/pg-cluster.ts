import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';

// A private PostgreSQL cluster (initdb + pg_ctl in a temporary directory, on a free port) that a
// fault suite may stop and restart without disturbing the shared server every other suite uses.
// PostgreSQL refuses to run as root: as root, the binaries run as the `postgres` user.

const run = promisify(execFile);

/** the newest installed PostgreSQL's bin directory (PG_BIN overrides), or null */
export function postgresBinDir(): string | null {
  if (process.env.PG_BIN) return existsSync(path.join(process.env.PG_BIN, 'pg_ctl')) ? process.env.PG_BIN : null;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : null;
}


export interface PgCluster {
  url: string;
  port: number;
  /** pg_ctl stop -m fast: every connection is terminated */
  stop: () => Promise<void>;
  start: () => Promise<void>;
  /** server log, for failure messages */
  log: () => string;
  destroy: () => Promise<void>;
}

export async function startPgCluster(label: string): Promise<PgCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL binaries found (set PG_BIN)');
  const dir = mkdtempSync(path.join(os.tmpdir(), `tw-pg-${label}-`));
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]) : run(path.join(bin, tool), args);

  await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  // no unix socket (a private cluster must not collide with the system one); fsync off: a clean
  // restart is what these suites do, never a crash of PostgreSQL itself
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c max_connections=60`;
  const start = async () => {
    await pg('pg_ctl', ['start', '-w', '-t', '60', '-D', data, '-l', logFile, '-o', options]);
  };
  const stop = async () => {
    await pg('pg_ctl', ['stop', '-w', '-t', '60', '-m', 'fast', '-D', data]);
  };
  await start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    destroy: async () => {
      await pg('pg_ctl', ['stop', '-w', '-t', '30', '-m', 'immediate', '-D', data]).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
