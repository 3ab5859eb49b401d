import { compile, decide } from '../lib/policy/index';
import { buildBenchData, BENCH_NOW } from './engine-data';
for (const n of [100, 10_000, 100_000]) {
  const b = buildBenchData({ agents: 1000, tools: 200, servers: 4, grants: n, denyRules: 20, requests: 100_000 });
  const t0 = performance.now();
  const idx = compile(b.data);
  const ct = performance.now() - t0;
  const reqs = b.requests;
  let allow = 0;
  for (let w = 0; w < 3; w++) for (let i = 0; i < reqs.length; i++) if (decide(idx, reqs[i]!, BENCH_NOW).allow) allow++;
  const start = performance.now(); let count = 0;
  while (performance.now() - start < 1500) { for (let i = 0; i < reqs.length; i++) if (decide(idx, reqs[i]!, BENCH_NOW).allow) allow++; count += reqs.length; }
  const el = performance.now() - start;
  const reasons: Record<string, number> = {};
  for (const r of reqs.slice(0, 20000)) { const d = decide(idx, r, BENCH_NOW); reasons[d.reason] = (reasons[d.reason] ?? 0) + 1; }
  console.log(n, 'compile', ct.toFixed(0), 'ms', (count / el * 1000 / 1e6).toFixed(2), 'M/s', JSON.stringify(reasons));
}
