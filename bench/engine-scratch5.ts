import { compile, decide } from '../lib/policy/index';
import { buildBenchData, BENCH_NOW } from './engine-data';
const variant = process.argv[2];
const sizes = [100, 100_000];
const built = sizes.map((n) => { const b = buildBenchData({ agents: 1000, tools: 200, servers: 4, grants: n, denyRules: 20, requests: 100_000 });
  if (variant === 'plain') for (const g of b.data.grants) { g.environments = []; g.resourcePatterns = []; g.expiresAt = null; }
  return { n, idx: compile(b.data), reqs: b.requests }; });
const best: Record<number, number> = {};
let sink = 0;
for (let round = 0; round < 8; round++) for (const { n, idx, reqs } of built) {
  const start = performance.now(); let count = 0;
  while (performance.now() - start < 200) { for (let i = 0; i < reqs.length; i++) if (decide(idx, reqs[i]!, BENCH_NOW).allow) sink++; count += reqs.length; }
  best[n] = Math.max(best[n] ?? 0, count / (performance.now() - start) / 1000);
}
console.log(variant, Object.entries(best).map(([n, v]) => `${n}: ${v.toFixed(2)}M/s`).join('  '), 'ratio', (best[100]! / best[100000]!).toFixed(2), sink > 0);
