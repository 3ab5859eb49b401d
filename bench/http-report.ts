import os from 'node:os';
import type { HttpResult } from './http';

// The HTTP section of docs/benchmarks.md: throughput and latency against the bare server, the
// targets, and where each request's CPU went. The CPU split is what explains the ratio: the
// API, PostgreSQL and the load generator share the machine, so their summed CPU per request
// bounds the throughput any change to one of them could reach (docs/performance.md).

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const us = (v: number | null) => (v === null ? '—' : fmt(v));

export interface HttpBenchRun {
  bare: HttpResult;
  api: HttpResult;
  loggedRows: number;
  connections: number;
  duration: number;
}

export function httpTargets(http: HttpBenchRun) {
  const ratio = http.api.rps / http.bare.rps;
  return [
    { target: 'decision API ≥ 33 % of bare node:http', met: ratio >= 0.33, measured: `${(ratio * 100).toFixed(1)} %` },
    { target: 'p99 ≤ 10 ms at 50 connections', met: http.api.p99 <= 10, measured: `${http.api.p99} ms` },
    { target: 'every answered decision logged', met: http.loggedRows === http.api.requests, measured: `${fmt(http.loggedRows)} rows for ${fmt(http.api.requests)} answers` },
  ];
}

function cpuTable(http: HttpBenchRun): string[] {
  const rows = [http.bare, http.api];
  if (rows.some((r) => r.cpu.serverUs === null)) return ['CPU per request: not measured (no /proc on this machine).'];
  const total = (r: HttpResult) => (r.cpu.serverUs ?? 0) + (r.cpu.postgresUs ?? 0) + r.cpu.loadGeneratorUs;
  const cores = os.cpus().length;
  return [
    `CPU per answered request, read from /proc around each measured run (µs; all processes share ${cores} cores). ` +
      `"Ceiling" is ${cores} cores divided by the total: the rate at which this machine would run out of CPU.`,
    '',
    '| server | server process | PostgreSQL | load generator | total | ceiling req/s |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${us(r.cpu.serverUs)} | ${us(r.cpu.postgresUs)} | ${us(r.cpu.loadGeneratorUs)} | ${fmt(total(r))} | ${fmt((cores * 1e6) / total(r))} |`),
    '',
    `A third of the bare rate, ${fmt(http.bare.rps / 3)} req/s, leaves ${fmt((cores * 1e6 * 3) / http.bare.rps)} µs of CPU per decision ` +
      `for all three processes together; the decision path measured ${fmt(total(http.api))} µs.`,
  ];
}

export function httpMarkdown(http: HttpBenchRun, distinctCalls: number): string {
  const ratio = http.api.rps / http.bare.rps;
  return [
    '## HTTP: the decision API against bare node:http',
    '',
    `autocannon, ${http.connections} connections, ${http.duration} s each, same request set (${distinctCalls} distinct calls: JWT-SVIDs of 200 agents, allowed and denied tools).`,
    'The decision API runs with a real PostgreSQL, verifies every JWT (ES256), evaluates on the snapshot and answers only after the group-committed log insert.',
    '',
    '| server | req/s | p50 ms | p99 ms | non-2xx | errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...[http.bare, http.api].map((r) => `| ${r.name} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} |`),
    '',
    `Ratio: **${(ratio * 100).toFixed(1)} %** of the bare ceiling. Decision-log rows written during the run: ${fmt(http.loggedRows)} (answers: ${fmt(http.api.requests)}).`,
    '',
    ...cpuTable(http),
    '',
    '| target | met | measured |',
    '|---|---|---|',
    ...httpTargets(http).map((t) => `| ${t.target} | ${t.met ? 'yes' : '**no**'} | ${t.measured} |`),
  ].join('\n');
}
