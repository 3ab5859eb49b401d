import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { decideRequest } from '../../lib/requests/approvals';
import { revokeRequestGrant } from '../../lib/requests/console-requests';
import { closePgPool } from '../../lib/db/pool';
import { createPolicyWorld, startApi, within, type PolicyWorld, type RunningApi } from './api-harness';
import { addPerson, fixturePerson, makeOwner, type Person } from './approval-fixtures';

// The whole loop against the real machine API: an agent is denied a critical tool, files a
// request, people approve it in the console's service, and the very next decision allows it —
// until the grant expires (or is revoked), when it denies again.

let w: PolicyWorld;
let api: RunningApi;
let owner: Person;
let security: Person;
let token: string;

beforeAll(async () => {
  w = await createPolicyWorld('apprapi');
  api = await startApi();
  owner = await addPerson(w.t, 'refund-owner', 'member');
  security = fixturePerson(w.t, 'security');
  await makeOwner(w.t, w.tools.create_refund, owner.id);
  token = await w.mint(w.agents.billing.spiffeId, { ttl: 600 });
});
afterAll(async () => {
  await api.close();
  await closePgPool();
  await disconnectDb();
});

const decide = async (resource = 'account:42') => {
  const res = await api.post('/api/v1/decisions', { subject: { token }, tool: 'create_refund', action: 'write', resource }, w.key);
  expect(res.status).toBe(200);
  return (await res.json()) as { allow: boolean; authorization: { reason: string; grantId: string | null } };
};

async function fileRequest(taskId: string) {
  const res = await api.post(
    '/api/v1/access-requests',
    { subject: { token }, tool: 'create_refund', actions: ['write'], resource: 'account:*', durationSeconds: 600, justification: 'Refund for dispute INC-4471', taskId },
    w.key,
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('approval → grant → machine API', () => {
  it('denied, requested, approved by owner and security, allowed at once, denied again after expiry', async () => {
    const first = await decide();
    expect(first).toMatchObject({ allow: false, authorization: { reason: 'approval_required' } });

    const id = await fileRequest('loop-1');
    const poll = api.get(`/api/v1/access-requests/${id}?wait=30`, w.key);

    expect((await decideRequest(owner.ctx(), id, { verdict: 'approve', comment: 'refund is legitimate', resource: 'account:42' })).status).toBe('pending');
    expect((await decide()).allow).toBe(false);
    const approvedAt = Date.now();
    const done = await decideRequest(security.ctx(), id, { verdict: 'approve', comment: 'ok', durationSeconds: 3 });
    expect(done.status).toBe('approved');

    // the long poll answers with the grant
    const state = await (await poll).json();
    expect(state).toMatchObject({ id, status: 'approved', grantId: done.grantId, grantExpiresAt: done.grantExpiresAt });

    // the decision API picks the grant up within a second
    await within(1000, async () => (await decide()).allow);
    const allowed = await decide();
    expect(allowed.authorization).toMatchObject({ reason: 'granted', grantId: done.grantId });
    expect(Date.now() - approvedAt).toBeLessThan(3000);
    // narrowed by the owner to account:42: another account is still refused
    expect((await decide('account:43')).allow).toBe(false);

    // and when the 3-second grant runs out, the agent is denied again
    await within(6000, async () => !(await decide()).allow);
    expect((await decide()).authorization.reason).not.toBe('granted');
  });

  it('revoking the grant in the console ends it within a second', async () => {
    const id = await fileRequest('loop-2');
    await decideRequest(owner.ctx(), id, { verdict: 'approve', comment: 'ok', resource: 'account:42' });
    await decideRequest(security.ctx(), id, { verdict: 'approve', comment: 'ok' });
    await within(1000, async () => (await decide()).allow);
    await revokeRequestGrant(security.ctx(), id, { reason: 'refund done by hand' });
    await within(1000, async () => !(await decide()).allow);
    const state = await (await api.get(`/api/v1/access-requests/${id}`, w.key)).json();
    expect(state.grantRevokedAt).toEqual(expect.any(String));
    const g = await db().grant.findFirstOrThrow({ where: { sourceRequestId: id } });
    expect(g.revokeReason).toBe('refund done by hand');
  });
});
