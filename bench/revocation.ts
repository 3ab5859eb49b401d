import pg from 'pg';
import { startProcess } from './processes';
import type { BenchTenant } from './seed-tenant';

// Time from a grant revoked by one process (this one, a direct database write as any console
// instance would make) to the first deny served by a second process (the API server).
export async function runRevocationBench(databaseUrl: string, tenant: BenchTenant, trials = 100) {
  const api = await startProcess('bench/api-server.ts', { DATABASE_URL: databaseUrl, API_RATE_LIMIT_RPS: '1000000', API_RATE_LIMIT_BURST: '1000000' });
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  const url = `http://127.0.0.1:${api.port}/api/v1/decisions`;
  const ask = async (call: BenchTenant['calls'][number]) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.serverKey}` },
      body: JSON.stringify({ subject: { token: call.token }, tool: call.tool, action: 'read', resource: 'invoice:1' }),
    });
    return (await res.json()) as { allow: boolean; authorization: { grantId: string | null } };
  };
  const times: number[] = [];
  try {
    const allowed = tenant.calls.filter((x) => x.allowed);
    for (let i = 0; i < trials; i++) {
      const call = allowed[i % allowed.length];
      const first = await ask(call);
      if (!first.allow || !first.authorization.grantId) throw new Error('expected an allowed call before revoking');
      const grantId = first.authorization.grantId;
      const t0 = performance.now();
      await c.query('UPDATE "Grant" SET "revokedAt" = now() WHERE id = $1', [grantId]);
      for (;;) {
        if (!(await ask(call)).allow) break;
        if (performance.now() - t0 > 10_000) throw new Error('revocation not enforced within 10 s');
      }
      times.push(performance.now() - t0);
      await c.query('UPDATE "Grant" SET "revokedAt" = NULL WHERE id = $1', [grantId]);
      // wait until restored so the next trial starts from an allow
      while (!(await ask(call)).allow) await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await c.end();
    await api.stop();
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { trials: times.length, p50: q(0.5), p99: q(0.99), max: times[times.length - 1] };
}
