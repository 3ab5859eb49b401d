// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon';
import { createTestDatabase } from '../tests/setup/test-database';
import { startProcess } from './processes';
import { seedBenchTenant } from './seed-tenant';

// Decision API throughput per DECISION_LOG_CONCURRENCY (batches written at once), interleaved so
// machine noise hits every setting alike. Run `top` beside it to see the CPU split between the
// API, PostgreSQL and autocannon (docs/performance.md).
//
//   CONCS=2,4,8,2,4,8 npx tsx bench/log-concurrency.ts

const database = await createTestDatabase('logconc');
try {
  const tenant = await seedBenchTenant(database.url);
  const requests = tenant.calls.map((c) => ({
    method: 'POST',
    path: '/api/v1/decisions',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.serverKey}` },
    body: JSON.stringify({ subject: { token: c.token }, tool: c.tool, action: 'read', resource: 'invoice:42' }),
  }));
  for (const conc of (process.env.CONCS ?? '1,2,4,8').split(',')) {
    const api = await startProcess('bench/api-server.ts', { DECISION_LOG_CONCURRENCY: conc, DATABASE_URL: database.url, API_RATE_LIMIT_RPS: '1000000', API_RATE_LIMIT_BURST: '1000000' });
    const run = (duration: number) =>
      new Promise<{ requests: { average: number }; latency: { p50: number; p99: number } }>((resolve, reject) =>
        autocannon({ url: `http://127.0.0.1:${api.port}`, connections: 50, requests, duration }, (e: Error | null, r: never) => (e ? reject(e) : resolve(r))),
      );
    await run(2);
    const r = await run(8);
    console.log(`DECISION_LOG_CONCURRENCY=${conc}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`);
    await api.stop();
  }
} finally {
  await database.drop();
}
