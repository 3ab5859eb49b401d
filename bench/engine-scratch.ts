import { compile, decide } from '../lib/policy/index';
import { buildBenchData, BENCH_NOW } from './engine-data';
const sizes = [100, 10_000, 100_000];
const built = sizes.map((n) => { const b = buildBenchData({ agents: 1000, tools: 200, servers: 4, grants: n, denyRules: 20, requests: 100_000 }); return { n, idx: compile(b.data), reqs: b.requests }; });
const best: Record<number, number> = {};
let sink = 0;
for (let round = 0; round < 5; round++) for (const { n, idx, reqs } of built) {
  const start = performance.now(); let count = 0;
  while (performance.now() - start < 300) { for (let i = 0; i < reqs.length; i++) if (decide(idx, reqs[i]!, BENCH_NOW).allow) sink++; count += reqs.length; }
  best[n] = Math.max(best[n] ?? 0, count / (performance.now() - start) / 1000);
}
console.log(Object.entries(best).map(([n, v]) => `${n}: ${v.toFixed(2)}M/s`).join('  '), 'ratio', (best[100]! / best[100000]!).toFixed(2), sink > 0);
