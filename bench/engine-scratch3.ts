import { compile, decide } from '../lib/policy/index';
import { buildBenchData, BENCH_NOW } from './engine-data';
for (const n of [100, 100_000]) {
  const b = buildBenchData({ agents: 1000, tools: 200, servers: 4, grants: n, denyRules: 20, requests: 100_000 });
  const idx = compile(b.data);
  const by: Record<string, typeof b.requests> = {};
  for (const r of b.requests) { const d = decide(idx, r, BENCH_NOW); (by[d.reason] ??= []).push(r); }
  const out: string[] = [];
  for (const [reason, reqs] of Object.entries(by)) {
    let allow = 0; const start = performance.now(); let count = 0;
    while (performance.now() - start < 300) { for (let i = 0; i < reqs.length; i++) if (decide(idx, reqs[i]!, BENCH_NOW).allow) allow++; count += reqs.length; }
    out.push(`${reason}(${reqs.length}): ${(count / (performance.now() - start) / 1000).toFixed(2)}M/s`);
  }
  console.log(n, out.join('  '));
}
