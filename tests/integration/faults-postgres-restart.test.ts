import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAnswersLogged, tally } from '../../bench/load-check';
import { closedLoop, DecisionClient, type Answer } from '../../bench/load-client';
import { startProcess } from '../../bench/processes';
import { seedBenchTenant, type BenchTenant } from '../../bench/seed-tenant';
import { migrate } from '../../lib/db/migrate';
import { startPgCluster, type PgCluster } from '../support/pg-cluster';
import { recordProof } from '../support/proof';

// Fault: PostgreSQL is restarted (pg_ctl stop -m fast, down for 2 s, start) under decision load.
// The cluster is a private one, so the restart hits only the API process under test (a child,
// with its own pools and LISTEN connection). While the database is down nothing can be logged,
// so every answer must be a 503 (fail closed), never an allow; once it is back, allows resume
// without restarting the app; and every decision answered 200, before or after, has its row.

let cluster: PgCluster;
let tenant: BenchTenant;
let api: Awaited<ReturnType<typeof startProcess>>;

const at = () => performance.timeOrigin + performance.now();

async function poll(what: string, ms: number, fn: () => boolean) {
  const t0 = Date.now();
  while (!fn()) {
    if (Date.now() - t0 > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  cluster = await startPgCluster('restart');
  await migrate(cluster.url);
  tenant = await seedBenchTenant(cluster.url, { agents: 40, tools: 20, grants: 400, sampleAgents: 20 });
  api = await startProcess('tests/support/api-process.ts', {
    DATABASE_URL: cluster.url,
    // a short staleness bound: decisions on an unconfirmable snapshot fail closed within 1 s
    POLICY_STALENESS_MS: '1000',
    POLICY_POLL_MS: '100',
    API_RATE_LIMIT_RPS: '1000000',
    API_RATE_LIMIT_BURST: '1000000',
  });
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await cluster?.destroy();
});

describe('PostgreSQL restarted during load', () => {
  it('answers only 503s while it is down, never an allow; recovers; loses no answered row', { timeout: 90_000 }, async () => {
    const client = new DecisionClient(`http://127.0.0.1:${api.port}`, tenant.serverKey, tenant.calls, { connections: 4 });
    const answers: Answer[] = [];
    const load = closedLoop(client, 4, (a) => answers.push(a));
    await poll('allows before the restart', 30_000, () => answers.filter((a) => a.allow).length >= 100);

    const stopAt = at();
    await cluster.stop();
    const downAt = at();
    // at least 2 s down, and enough requests made against the down database to mean something
    await poll('answers during the outage', 20_000, () => at() - downAt >= 2000 && answers.filter((a) => a.sentAt >= downAt).length >= 20);
    const startAt = at();
    await cluster.start();
    const upAt = at();
    await poll('allows after the restart', 30_000, () => answers.some((a) => a.allow && a.sentAt >= upAt));
    const firstAllowAfter = Math.min(...answers.filter((a) => a.allow && a.sentAt >= upAt).map((a) => a.doneAt));
    await poll('load after recovery', 20_000, () => answers.filter((a) => a.allow && a.sentAt >= upAt).length >= 50);
    await load.stop();
    client.close();

    // sent after PostgreSQL was down and answered before it was started again
    const outage = answers.filter((a) => a.sentAt >= downAt && a.doneAt <= startAt);
    const t = tally(answers);
    const check = await checkAnswersLogged(cluster.url, tenant.tenantId, answers);
    const allowsDuringOutage = outage.filter((a) => a.allow).length;
    recordProof('faults', {
      postgresRestart: allowsDuringOutage === 0 && check.missing.length === 0 ? 'survived' : 'FAILED',
      postgresRestartOutageMs: Math.round(startAt - downAt),
      postgresRestartAnswersDuringOutage: outage.length,
      postgresRestart503DuringOutage: outage.filter((a) => a.status === 503).length,
      postgresRestartAllowsDuringOutage: allowsDuringOutage,
      postgresRestartRecoveryMs: Math.round(firstAllowAfter - upAt),
      postgresRestartAnswered: check.answered,
      postgresRestartRowsLost: check.missing.length,
      postgresRestartStopMs: Math.round(downAt - stopAt),
    });
    recordProof('faults', { allowsDuringOutage, rowsLost: check.missing.length }, { add: true });

    expect(outage.length).toBeGreaterThanOrEqual(20);
    expect(allowsDuringOutage).toBe(0);
    // nothing can be logged while the database is down, so not even a deny may be answered
    expect(outage.filter((a) => a.status !== 503 || a.code !== 'unavailable')).toEqual([]);
    // the app survived the restart (no crash, no restart of the app needed) and answered throughout
    expect(api.child.exitCode).toBeNull();
    expect(t.noAnswer).toBe(0);
    expect(t.otherStatus).toBe(0);
    // every 200, before and after the outage, has its decision-log row
    expect(check.missing).toEqual([]);
    expect(check.logged).toBe(check.answered);
    expect(answers.filter((a) => a.allow && a.doneAt <= stopAt).length).toBeGreaterThanOrEqual(100);
  });
});
