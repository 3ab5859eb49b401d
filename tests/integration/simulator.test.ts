import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { simulateDecision } from '../../lib/decisions/simulate';
import { AppError } from '../../lib/errors';
import { createPolicyWorld, startApi, type PolicyWorld, type RunningApi } from './api-harness';

let api: RunningApi;
let w: PolicyWorld;
beforeAll(async () => {
  w = await createPolicyWorld('sim');
  api = await startApi();
});
afterAll(async () => {
  await api.close();
  await disconnectDb();
});

describe('policy simulator', () => {
  it('gives the API’s answer for the same token and call, and logs nothing', async () => {
    const token = await w.mint(w.agents.billing.spiffeId);
    const cases = [
      { tool: 'update_invoice', action: 'write' as const, resource: 'invoice:7' },
      { tool: 'update_invoice', action: 'write' as const, resource: 'customer:7' },
      { tool: 'create_refund', action: 'write' as const },
      { tool: 'get_invoice' },
    ];
    for (const c of cases) {
      const before = await db().decisionLog.count({ where: { tenantId: w.t.tenantId } });
      const sim = await simulateDecision(w.t.ctx('auditor'), { serverId: w.server.id, token, ...c });
      expect(await db().decisionLog.count({ where: { tenantId: w.t.tenantId } })).toBe(before);
      const real = await (await api.post('/api/v1/decisions', { subject: { token }, ...c }, w.key)).json();
      expect(sim.allow).toBe(real.allow);
      expect(sim.authorization.reason).toBe(real.authorization.reason);
      expect(sim.authorization.explanation).toBe(real.authorization.explanation);
      expect(sim.authorization.grantId).toBe(real.authorization.grantId);
    }
  });

  it('simulates as an agent without a token, and shows the matching grant', async () => {
    const sim = await simulateDecision(w.t.ctx('member'), { serverId: w.server.id, agentId: w.agents.billing.id, tool: 'update_invoice', action: 'write', resource: 'invoice:1' });
    expect(sim).toMatchObject({ allow: true, authorization: { reason: 'granted', grantId: w.grants.billingWrite }, grant: { id: w.grants.billingWrite } });
  });

  it("another tenant's server is not found; bad input is a 400", async () => {
    const other = await createPolicyWorld('simother');
    const err = await simulateDecision(w.t.ctx('admin'), { serverId: other.server.id, agentId: w.agents.billing.id, tool: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('not_found');
    const bad = await simulateDecision(w.t.ctx('admin'), { serverId: w.server.id, tool: 'x' }).catch((e) => e);
    expect(bad.code).toBe('invalid_request');
  });
});
