import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../lib/db/embedded';
import { migrate } from '../lib/db/migrate';
import { buildIfStale } from './build-if-stale';

// `npm start`: embedded PostgreSQL unless DATABASE_URL is set, migrations, demo seed on an empty
// database, build when stale, then the server. Prints where to sign in.

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const dataDir = path.resolve(process.env.TOOLWARDEN_DATA_DIR ?? '.data');
mkdirSync(dataDir, { recursive: true });

function persistedSecret(name: string): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret);
  chmodSync(file, 0o600);
  return secret;
}

export interface StartedApp {
  url: string;
  stop: () => Promise<void>;
}

export async function start(): Promise<StartedApp> {
  (process.env as Record<string, string>).NODE_ENV ??= process.argv.includes('--dev') ? 'development' : 'production';
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  process.env.AUTH_SECRET ??= persistedSecret('auth-secret');
  process.env.AUTH_TRUST_HOST ??= 'true';

  let embedded: EmbeddedPostgres | undefined;
  if (!process.env.DATABASE_URL) {
    console.log(`Starting embedded PostgreSQL in ${path.relative(root, dataDir) || '.'}/pg …`);
    embedded = await startEmbeddedPostgres(dataDir);
    process.env.DATABASE_URL = embedded.url;
  }
  const shutdownEmbedded = async () => embedded?.stop();

  try {
    const result = await migrate(process.env.DATABASE_URL!, { log: (m) => console.log(m) });
    if (result.applied.length === 0) console.log('Database schema is up to date.');

    const credsFile = path.join(dataDir, 'demo-credentials.txt');
    let demoNote = '';
    const { hasAnyTenant, seedDemo } = await import('../lib/demo/seed');
    if (process.env.TOOLWARDEN_DEMO !== '0' && !(await hasAnyTenant())) {
      const seeded = await seedDemo(dataDir, { password: process.env.TOOLWARDEN_DEMO_PASSWORD });
      const lines = [`Demo tenant: ${seeded.tenantSlug}`, `Password for every demo user: ${seeded.password}`, ...seeded.users.map((u) => `  ${u.email.padEnd(22)} ${u.role}`)];
      writeFileSync(credsFile, lines.join('\n') + '\n');
      chmodSync(credsFile, 0o600);
      demoNote = lines.join('\n');
    } else if (existsSync(credsFile)) {
      demoNote = readFileSync(credsFile, 'utf8').trim();
    }

    const dev = process.argv.includes('--dev');
    if (!dev) buildIfStale(root);

    const { startServer } = await import('../server');
    const port = Number(process.env.PORT ?? 3000);
    const host = process.env.HOST ?? '127.0.0.1';
    const server = await startServer({ port, host, dev, dir: root });

    console.log('');
    console.log(`Toolwarden is running at ${server.url}`);
    console.log(`Sign in at ${server.url}/signin`);
    if (demoNote) console.log(demoNote.replace(/^/gm, '  '));
    console.log(embedded ? '(embedded PostgreSQL; data kept in .data/)' : '(using DATABASE_URL)');

    return {
      url: server.url,
      stop: async () => {
        await server.close();
        await shutdownEmbedded();
      },
    };
  } catch (err) {
    await shutdownEmbedded();
    throw err;
  }
}

/** Stop cleanly on SIGINT/SIGTERM, then run `after` (e.g. dropping a test database). */
export function stopOnSignals(app: StartedApp, after: () => Promise<void> = async () => {}): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down…`);
    await app.stop().catch((e) => console.error(e));
    await after().catch((e) => console.error(e));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  start().then(
    (app) => stopOnSignals(app),
    (err) => {
      console.error((err as Error).message);
      process.exit(1);
    },
  );
}
