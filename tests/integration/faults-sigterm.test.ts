import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAnswersLogged, tally } from '../../bench/load-check';
import { closedLoop, DecisionClient, type Answer } from '../../bench/load-client';
import { startProcess } from '../../bench/processes';
import { seedBenchTenant, type BenchTenant } from '../../bench/seed-tenant';
import { recordProof } from '../support/proof';

// Fault: the API process gets SIGTERM under load. A graceful stop must refuse new connections,
// let every request already in flight finish (answered, and logged before it is answered),
// drain the decision log writer and exit 0. To have requests provably in flight at the signal,
// the decision log is locked first: inserts wait, so every request is parked inside the group
// commit when SIGTERM arrives, and is only answered after the lock is released.

const url = process.env.DATABASE_URL!;
let tenant: BenchTenant;
let api: Awaited<ReturnType<typeof startProcess>>;
const locker = new pg.Client({ connectionString: url });

const at = () => performance.timeOrigin + performance.now();

function connectOutcome(port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

async function poll(what: string, ms: number, fn: () => Promise<boolean>) {
  const t0 = Date.now();
  while (!(await fn())) {
    if (Date.now() - t0 > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  tenant = await seedBenchTenant(url, { agents: 40, tools: 20, grants: 400, sampleAgents: 20 });
  api = await startProcess('tests/support/api-process.ts', { DATABASE_URL: url, API_RATE_LIMIT_RPS: '1000000', API_RATE_LIMIT_BURST: '1000000' });
  await locker.connect();
});

afterAll(async () => {
  await locker.query('ROLLBACK').catch(() => {});
  await locker.end().catch(() => {});
  await api?.stop();
});

describe('API process stopped with SIGTERM during load', () => {
  it('refuses new connections, finishes and logs in-flight requests, exits 0', { timeout: 90_000 }, async () => {
    const client = new DecisionClient(`http://127.0.0.1:${api.port}`, tenant.serverKey, tenant.calls, { connections: 8 });
    const answers: Answer[] = [];
    const load = closedLoop(client, 8, (a) => answers.push(a));
    await poll('load running', 30_000, async () => answers.filter((a) => a.status === 200).length >= 200);

    // park the next inserts: SHARE conflicts with INSERT's ROW EXCLUSIVE
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE "DecisionLog" IN SHARE MODE');
    // and a burst on fresh connections, so some in-flight requests are not the load's own
    const burstClient = new DecisionClient(`http://127.0.0.1:${api.port}`, tenant.serverKey, tenant.calls, { connections: 20, keepAlive: false });
    const burst = Array.from({ length: 20 }, () => burstClient.send());
    await poll('a decision-log insert waiting on the lock', 20_000, async () => {
      const { rows } = await locker.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO "DecisionLog"%'`,
      );
      return rows[0].n > 0;
    });
    // the burst's requests reach the log writer's queue (the process has nothing else to do)
    await new Promise((r) => setTimeout(r, 1000));

    const signalledAt = at();
    api.child.kill('SIGTERM');
    // the listening socket closes at once, while the parked requests are still waiting
    await poll('new connections refused', 10_000, async () => (await connectOutcome(api.port)) === 'ECONNREFUSED');
    expect(api.child.exitCode).toBeNull();

    const releasedAt = at();
    await locker.query('COMMIT');
    const burstAnswers = await Promise.all(burst);
    burstClient.close();
    const exit = await api.exited;
    await load.stop();
    client.close();

    const all = [...answers, ...burstAnswers];
    const t = tally(all);
    const check = await checkAnswersLogged(url, tenant.tenantId, all);
    const inFlightAtSignal = all.filter((a) => a.sentAt < signalledAt && a.doneAt > releasedAt);
    recordProof('faults', {
      sigterm: check.missing.length === 0 && exit.code === 0 ? 'survived' : 'FAILED',
      sigtermInFlightFinished: inFlightAtSignal.filter((a) => a.status === 200).length,
      sigtermInFlightDropped: inFlightAtSignal.filter((a) => a.status !== 200).length,
      sigtermAnswered: check.answered,
      sigtermRowsLost: check.missing.length,
      sigtermExitCode: exit.code ?? -1,
    });
    recordProof('faults', { rowsLost: check.missing.length }, { add: true });

    // graceful: exit 0, not killed
    expect(exit).toEqual({ code: 0, signal: null });
    // every request of the burst was in flight at the signal and was answered after it
    expect(burstAnswers.map((a) => a.status)).toEqual(burstAnswers.map(() => 200));
    for (const a of burstAnswers) expect(a.doneAt).toBeGreaterThan(releasedAt);
    expect(inFlightAtSignal.length).toBeGreaterThanOrEqual(20);
    expect(inFlightAtSignal.every((a) => a.status === 200)).toBe(true);
    // every answer has its row; no 5xx at all (the writer was drained, not closed under them)
    expect(check.missing).toEqual([]);
    expect(check.logged).toBe(check.answered);
    expect(t.unavailable + t.otherStatus).toBe(0);
  });
});
