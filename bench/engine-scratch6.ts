import { compile, decide } from '../lib/policy/index';
import { buildBenchData, BENCH_NOW } from './engine-data';
const n = Number(process.argv[2]);
const b = buildBenchData({ agents: 1000, tools: 200, servers: 4, grants: n, denyRules: 20, requests: 100_000 });
for (const g of b.data.grants) { g.environments = []; g.resourcePatterns = []; g.expiresAt = null; }
const idx = compile(b.data); const reqs = b.requests;
let sink = 0; const start = performance.now(); let count = 0;
while (performance.now() - start < 4000) { for (let i = 0; i < reqs.length; i++) if (decide(idx, reqs[i]!, BENCH_NOW).allow) sink++; count += reqs.length; }
console.log(n, (count / (performance.now() - start) / 1000).toFixed(2), sink > 0);
