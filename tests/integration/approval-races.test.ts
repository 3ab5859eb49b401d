import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { AppError } from '../../lib/errors';
import { decideRequest } from '../../lib/requests/approvals';
import { cancelAccessRequest, createConsoleAccessRequest } from '../../lib/requests/console-requests';
import { expirePendingRequests } from '../../lib/requests/expiry';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';
import { addPerson, fixturePerson, makeAgent, makeOwner, makeServer, makeTool, type Person } from './approval-fixtures';

// Races the approvals workflow must survive: every scenario runs several times, each with the
// contenders started together (Promise.allSettled), and checks what the database holds after.

let t: TenantFixture;
let medium: string;
let critical: string;
let agent: string;
let owner: Person;
let owner2: Person;
let agentOwner: Person;
let security: Person;
let security2: Person;

const ROUNDS = 5;

beforeAll(async () => {
  t = await createTenantFixture('races');
  const server = await makeServer(t, 'billing');
  medium = await makeTool(t, server, 'update_invoice', 'medium');
  critical = await makeTool(t, server, 'create_refund', 'critical');
  owner = await addPerson(t, 'owner', 'member');
  owner2 = await addPerson(t, 'owner2', 'member');
  agentOwner = await addPerson(t, 'agent-owner', 'member');
  security = fixturePerson(t, 'security');
  security2 = await addPerson(t, 'security2', 'security');
  for (const tool of [medium, critical]) {
    await makeOwner(t, tool, owner.id);
    await makeOwner(t, tool, owner2.id);
  }
  agent = await makeAgent(t, 'billing-agent', agentOwner.id);
});
afterAll(disconnectDb);

let n = 0;
const file = (toolId: string) =>
  createConsoleAccessRequest(agentOwner.ctx(), {
    agentId: agent,
    toolId,
    actions: ['write'],
    resource: 'account:*',
    durationSeconds: 600,
    justification: 'Refund batch for dispute INC-4471',
    taskId: `race-${n++}`,
  });
const approve = (p: Person, id: string) => decideRequest(p.ctx(), id, { verdict: 'approve', comment: 'ok' });

function codes(results: PromiseSettledResult<unknown>[]) {
  return results.map((r) => (r.status === 'fulfilled' ? 'ok' : r.reason instanceof AppError ? r.reason.code : String(r.reason)));
}

async function stateOf(requestId: string) {
  const [req, grants, approvals] = await Promise.all([
    db().accessRequest.findUniqueOrThrow({ where: { id: requestId } }),
    db().grant.findMany({ where: { tenantId: t.tenantId, sourceRequestId: requestId } }),
    db().approval.findMany({ where: { requestId } }),
  ]);
  return { req, grants, approvals };
}

describe('approval races', () => {
  it('two approvers at once on a one-approval request: exactly one grant, the other gets 409', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const r = await file(medium);
      const results = await Promise.allSettled([approve(owner, r.id), approve(security, r.id)]);
      expect(codes(results).sort()).toEqual(['conflict', 'ok']);
      const s = await stateOf(r.id);
      expect(s.grants).toHaveLength(1);
      expect(s.approvals).toHaveLength(1);
      expect(s.req).toMatchObject({ status: 'approved', grantId: s.grants[0]!.id });
      const events = (await auditEventsFor(t.tenantId, r.id)).map((e) => e.event);
      expect(events.filter((e) => e === 'access_request.approved')).toHaveLength(1);
    }
  });

  it('the owner and security approve a critical request at once: both votes count, exactly one grant', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const r = await file(critical);
      const results = await Promise.allSettled([approve(owner, r.id), approve(security, r.id)]);
      expect(codes(results)).toEqual(['ok', 'ok']);
      const statuses = results.map((x) => (x as PromiseFulfilledResult<{ status: string }>).value.status).sort();
      expect(statuses).toEqual(['approved', 'pending']);
      const s = await stateOf(r.id);
      expect(s.grants).toHaveLength(1);
      expect(s.approvals).toHaveLength(2);
      expect(s.req.status).toBe('approved');
    }
  });

  it('four approvers at once on a critical request: one grant, never more', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const r = await file(critical);
      await Promise.allSettled([approve(owner, r.id), approve(owner2, r.id), approve(security, r.id), approve(security2, r.id)]);
      const s = await stateOf(r.id);
      expect(s.grants).toHaveLength(1);
      expect(s.req.status).toBe('approved');
      // the votes that made it were enough and no more than needed to reach the quorum
      expect(s.approvals.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('one person double-clicking: one vote recorded, the other refused', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const r = await file(critical);
      const results = await Promise.allSettled([approve(security, r.id), approve(security, r.id)]);
      expect(codes(results).sort()).toEqual(['conflict', 'ok']);
      const s = await stateOf(r.id);
      expect(s.approvals).toHaveLength(1);
      expect(s.grants).toHaveLength(0);
    }
  });

  it('approve racing deny: the request ends in one consistent state', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const r = await file(medium);
      await Promise.allSettled([approve(owner, r.id), decideRequest(security.ctx(), r.id, { verdict: 'deny', comment: 'no' })]);
      const s = await stateOf(r.id);
      if (s.req.status === 'approved') expect(s.grants).toHaveLength(1);
      else {
        expect(s.req.status).toBe('denied');
        expect(s.grants).toHaveLength(0);
      }
      expect(s.approvals).toHaveLength(1);
    }
  });

  it('approve racing cancel: never a grant on a cancelled request', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const r = await file(medium);
      await Promise.allSettled([approve(owner, r.id), cancelAccessRequest(agentOwner.ctx(), r.id, {})]);
      const s = await stateOf(r.id);
      expect(s.grants).toHaveLength(s.req.status === 'approved' ? 1 : 0);
      expect(['approved', 'cancelled']).toContain(s.req.status);
    }
  });

  it('approve racing the expiry sweep after the deadline: 409, expired once, nothing granted', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const r = await file(medium);
      await db().accessRequest.update({ where: { id: r.id }, data: { expiresAt: new Date(Date.now() - 10) } });
      const results = await Promise.allSettled([approve(owner, r.id), expirePendingRequests(), expirePendingRequests()]);
      expect(codes(results)[0]).toBe('conflict');
      const s = await stateOf(r.id);
      expect(s.req.status).toBe('expired');
      expect(s.grants).toHaveLength(0);
      expect(s.approvals).toHaveLength(0);
      const events = (await auditEventsFor(t.tenantId, r.id)).map((e) => e.event);
      expect(events).toEqual(['access_request.created', 'access_request.expired']);
    }
  });
});
