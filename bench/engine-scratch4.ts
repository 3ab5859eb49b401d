// locality probe: same code, 100k grants, but requests restricted to 100 distinct granted pairs
import { compile, decide } from '../lib/policy/index';
import { buildBenchData, BENCH_NOW } from './engine-data';
const b = buildBenchData({ agents: 1000, tools: 200, servers: 4, grants: 100_000, denyRules: 20, requests: 100_000 });
const idx = compile(b.data);
const granted = b.requests.filter((r) => decide(idx, r, BENCH_NOW).reason === 'granted');
for (const distinct of [100, 1000, 10000, granted.length]) {
  const reqs = Array.from({ length: 50000 }, (_, i) => granted[i % distinct]!);
  const start = performance.now(); let count = 0; let allow = 0;
  while (performance.now() - start < 500) { for (let i = 0; i < reqs.length; i++) if (decide(idx, reqs[i]!, BENCH_NOW).allow) allow++; count += reqs.length; }
  console.log('distinct granted requests', distinct, (count / (performance.now() - start) / 1000).toFixed(2), 'M/s');
}
