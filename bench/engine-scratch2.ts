import { compile, decide } from '../lib/policy/index';
import { buildBenchData, BENCH_NOW } from './engine-data';
const n = Number(process.argv[2] ?? 100000);
const b = buildBenchData({ agents: 1000, tools: 200, servers: 4, grants: n, denyRules: 20, requests: 100_000 });
const idx = compile(b.data);
const reqs = b.requests;
let allow = 0;
const start = performance.now(); let count = 0;
while (performance.now() - start < 3000) { for (let i = 0; i < reqs.length; i++) if (decide(idx, reqs[i]!, BENCH_NOW).allow) allow++; count += reqs.length; }
console.log(n, (count / (performance.now() - start) * 1000 / 1e6).toFixed(2), 'M/s', allow > 0);
