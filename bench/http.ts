// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon';
import pg from 'pg';
import { cpuPerRequest, type CpuSplit } from './cpu-usage';
import { startProcess } from './processes';
import type { BenchTenant } from './seed-tenant';

// The decision API (real PostgreSQL, JWT verification, durable group-commit logging) against a
// bare node:http server answering a fixed JSON, driven by autocannon with the same settings in
// the same run. Both servers run in their own process; the load generator in this one.

export interface HttpResult {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU per answered request, by process (null parts: no /proc on this machine) */
  cpu: CpuSplit;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  '2xx': number;
}

// `amount` (a fixed number of requests) rather than a duration for the measured API run: every
// request sent is then answered and counted, so log rows can be compared to answers exactly.
function run(url: string, requests: object[], connections: number, duration: number, amount?: number): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const opts = amount ? { amount } : { duration };
    autocannon({ url, connections, pipelining: 1, requests, ...opts }, (err: Error | null, res: AutocannonResult) => (err ? reject(err) : resolve(res)));
  });
}

export async function runHttpBench(databaseUrl: string, tenant: BenchTenant, opts = { connections: 50, duration: 10 }) {
  const requests = tenant.calls.map((c) => ({
    method: 'POST',
    path: '/api/v1/decisions',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.serverKey}` },
    body: JSON.stringify({ subject: { token: c.token }, tool: c.tool, action: 'read', resource: 'invoice:42' }),
  }));

  const bare = await startProcess('bench/bare-server.ts', {});
  await run(`http://127.0.0.1:${bare.port}`, requests, opts.connections, 2); // warm-up
  const bareRun = await cpuPerRequest(bare.child.pid, () => run(`http://127.0.0.1:${bare.port}`, requests, opts.connections, opts.duration), (r) => r.requests.total);
  await bare.stop();

  const api = await startProcess('bench/api-server.ts', { DATABASE_URL: databaseUrl, API_RATE_LIMIT_RPS: '1000000', API_RATE_LIMIT_BURST: '1000000' });
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  const warm = await run(`http://127.0.0.1:${api.port}`, requests, opts.connections, 2); // warm-up: snapshot, JIT
  // autocannon stops a duration run with requests still in flight: let them land before counting
  await new Promise((r) => setTimeout(r, 2000));
  const before = Number((await c.query('SELECT count(*) FROM "DecisionLog" WHERE "tenantId" = $1', [tenant.tenantId])).rows[0].count);
  const amount = Math.max(1000, Math.round(warm.requests.average * opts.duration));
  const apiRun = await cpuPerRequest(api.child.pid, () => run(`http://127.0.0.1:${api.port}`, requests, opts.connections, opts.duration, amount), (r) => r.requests.total);
  await api.stop();
  const after = Number((await c.query('SELECT count(*) FROM "DecisionLog" WHERE "tenantId" = $1', [tenant.tenantId])).rows[0].count);
  await c.end();

  const shape = (name: string, { result: r, split }: { result: AutocannonResult; split: CpuSplit }): HttpResult => ({
    name,
    requests: r['2xx'],
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    cpu: split,
  });
  return { bare: shape('bare node:http (fixed JSON)', bareRun), api: shape('POST /api/v1/decisions', apiRun), loggedRows: after - before, connections: opts.connections, duration: opts.duration };
}
