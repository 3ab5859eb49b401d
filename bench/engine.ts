// Policy engine microbenchmark: decide() throughput and latency at 100 / 10,000 / 100,000
// grants, against Cedar (@cedar-policy/cedar-wasm) on equivalent policies and requests.
//
//   npx tsx bench/engine.ts            full run (a few minutes), prints a markdown report
//   npx tsx bench/engine.ts --quick    shorter budgets (smoke test)
//
// runEngineBench() is exported for the top-level bench runner (docs/benchmarks.md).

import os from 'node:os';
import { pathToFileURL } from 'node:url';
import type { AuthorizationCall, StatefulAuthorizationCall } from '@cedar-policy/cedar-wasm/nodejs';
import { compile, decide, type DecisionRequest, type PolicyIndex } from '../lib/policy/index';
import {
  cedarIsAuthorized,
  cedarStatefulIsAuthorized,
  cedarVersion,
  preparsePolicies,
  toCedarPolicies,
  toCedarPolicySlices,
  toCedarRequest,
} from './engine-cedar';
import { BENCH_NOW, buildBenchData, MATCHED_MIX_TEXT, type BenchData, type BenchShape } from './engine-data';
import { breathe, median, percentiles, timeEachCall, timerOverheadUs, type Percentiles } from './engine-measure';
import {
  CEDAR_BASIC,
  CEDAR_SLICED,
  CEDAR_WHOLE,
  ENGINE,
  ENGINE_MATCHED,
  ENGINE_SAME_REQUESTS,
  evaluateTargets,
  MIX_MATCHED,
  MIX_OWN,
  MIX_SAME,
  toMarkdown,
  type Agreement,
  type EngineBenchResults,
  type EngineBenchRow,
  type OutcomeMix,
} from './engine-report';

export type { EngineBenchResults, EngineBenchRow } from './engine-report';

export interface EngineBenchOptions {
  sizes?: number[];
  quick?: boolean;
  /** Cedar is only run up to this many grants (default: every size; quick: 10,000) */
  cedarUpTo?: number;
  /**
   * Cedar with all policies in one set (preparsed, and the basic isAuthorized) is only run up to
   * this many grants (default 10,000; quick: 100): at 100,000 preparsing alone took minutes in
   * trial runs and each call close to a second (basic: ~8 s).
   */
  cedarWholeSetUpTo?: number;
  log?: (line: string) => void;
}

const SHAPE: Omit<BenchShape, 'grants'> = { agents: 1000, tools: 200, servers: 4, denyRules: 20, requests: 100_000 };
const SHAPE_TEXT =
  `Data: ${SHAPE.agents.toLocaleString('en-US')} agents × ${SHAPE.tools} tools on ${SHAPE.servers} servers, ` +
  `N grants on distinct (agent, tool) pairs, ${SHAPE.denyRules} deny rules; ` +
  `${SHAPE.requests.toLocaleString('en-US')} requests per mix. Original mix: half on pairs with a grant, half on random pairs, ` +
  `1% naming unknown tools. Work-matched mix, the same shares at every size: ${MATCHED_MIX_TEXT}.`;

interface Built {
  grants: number;
  bench: BenchData;
  index: PolicyIndex;
  compileMs: number;
}

/** Decisions per second over one pass-aligned trial of at least `trialMs`. */
function trial(index: PolicyIndex, reqs: readonly DecisionRequest[], trialMs: number): number {
  let sink = 0;
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < trialMs) {
    for (let i = 0; i < reqs.length; i++) if (decide(index, reqs[i]!, BENCH_NOW).allow) sink++;
    count += reqs.length;
    elapsed = performance.now() - start;
  }
  if (sink < 0) throw new Error('unreachable: keeps the answers observable');
  return (count / elapsed) * 1000;
}

function latency(index: PolicyIndex, reqs: readonly DecisionRequest[], samples: number): Percentiles {
  const out = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const req = reqs[i % reqs.length]!;
    const t0 = performance.now();
    decide(index, req, BENCH_NOW);
    out[i] = performance.now() - t0;
  }
  return percentiles(out);
}

const row = (engine: string, grants: number, prepareMs: number | null, perSecond: number, p: Percentiles): EngineBenchRow => ({
  engine,
  grants,
  prepareMs,
  decisionsPerSecond: perSecond,
  p50Us: p.p50Us,
  p99Us: p.p99Us,
  latencySamples: p.samples,
});

/**
 * Our engine at every size, trials interleaved across sizes and mixes: a noisy neighbour then
 * slows all of them alike instead of skewing their ratio. Three mixes per size: its own original
 * requests, the smallest size's requests (both kept from earlier runs, so nothing is hidden) and
 * the work-matched requests, the one whose outcomes do not change with size (see engine-data.ts).
 */
async function benchEngine(built: Built[], quick: boolean, log: (l: string) => void): Promise<EngineBenchRow[]> {
  const trials = quick ? 3 : 7;
  const trialMs = quick ? 150 : 300;
  const samples = quick ? 50_000 : 200_000;
  const base = built[0]!.bench.requests;
  const mixes = (b: Built): [string, readonly DecisionRequest[]][] => [
    [ENGINE, b.bench.requests],
    ...(b !== built[0] ? [[ENGINE_SAME_REQUESTS, base] as [string, readonly DecisionRequest[]]] : []),
    [ENGINE_MATCHED, b.bench.matchedRequests],
  ];
  const rates = new Map<string, number[]>();
  const key = (engine: string, grants: number) => `${engine}\u0000${grants}`;

  log('toolwarden: warm-up');
  for (const b of built) for (const [, reqs] of mixes(b)) trial(b.index, reqs, trialMs);
  for (let t = 0; t < trials; t++) {
    log(`toolwarden: trial ${t + 1}/${trials}`);
    for (const b of built) {
      for (const [engine, reqs] of mixes(b)) {
        const k = key(engine, b.grants);
        rates.set(k, [...(rates.get(k) ?? []), trial(b.index, reqs, trialMs)]);
      }
    }
    await breathe();
  }

  const rows: EngineBenchRow[] = [];
  for (const b of built) {
    log(`toolwarden: latency at ${b.grants} grants`);
    for (const [engine, reqs] of mixes(b)) {
      rows.push(row(engine, b.grants, b.compileMs, median(rates.get(key(engine, b.grants))!), latency(b.index, reqs, samples)));
    }
  }
  return rows;
}

/** What each mix asks of the engine at each size: the share of each decision reason. */
function outcomeMixes(built: Built[]): OutcomeMix[] {
  const count = (b: Built, mix: string, reqs: readonly DecisionRequest[]): OutcomeMix => {
    const reasons: Record<string, number> = {};
    for (const r of reqs) {
      const reason = decide(b.index, r, BENCH_NOW).reason;
      reasons[reason] = (reasons[reason] ?? 0) + 1;
    }
    return { mix, grants: b.grants, total: reqs.length, reasons };
  };
  return [MIX_OWN, MIX_SAME, MIX_MATCHED].flatMap((mix) =>
    built.map((b) =>
      count(b, mix, mix === MIX_OWN ? b.bench.requests : mix === MIX_SAME ? built[0]!.bench.requests : b.bench.matchedRequests),
    ),
  );
}

/**
 * Cedar on the same data and requests: one preparsed policy set per agent (Cedar evaluates every
 * policy of a set, so slicing by principal is how a large deployment would run it), one set for
 * everything, and the basic API. The tool lookup happens before timing (see engine-cedar.ts).
 */
function benchCedar(
  b: Built,
  opts: { budgetMs: number; wholeSet: boolean; log: (l: string) => void },
): { rows: EngineBenchRow[]; agreement: Agreement[] } {
  const rows: EngineBenchRow[] = [];
  const agreement: Agreement[] = [];
  const requests = b.bench.requests.slice(0, 20_000);
  const cedarReqs = requests.map((r) => toCedarRequest(r, b.bench.toolIdOf, BENCH_NOW));

  const agree = (engine: string, results: readonly boolean[]) => {
    let agreed = 0;
    for (let i = 0; i < results.length; i++) {
      if (decide(b.index, requests[i]!, BENCH_NOW).allow === results[i]) agreed++;
    }
    agreement.push({ engine, grants: b.grants, checked: results.length, agreed });
  };
  const measure = (engine: string, prepareMs: number, calls: StatefulAuthorizationCall[]) => {
    opts.log(`${engine} at ${b.grants} grants`);
    timeEachCall(calls, cedarStatefulIsAuthorized, Math.min(200, opts.budgetMs / 4), 3); // warm-up
    const m = timeEachCall(calls, cedarStatefulIsAuthorized, opts.budgetMs, 20);
    rows.push(row(engine, b.grants, prepareMs, m.perSecond, m.latency));
    agree(engine, m.results);
  };

  opts.log(`cedar: preparsing one set per agent at ${b.grants} grants`);
  let slicedMs = 0;
  const sliceIds = new Map<string, string>();
  for (const [agentId, text] of toCedarPolicySlices(b.bench.data)) {
    const id = `bench-${b.grants}-agent-${agentId}`;
    slicedMs += preparsePolicies(id, text);
    sliceIds.set(agentId, id);
  }
  const shared = sliceIds.get('')!;
  measure(
    CEDAR_SLICED,
    slicedMs,
    cedarReqs.map((r, i) => ({ ...r, preparsedPolicySetId: sliceIds.get(requests[i]!.agentId) ?? shared })),
  );

  if (opts.wholeSet) {
    opts.log(`cedar: preparsing one set at ${b.grants} grants`);
    const policies = toCedarPolicies(b.bench.data);
    const wholeId = `bench-${b.grants}-all`;
    const wholeMs = preparsePolicies(wholeId, policies);
    measure(CEDAR_WHOLE, wholeMs, cedarReqs.map((r) => ({ ...r, preparsedPolicySetId: wholeId })));

    opts.log(`${CEDAR_BASIC} at ${b.grants} grants`);
    const policySet = { staticPolicies: policies };
    const calls: AuthorizationCall[] = cedarReqs.slice(0, 2_000).map((r) => ({ ...r, policies: policySet }));
    const m = timeEachCall(calls, cedarIsAuthorized, opts.budgetMs, 2);
    rows.push(row(CEDAR_BASIC, b.grants, null, m.perSecond, m.latency));
  }
  return { rows, agreement };
}

export async function runEngineBench(
  options: EngineBenchOptions = {},
): Promise<{ markdown: string; results: EngineBenchResults }> {
  const sizes = options.sizes ?? [100, 10_000, 100_000];
  const quick = options.quick ?? false;
  const cedarUpTo = options.cedarUpTo ?? (quick ? 10_000 : Infinity);
  const wholeSetUpTo = options.cedarWholeSetUpTo ?? (quick ? 100 : 10_000);
  const log = options.log ?? (() => {});

  const built: Built[] = [];
  for (const grants of sizes) {
    log(`building ${grants} grants`);
    const bench = buildBenchData({ ...SHAPE, grants });
    const t0 = performance.now();
    const index = compile(bench.data);
    built.push({ grants, bench, index, compileMs: performance.now() - t0 });
    await breathe();
  }

  const engineRows = await benchEngine(built, quick, log);
  const rows: EngineBenchRow[] = [];
  const agreement: Agreement[] = [];
  for (const b of built) {
    rows.push(...engineRows.filter((r) => r.grants === b.grants));
    if (b.grants > cedarUpTo) continue;
    const cedar = benchCedar(b, { budgetMs: quick ? 300 : 2000, wholeSet: b.grants <= wholeSetUpTo, log });
    rows.push(...cedar.rows);
    agreement.push(...cedar.agreement);
    await breathe();
  }

  const sizeList = (xs: number[]) => xs.map((g) => g.toLocaleString('en-US')).join(', ');
  const notes = [
    'Cedar\'s prepare time is informational: preparsePolicySet slows down as more sets are cached ' +
      '(in a fresh process, the first 250 per-agent sets at 100,000 grants took 2 s, the last 250 took 10 s).',
  ];
  const noCedar = sizes.filter((g) => g > cedarUpTo);
  if (noCedar.length > 0) notes.push(`Cedar was not run at ${sizeList(noCedar)} grants (\`cedarUpTo\`).`);
  const noWhole = sizes.filter((g) => g > wholeSetUpTo && g <= cedarUpTo);
  if (noWhole.length > 0) {
    notes.push(
      `Cedar with one set for all policies (preparsed or basic) was not run at ${sizeList(noWhole)} grants: ` +
        'at 100,000 grants, preparsing took minutes and each call close to a second in trial runs ' +
        '(`cedarWholeSetUpTo` includes it).',
    );
  }
  const results: EngineBenchResults = {
    rows,
    outcomes: outcomeMixes(built),
    agreement,
    targets: evaluateTargets(rows, sizes),
    notes,
    environment: {
      node: process.version,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      cedar: cedarVersion(),
      timerOverheadUs: timerOverheadUs(),
      shape: SHAPE_TEXT,
      quick,
    },
  };
  return { markdown: toMarkdown(results), results };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const { markdown } = await runEngineBench({
    quick: process.argv.includes('--quick'),
    log: (line) => console.error(line),
  });
  console.log(markdown);
}
