// Policy engine microbenchmark: decide() throughput and latency at 100 / 10,000 / 100,000
// grants, against Cedar (@cedar-policy/cedar-wasm) on equivalent policies and requests.
//
//   npx tsx bench/engine.ts            full run, prints a markdown report
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
import { BENCH_NOW, buildBenchData, type BenchData, type BenchShape } from './engine-data';
import { breathe, median, percentiles, timeEachCall, timerOverheadUs } from './engine-measure';

export interface EngineBenchOptions {
  sizes?: number[];
  quick?: boolean;
  /** Cedar's basic isAuthorized re-parses every policy per call; off skips those rows */
  includeCedarIsAuthorized?: boolean;
  log?: (line: string) => void;
}

export interface EngineBenchRow {
  engine: string;
  grants: number;
  /** compile() for our engine, preparsePolicySet() for Cedar */
  prepareMs: number;
  decisionsPerSecond: number;
  p50Us: number;
  p99Us: number;
  latencySamples: number;
}

export interface Agreement {
  engine: string;
  grants: number;
  checked: number;
  agreed: number;
}

export interface EngineBenchResults {
  rows: EngineBenchRow[];
  /** our allow/deny against Cedar's on the same requests */
  agreement: Agreement[];
  targets: Array<{ target: string; met: boolean; measured: string }>;
  environment: { node: string; cpu: string; cores: number; cedar: string; timerOverheadUs: number };
}

const ENGINE = 'toolwarden decide()';
const ENGINE_SAME_MIX = 'toolwarden decide(), the requests of the smallest run';
const CEDAR_SLICED = 'cedar statefulIsAuthorized, one preparsed set per agent';
const CEDAR_STATEFUL = 'cedar statefulIsAuthorized, one preparsed set';
const CEDAR_BASIC = 'cedar isAuthorized (parses the set per call)';

const SHAPE: Omit<BenchShape, 'grants'> = { agents: 1000, tools: 200, servers: 4, denyRules: 20, requests: 100_000 };

function throughput(index: PolicyIndex, reqs: readonly DecisionRequest[], trials: number, trialMs: number): number {
  const rates: number[] = [];
  let sink = 0;
  for (let t = 0; t < trials; t++) {
    let count = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < trialMs) {
      for (let i = 0; i < reqs.length; i++) if (decide(index, reqs[i]!, BENCH_NOW).allow) sink++;
      count += reqs.length;
      elapsed = performance.now() - start;
    }
    rates.push((count / elapsed) * 1000);
  }
  if (sink < 0) throw new Error('unreachable: keeps the results alive');
  // The median trial: robust to a noisy neighbour on a shared machine in either direction.
  return median(rates);
}

function latency(index: PolicyIndex, reqs: readonly DecisionRequest[], samples: number) {
  const out = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const req = reqs[i % reqs.length]!;
    const t0 = performance.now();
    decide(index, req, BENCH_NOW);
    out[i] = performance.now() - t0;
  }
  return percentiles(out);
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtUs = (n: number) => (n < 10 ? n.toFixed(2) : n < 1000 ? n.toFixed(1) : fmtInt(n));

export async function runEngineBench(
  options: EngineBenchOptions = {},
): Promise<{ markdown: string; results: EngineBenchResults }> {
  const sizes = options.sizes ?? [100, 10_000, 100_000];
  const quick = options.quick ?? false;
  const log = options.log ?? (() => {});
  const trials = quick ? 3 : 5;
  const trialMs = quick ? 150 : 400;
  const latencySamples = quick ? 50_000 : 200_000;
  const cedarBudgetMs = quick ? 300 : 2000;

  const rows: EngineBenchRow[] = [];
  const agreement: Agreement[] = [];
  let firstRequests: DecisionRequest[] | null = null;

  for (const grants of sizes) {
    log(`engine bench: ${fmtInt(grants)} grants`);
    const bench = buildBenchData({ ...SHAPE, grants });
    firstRequests ??= bench.requests;

    const t0 = performance.now();
    const index = compile(bench.data);
    const compileMs = performance.now() - t0;
    log('  toolwarden: throughput');
    throughput(index, bench.requests, 2, trialMs); // warm-up: let the JIT settle
    const perSecond = throughput(index, bench.requests, trials, trialMs);
    log('  toolwarden: latency');
    const lat = latency(index, bench.requests, latencySamples);
    rows.push({ engine: ENGINE, grants, prepareMs: compileMs, decisionsPerSecond: perSecond, ...pick(lat) });

    if (grants !== sizes[0] && firstRequests !== bench.requests) {
      // Same requests as the smallest run against this bigger index: separates the cost of a
      // bigger index from the cost of a request mix that touches more distinct grants.
      const sameMix = throughput(index, firstRequests, trials, trialMs);
      const sameLat = latency(index, firstRequests, latencySamples);
      rows.push({ engine: ENGINE_SAME_MIX, grants, prepareMs: compileMs, decisionsPerSecond: sameMix, ...pick(sameLat) });
    }
    await breathe();

    const cedar = benchCedar(bench, grants, index, {
      budgetMs: cedarBudgetMs,
      basic: options.includeCedarIsAuthorized ?? true,
      log,
    });
    rows.push(...cedar.rows);
    agreement.push(...cedar.agreement);
    await breathe();
  }

  const results: EngineBenchResults = {
    rows,
    agreement,
    targets: targets(rows, sizes),
    environment: {
      node: process.version,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      cedar: cedarVersion(),
      timerOverheadUs: timerOverheadUs(),
    },
  };
  return { markdown: toMarkdown(results, quick), results };
}

/**
 * Cedar on the same data and requests, three ways: the basic API, one preparsed policy set, and
 * one preparsed set per agent (Cedar evaluates every policy in a set, so slicing by principal
 * is how a large deployment would run it). Tool lookup happens before timing (see engine-cedar).
 */
function benchCedar(
  bench: BenchData,
  grants: number,
  index: PolicyIndex,
  opts: { budgetMs: number; basic: boolean; log: (line: string) => void },
): { rows: EngineBenchRow[]; agreement: Agreement[] } {
  const rows: EngineBenchRow[] = [];
  const agreement: Agreement[] = [];
  const requests = bench.requests.slice(0, 20_000);
  const cedarReqs = requests.map((r) => toCedarRequest(r, bench.toolIdOf, BENCH_NOW));
  const agree = (engine: string, results: boolean[]) => {
    let agreed = 0;
    for (let i = 0; i < results.length; i++) {
      if (decide(index, requests[i]!, BENCH_NOW).allow === results[i]) agreed++;
    }
    agreement.push({ engine, grants, checked: results.length, agreed });
  };
  const measure = (engine: string, prepareMs: number, calls: StatefulAuthorizationCall[]) => {
    opts.log(`  ${engine}`);
    timeEachCall(calls, cedarStatefulIsAuthorized, Math.min(200, opts.budgetMs / 4), 3); // warm-up
    const m = timeEachCall(calls, cedarStatefulIsAuthorized, opts.budgetMs, 20);
    rows.push({ engine, grants, prepareMs, decisionsPerSecond: m.perSecond, ...pick(m.latency) });
    agree(engine, m.results);
  };

  opts.log('  cedar: preparse per agent');
  let slicedMs = 0;
  const sliceIds = new Map<string, string>();
  for (const [agentId, text] of toCedarPolicySlices(bench.data)) {
    const id = `bench-${grants}-agent-${agentId}`;
    slicedMs += preparsePolicies(id, text);
    sliceIds.set(agentId, id);
  }
  const shared = sliceIds.get('')!;
  measure(
    CEDAR_SLICED,
    slicedMs,
    cedarReqs.map((r, i) => ({ ...r, preparsedPolicySetId: sliceIds.get(requests[i]!.agentId) ?? shared })),
  );

  opts.log('  cedar: preparse one set');
  const policies = toCedarPolicies(bench.data);
  const wholeId = `bench-${grants}-all`;
  const wholeMs = preparsePolicies(wholeId, policies);
  measure(CEDAR_STATEFUL, wholeMs, cedarReqs.map((r) => ({ ...r, preparsedPolicySetId: wholeId })));

  if (opts.basic) {
    opts.log(`  ${CEDAR_BASIC}`);
    const policySet = { staticPolicies: policies };
    const calls: AuthorizationCall[] = cedarReqs.slice(0, 2_000).map((r) => ({ ...r, policies: policySet }));
    const m = timeEachCall(calls, cedarIsAuthorized, opts.budgetMs, 2);
    rows.push({ engine: CEDAR_BASIC, grants, prepareMs: 0, decisionsPerSecond: m.perSecond, ...pick(m.latency) });
  }
  return { rows, agreement };
}

function pick(p: { p50Us: number; p99Us: number; samples: number }) {
  return { p50Us: p.p50Us, p99Us: p.p99Us, latencySamples: p.samples };
}

function targets(rows: EngineBenchRow[], sizes: number[]): EngineBenchResults['targets'] {
  const rate = (engine: string, grants: number) =>
    rows.find((r) => r.engine === engine && r.grants === grants)?.decisionsPerSecond;
  const out: EngineBenchResults['targets'] = [];
  const at10k = rate(ENGINE, 10_000);
  if (at10k !== undefined) {
    out.push({ target: '≥ 1,000,000 decisions/s at 10,000 grants', met: at10k >= 1_000_000, measured: `${fmtInt(at10k)}/s` });
  }
  const small = rate(ENGINE, 100);
  const large = rate(ENGINE, 100_000);
  const largeSameMix = rate(ENGINE_SAME_MIX, 100_000);
  if (small !== undefined && large !== undefined) {
    out.push({
      target: '100,000 grants no more than 1.5× slower than 100',
      met: small / large <= 1.5,
      measured:
        `${(small / large).toFixed(2)}× with each run's own request mix` +
        (largeSameMix !== undefined ? `; ${(small / largeSameMix).toFixed(2)}× on the same requests` : ''),
    });
  }
  // Against Cedar's best configuration at each size.
  const ratios = sizes.map((g) => {
    const best = Math.max(rate(CEDAR_SLICED, g) ?? 0, rate(CEDAR_STATEFUL, g) ?? 0, rate(CEDAR_BASIC, g) ?? 0);
    return (rate(ENGINE, g) ?? 0) / best;
  });
  if (ratios.length > 0) {
    out.push({
      target: 'faster than Cedar (its fastest configuration) at every size',
      met: ratios.every((r) => r > 1),
      measured: ratios.map((r, i) => `${fmtInt(r)}× at ${fmtInt(sizes[i]!)}`).join(', '),
    });
  }
  return out;
}

function toMarkdown(r: EngineBenchResults, quick: boolean): string {
  const e = r.environment;
  const lines = [
    `### Policy engine: decide() vs Cedar${quick ? ' (quick run)' : ''}`,
    '',
    `Node ${e.node}, ${e.cpu} (${e.cores} cores; one core used), Cedar ${e.cedar}. ` +
      `Data: ${fmtInt(SHAPE.agents)} agents × ${fmtInt(SHAPE.tools)} tools on ${SHAPE.servers} servers, ` +
      `${SHAPE.denyRules} deny rules; ${fmtInt(SHAPE.requests)} requests, half on (agent, tool) pairs with a grant, ` +
      'half on random pairs, 1% on unknown tools. Throughput is the median of timed trials; ' +
      `latency is per call and includes ~${e.timerOverheadUs.toFixed(2)} µs of clock reading.`,
    '',
    '| engine | grants | prepare (ms) | decisions/s | p50 (µs) | p99 (µs) | latency samples |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...r.rows.map(
      (row) =>
        `| ${row.engine} | ${fmtInt(row.grants)} | ${row.prepareMs ? fmtInt(row.prepareMs) : '—'} | ` +
        `${fmtInt(row.decisionsPerSecond)} | ${fmtUs(row.p50Us)} | ${fmtUs(row.p99Us)} | ${fmtInt(row.latencySamples)} |`,
    ),
    '',
    'Agreement with Cedar (same requests, allow/deny): ' +
      r.agreement
        .map((a) => `${fmtInt(a.agreed)}/${fmtInt(a.checked)} (${a.engine.replace('cedar statefulIsAuthorized, ', '')}, ${fmtInt(a.grants)} grants)`)
        .join('; ') +
      '.',
    '',
    '| target | met | measured |',
    '|---|---|---|',
    ...r.targets.map((t) => `| ${t.target} | ${t.met ? 'yes' : '**no**'} | ${t.measured} |`),
    '',
  ];
  return lines.join('\n');
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const quick = process.argv.includes('--quick');
  const { markdown } = await runEngineBench({ quick, log: (l) => console.error(l) });
  console.log(markdown);
}
