import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildIfStale } from '../scripts/build-if-stale';
import { recordProof } from '../tests/support/proof';
import { loadMarkdown, loadVerdicts } from './load-report';
import { runLoad } from './load-run';

// `npm run bench:load`: 5 minutes of sustained decision load with console traffic on the real
// server (see load-run.ts), written to docs/benchmarks-load.md and .proof/load.json. Exits
// non-zero when an answered decision is missing from the log or a 5xx other than 503 came back.
//   LOAD_SECONDS         duration (default 300)
//   LOAD_RATE            decisions/s; default LOAD_FRACTION × the rate docs/benchmarks.md measured
//   LOAD_FRACTION        default 0.25: the benchmark ran the API alone at saturation; here the
//                        load generator, the console and PostgreSQL share the same 2 cores (at
//                        0.5 a loaded shared machine fell behind and the backlog grew)
//   LOAD_WINDOW_SECONDS  report window (default 15)
//   LOAD_WARMUP_SECONDS  at the same rate before the measured run (default 10)
//   LOAD_CONSOLE_USERS   signed-in console users (default 2)
//   LOAD_SKIP_BUILD=1    use the existing console build as it is (NEXT_DIST_DIR) instead of rebuilding when sources changed

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const FALLBACK_RPS = 2000;

/** the decision API's req/s from the last full `npm run bench` */
function measuredRate(): { rps: number; source: string } {
  const file = path.join(root, 'docs', 'benchmarks.md');
  if (existsSync(file)) {
    const m = /\| POST \/api\/v1\/decisions \| ([\d,]+) \|/.exec(readFileSync(file, 'utf8'));
    if (m) return { rps: Number(m[1].replace(/,/g, '')), source: 'docs/benchmarks.md' };
  }
  return { rps: FALLBACK_RPS, source: 'a default (docs/benchmarks.md has no HTTP figure)' };
}

async function main() {
  const started = new Date();
  const seconds = Number(process.env.LOAD_SECONDS ?? 300);
  const measured = measuredRate();
  const fraction = Number(process.env.LOAD_FRACTION ?? 0.25);
  const rate = process.env.LOAD_RATE ? Number(process.env.LOAD_RATE) : Math.round(measured.rps * fraction);
  const rateNote = process.env.LOAD_RATE
    ? `Rate set with LOAD_RATE.`
    : `The rate is ${Math.round(fraction * 100)} % of the ${measured.rps.toLocaleString('en-US')} req/s measured by \`npm run bench\` (from ${measured.source}; LOAD_FRACTION / LOAD_RATE change it): that benchmark ran the API alone at saturation, here the generator, the console and PostgreSQL share the same cores.`;
  const windowSeconds = Number(process.env.LOAD_WINDOW_SECONDS ?? 15);
  if (!(seconds > 0 && rate > 0 && windowSeconds > 0)) throw new Error('LOAD_SECONDS, LOAD_RATE and LOAD_WINDOW_SECONDS must be positive numbers');

  // the same build step as `npm start`: the console is served from a current production build
  if (process.env.LOAD_SKIP_BUILD !== '1') buildIfStale(root);
  const result = await runLoad({ seconds, rate, windowSeconds, warmupSeconds: Number(process.env.LOAD_WARMUP_SECONDS ?? 10), consoleWorkers: Number(process.env.LOAD_CONSOLE_USERS ?? 2), log: (m) => console.log(m) });
  const v = loadVerdicts(result);

  mkdirSync('docs', { recursive: true });
  const command = process.env.LOAD_SECONDS ? `LOAD_SECONDS=${seconds} npm run bench:load` : 'npm run bench:load';
  writeFileSync('docs/benchmarks-load.md', loadMarkdown(result, { started, command, rateNote }));
  recordProof('load', {
    seconds,
    targetRate: rate,
    achievedRate: result.achievedRps,
    answered: result.log.answered,
    warmupAnswered: result.warmupAnswered,
    decisionLogRows: result.log.tenantRows,
    answeredMissingFromLog: result.log.missing.length,
    rowsWithoutAnswer: result.extraRows,
    unavailable503: result.tally.unavailable,
    otherNon200: result.tally.otherStatus + result.tally.noAnswer,
    p50Ms: result.p50,
    p99Ms: result.p99,
    consoleRequests: result.console.requests,
    consoleErrors: result.console.errors,
    rssGrowthMiB: result.memory.rssEndMiB - result.memory.rssStartMiB,
    heapGrowthMiB: result.memory.heapEndMiB - result.memory.heapStartMiB,
    rowsEqualAnswers: v.rowsEqualAnswers,
  });
  console.log(`wrote docs/benchmarks-load.md — answered ${result.log.answered}, rows ${result.log.tenantRows}, missing ${result.log.missing.length}`);
  if (!v.rowsEqualAnswers || !v.no5xxBut503) {
    console.error('FAILED: ' + JSON.stringify(v));
    process.exitCode = 1;
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
