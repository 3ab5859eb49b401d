import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAnswersLogged, tally } from '../../bench/load-check';
import { closedLoop, DecisionClient, type Answer } from '../../bench/load-client';
import { startProcess } from '../../bench/processes';
import { seedBenchTenant, type BenchTenant } from '../../bench/seed-tenant';
import { recordProof } from '../support/proof';

// Fault: the API process is killed with SIGKILL under load: no shutdown code runs, batches of
// the group-committed decision log are cut mid-flight. An answer is only sent after its batch
// committed, so every decision that got a 200 must have its row; rows may exceed answers (a
// batch committed whose answers never left the process), never the other way round.

const url = process.env.DATABASE_URL!;
let tenant: BenchTenant;
let api: Awaited<ReturnType<typeof startProcess>>;

beforeAll(async () => {
  tenant = await seedBenchTenant(url, { agents: 40, tools: 20, grants: 400, sampleAgents: 20 });
  api = await startProcess('tests/support/api-process.ts', { DATABASE_URL: url, API_RATE_LIMIT_RPS: '1000000', API_RATE_LIMIT_BURST: '1000000' });
});

afterAll(async () => {
  await api?.stop();
});

describe('API process killed with SIGKILL during load', () => {
  it('loses no answered decision: every 200 has its decision-log row', { timeout: 90_000 }, async () => {
    const client = new DecisionClient(`http://127.0.0.1:${api.port}`, tenant.serverKey, tenant.calls, { connections: 16 });
    const answers: Answer[] = [];
    const load = closedLoop(client, 16, (a) => answers.push(a));
    // kill only once the process is busy answering, so batches are in flight when it dies
    const t0 = Date.now();
    while (answers.filter((a) => a.status === 200).length < 500 && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
    const answeredBeforeKill = answers.filter((a) => a.status === 200).length;
    const killedAt = performance.timeOrigin + performance.now();
    api.child.kill('SIGKILL');
    const exit = await api.exited;
    await load.stop();
    client.close();

    const t = tally(answers);
    const check = await checkAnswersLogged(url, tenant.tenantId, answers);
    recordProof(
      'faults',
      {
        sigkill: check.missing.length === 0 ? 'survived' : 'ROWS LOST',
        sigkillAnswered: check.answered,
        sigkillRowsLost: check.missing.length,
        sigkillRowsWithoutAnswer: check.tenantRows - check.logged,
        sigkillRequestsCut: answers.filter((a) => a.status === 0 && a.sentAt <= killedAt).length,
      },
      {},
    );
    recordProof('faults', { rowsLost: check.missing.length }, { add: true });

    expect(exit.signal).toBe('SIGKILL');
    expect(answeredBeforeKill).toBeGreaterThanOrEqual(500);
    // a non-zero figure here would mean answers were sent before the commit
    expect(check.missing).toEqual([]);
    expect(check.logged).toBe(check.answered);
    expect(check.tenantRows).toBeGreaterThanOrEqual(check.answered);
    // the only non-answers are the requests cut by the kill (status 0): no 5xx, no other error
    expect(t.otherStatus).toBe(0);
    expect(t.unavailable).toBe(0);
  });
});
