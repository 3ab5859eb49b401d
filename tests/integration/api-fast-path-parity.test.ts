import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../lib/db/client';
import { createMachineApi } from '../../lib/api/app';
import { createPolicyWorld, startApi, type PolicyWorld, type RunningApi } from './api-harness';

// POST /api/v1/decisions is served by a raw node:http fast path; the Hono route (which the
// OpenAPI document describes) must answer the same for every kind of request.

let api: RunningApi;
let w: PolicyWorld;
let hono: ReturnType<typeof createMachineApi>;
beforeAll(async () => {
  w = await createPolicyWorld('parity');
  api = await startApi();
  hono = createMachineApi(api.runtime);
});
afterAll(async () => {
  await api.close();
  await disconnectDb();
});

async function both(body: string, headers: Record<string, string>) {
  const init = { method: 'POST', headers, body };
  const fast = await fetch(api.url + '/api/v1/decisions', init);
  const slow = await hono.request('/api/v1/decisions', init);
  return { fast: { status: fast.status, body: await fast.json() }, slow: { status: slow.status, body: await slow.json() } };
}

describe('fast path parity', () => {
  it('answers allow, deny, 400, 401, 413 and 415 exactly like the Hono route', async () => {
    const token = await w.mint(w.agents.support.spiffeId);
    const json = { 'content-type': 'application/json', authorization: `Bearer ${w.key}` };
    const cases: [string, Record<string, string>][] = [
      [JSON.stringify({ subject: { token }, tool: 'get_invoice', action: 'read' }), json],
      [JSON.stringify({ subject: { token }, tool: 'create_refund' }), json],
      [JSON.stringify({ subject: {}, tool: 'get_invoice', action: 'nope' }), json],
      ['{"subject":', json],
      [JSON.stringify({ subject: {}, tool: 'get_invoice' }), { 'content-type': 'application/json' }],
      [JSON.stringify({ subject: {}, tool: 'x'.repeat(70_000) }), json],
      ['tool=x', { ...json, 'content-type': 'text/plain' }],
    ];
    for (const [body, headers] of cases) {
      const r = await both(body, headers);
      expect(r.fast.status).toBe(r.slow.status);
      if (r.fast.status === 200) {
        expect(r.fast.body.allow).toBe(r.slow.body.allow);
        expect(r.fast.body.authorization).toEqual(r.slow.body.authorization);
        expect(r.fast.body.authentication).toEqual(r.slow.body.authentication);
      } else {
        expect(r.fast.body.code).toBe(r.slow.body.code);
        expect(r.fast.body.invalidParams?.map((p: { name: string }) => p.name)).toEqual(r.slow.body.invalidParams?.map((p: { name: string }) => p.name));
      }
    }
  });
});
