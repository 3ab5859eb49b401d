import { expect, test } from '@playwright/test';
import { loadVerdicts } from '../bench/load-report';
import { runLoad } from '../bench/load-run';
import { recordProof } from '../tests/support/proof';

// The short version of `npm run bench:load` in the test command: 25 s of fixed-rate decisions
// with signed-in console traffic on a real server process of its own (the built console this
// e2e run serves, a fresh database seeded like production). It needs the production build, so
// it lives with the e2e specs. The rate is modest (LOAD_SHORT_RATE, default 200/s): this checks
// correctness under sustained load, not capacity (that is the 5-minute run's report).

test('sustained load (short): every answered decision is logged, no 5xx but 503', async () => {
  test.setTimeout(300_000);
  const r = await runLoad({ seconds: 25, rate: Number(process.env.LOAD_SHORT_RATE ?? 200), windowSeconds: 5, warmupSeconds: 5, consoleWorkers: 2 });
  const v = loadVerdicts(r);
  recordProof('load', {
    shortSeconds: r.opts.seconds,
    shortRate: r.opts.rate,
    shortAnswered: r.log.answered,
    shortDecisionLogRows: r.log.tenantRows,
    shortAnsweredMissingFromLog: r.log.missing.length,
    shortUnavailable503: r.tally.unavailable,
    shortP99Ms: r.p99,
    shortConsoleRequests: r.console.requests,
    shortConsoleErrors: r.console.errors,
    shortRowsEqualAnswers: v.rowsEqualAnswers,
  });

  expect(r.log.answered).toBeGreaterThan(0);
  // each answer's row, found by its decisionId; and no row for a decision that was not answered
  expect(r.log.missing).toEqual([]);
  expect(r.log.tenantRows).toBe(r.log.answered);
  expect(v.no5xxBut503).toBe(true);
  // every request was answered (a 503 is an answer: fail closed), none cut or timed out
  expect(r.tally.noAnswer).toBe(0);
  expect(r.console.requests).toBeGreaterThan(0);
  expect(Object.keys(r.console.statuses).filter((s) => s !== '200')).toEqual([]);
  expect(r.serverExit.code).toBe(0);
});
