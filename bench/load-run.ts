import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { hashPassword } from '../lib/auth/passwords';
import { newId } from '../lib/ids';
import { createTestDatabase } from '../tests/setup/test-database';
import { checkAnswersLogged, tally, type LogCheck } from './load-check';
import { DecisionClient, fixedRate, type Answer } from './load-client';
import { consoleLoop, consolePaths, signIn, type ConsoleAnswer } from './load-console';
import { startProcess } from './processes';
import { seedBenchTenant } from './seed-tenant';
import { freePort } from '../tests/support/free-port';

// Sustained load: the real server (decision API + Next console, bench/load-server.ts) on a fresh
// database seeded like production (1,000 agents, 200 tools, 20,000 grants), a fixed decision
// rate (allowed and denied calls, valid ES256 JWT-SVIDs) and signed-in console users at the same
// time. Reports per window (throughput, latency, memory) and checks at the end that every
// answered decision has its decision-log row. Used by `npm run bench:load` (bench/load.ts) and by
// the short run of the test command (e2e/load-short.spec.ts).

export interface LoadOptions {
  seconds: number;
  /** decisions per second, fixed */
  rate: number;
  windowSeconds: number;
  /** seconds at the same rate before the measured run (JIT, snapshot build, pools): their answers are checked against the log but not charted */
  warmupSeconds?: number;
  /** console users in a closed loop */
  consoleWorkers?: number;
  /** tenant size (smaller for the short run) */
  seed?: { agents: number; tools: number; grants: number; sampleAgents: number };
  log?: (m: string) => void;
}

export interface LoadWindow {
  /** seconds since the start of the run, end of the window */
  endS: number;
  decisions: number;
  /** requests due in the window but not sent: the generator's backlog was at its bound */
  notSent: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  console: number;
  consoleP50: number;
  consoleP99: number;
  consoleErrors: number;
  rssMiB: number;
  heapMiB: number;
}

export interface LoadResult {
  opts: Required<Omit<LoadOptions, 'log' | 'seed'>> & { seed: NonNullable<LoadOptions['seed']> };
  windows: LoadWindow[];
  /** measured phase */
  sent: number;
  skipped: number;
  /** 200s of the warm-up (included in tally and log check) */
  warmupAnswered: number;
  tally: ReturnType<typeof tally>;
  log: LogCheck;
  /** decision-log rows of the tenant minus answers (should be 0; rows for requests whose answer was lost in transit) */
  extraRows: number;
  p50: number;
  p99: number;
  achievedRps: number;
  console: { requests: number; errors: number; p50: number; p99: number; statuses: Record<string, number> };
  memory: { rssStartMiB: number; rssEndMiB: number; rssMaxMiB: number; heapStartMiB: number; heapEndMiB: number; heapMaxMiB: number };
  serverExit: { code: number | null; signal: string | null };
}

const DEFAULT_SEED = { agents: 1000, tools: 200, grants: 20_000, sampleAgents: 200 };
const MiB = 2 ** 20;
const now = () => performance.timeOrigin + performance.now();

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;


/** a console user (auditor: reads everything, changes nothing) in the bench tenant */
async function addConsoleUser(url: string, tenantId: string): Promise<{ email: string; password: string; slug: string }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const password = randomBytes(18).toString('base64url');
    const email = `load-${randomBytes(4).toString('hex')}@bench.test`;
    const userId = newId('user');
    await c.query('INSERT INTO "User"(id, email, name, "passwordHash") VALUES ($1,$2,$3,$4)', [userId, email, 'Load auditor', await hashPassword(password)]);
    await c.query(`INSERT INTO "Membership"(id, "tenantId", "userId", role) VALUES ($1,$2,$3,'auditor')`, [newId('membership'), tenantId, userId]);
    const slug = (await c.query<{ slug: string }>('SELECT slug FROM "Tenant" WHERE id = $1', [tenantId])).rows[0].slug;
    return { email, password, slug };
  } finally {
    await c.end();
  }
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const log = options.log ?? (() => {});
  const opts = { consoleWorkers: 2, warmupSeconds: 10, ...options, seed: options.seed ?? DEFAULT_SEED };
  log(`fresh database; seeding ${opts.seed.agents} agents, ${opts.seed.tools} tools, ${opts.seed.grants} grants`);
  const database = await createTestDatabase('load');
  let server: Awaited<ReturnType<typeof startProcess>> | undefined;
  try {
    const tenant = await seedBenchTenant(database.url, opts.seed);
    const user = await addConsoleUser(database.url, tenant.tenantId);

    log('starting the server (decision API + console)');
    server = await startProcess('bench/load-server.ts', {
      DATABASE_URL: database.url,
      PORT: String(await freePort()),
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      AUTH_TRUST_HOST: 'true',
      // one server key carries the whole fleet's rate here: the per-key limit is not under test
      API_RATE_LIMIT_RPS: '1000000',
      API_RATE_LIMIT_BURST: '1000000',
    }, { startTimeoutMs: 180_000 });
    const mem: { at: number; rss: number; heap: number }[] = [];
    let buf = '';
    server.child.stdout!.on('data', (d) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /^MEM (\d+) (\d+)/.exec(line);
        if (m) mem.push({ at: now(), rss: Number(m[1]), heap: Number(m[2]) });
      }
    });
    const baseUrl = `http://127.0.0.1:${server.port}`;
    const cookie = await signIn(baseUrl, user.email, user.password);
    const paths = consolePaths(user.slug);
    // the first console request compiles nothing (production build) but loads route modules
    for (const p of paths) await fetch(baseUrl + p, { headers: { cookie } }).then((r) => r.arrayBuffer());

    const answers: Answer[] = [];
    const consoleAnswers: ConsoleAnswer[] = [];
    const client = new DecisionClient(baseUrl, tenant.serverKey, tenant.calls, { connections: 64 });
    const warmup: Answer[] = [];
    if (opts.warmupSeconds > 0) {
      log(`warm-up: ${opts.rate} decisions/s for ${opts.warmupSeconds} s (not charted; checked against the log)`);
      await fixedRate(client, opts.rate, opts.warmupSeconds, (a) => warmup.push(a));
    }
    const windows: LoadWindow[] = [];
    const start = now();
    let windowStart = start;
    let aFrom = 0;
    let cFrom = 0;
    let skipped = 0;
    let skippedFrom = 0;
    const closeWindow = () => {
      const end = now();
      const a = answers.slice(aFrom);
      const c = consoleAnswers.slice(cFrom);
      aFrom += a.length;
      cFrom += c.length;
      const lat = a.filter((x) => x.status === 200).map((x) => x.doneAt - x.sentAt).sort((x, y) => x - y);
      const clat = c.map((x) => x.doneAt - x.sentAt).sort((x, y) => x - y);
      const m = mem[mem.length - 1];
      const w: LoadWindow = {
        endS: round((end - start) / 1000, 0),
        decisions: a.length,
        notSent: skipped - skippedFrom,
        rps: round(a.length / ((end - windowStart) / 1000), 0),
        p50: round(quantile(lat, 0.5)),
        p99: round(quantile(lat, 0.99)),
        max: round(lat[lat.length - 1] ?? 0),
        errors: a.filter((x) => x.status !== 200).length,
        console: c.length,
        consoleP50: round(quantile(clat, 0.5), 0),
        consoleP99: round(quantile(clat, 0.99), 0),
        consoleErrors: c.filter((x) => x.status !== 200).length,
        rssMiB: m ? round(m.rss / MiB, 0) : 0,
        heapMiB: m ? round(m.heap / MiB, 0) : 0,
      };
      windows.push(w);
      windowStart = end;
      skippedFrom = skipped;
      log(
        `  ${String(w.endS).padStart(4)} s  ${String(w.rps).padStart(5)} dec/s  (not sent ${w.notSent})  p50 ${w.p50} ms  p99 ${w.p99} ms  errors ${w.errors}  console ${w.console} (p99 ${w.consoleP99} ms, errors ${w.consoleErrors})  rss ${w.rssMiB} MiB  heap ${w.heapMiB} MiB`,
      );
    };

    log(`load: ${opts.rate} decisions/s for ${opts.seconds} s, ${opts.consoleWorkers} console users; windows of ${opts.windowSeconds} s`);
    const consoleRun = consoleLoop(baseUrl, cookie, paths, opts.consoleWorkers, (a) => consoleAnswers.push(a), 250);
    const ticker = setInterval(closeWindow, opts.windowSeconds * 1000);
    const fixed = await fixedRate(client, opts.rate, opts.seconds, (a) => answers.push(a), { onSkip: () => skipped++ });
    clearInterval(ticker);
    await consoleRun.stop();
    closeWindow();
    client.close();
    const elapsed = (now() - start) / 1000;

    const check = await checkAnswersLogged(database.url, tenant.tenantId, [...warmup, ...answers]);
    server.child.kill('SIGTERM');
    const serverExit = await server.exited;

    const lat = answers.filter((x) => x.status === 200).map((x) => x.doneAt - x.sentAt).sort((x, y) => x - y);
    const clat = consoleAnswers.map((x) => x.doneAt - x.sentAt).sort((x, y) => x - y);
    const cStatuses: Record<string, number> = {};
    for (const c of consoleAnswers) cStatuses[c.status] = (cStatuses[c.status] ?? 0) + 1;
    // memory: the first sample under load (after the first window) against the last
    const loaded = mem.filter((m) => m.at >= start + opts.windowSeconds * 1000);
    const first = loaded[0] ?? mem[0];
    const last = mem[mem.length - 1];
    return {
      opts: { seconds: opts.seconds, rate: opts.rate, windowSeconds: opts.windowSeconds, warmupSeconds: opts.warmupSeconds, consoleWorkers: opts.consoleWorkers, seed: opts.seed },
      windows,
      sent: fixed.sent,
      skipped: fixed.skipped,
      tally: tally([...warmup, ...answers]),
      warmupAnswered: warmup.filter((a) => a.status === 200).length,
      log: check,
      extraRows: check.tenantRows - check.logged,
      p50: round(quantile(lat, 0.5)),
      p99: round(quantile(lat, 0.99)),
      achievedRps: round(lat.length / elapsed, 0),
      console: { requests: consoleAnswers.length, errors: consoleAnswers.filter((c) => c.status !== 200).length, p50: round(quantile(clat, 0.5), 0), p99: round(quantile(clat, 0.99), 0), statuses: cStatuses },
      memory: {
        rssStartMiB: round((first?.rss ?? 0) / MiB, 0),
        rssEndMiB: round((last?.rss ?? 0) / MiB, 0),
        rssMaxMiB: round(Math.max(0, ...loaded.map((m) => m.rss)) / MiB, 0),
        heapStartMiB: round((first?.heap ?? 0) / MiB, 0),
        heapEndMiB: round((last?.heap ?? 0) / MiB, 0),
        heapMaxMiB: round(Math.max(0, ...loaded.map((m) => m.heap)) / MiB, 0),
      },
      serverExit,
    };
  } finally {
    await server?.stop();
    await database.drop();
  }
}
