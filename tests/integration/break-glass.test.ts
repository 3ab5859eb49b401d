import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { closePgPool } from '../../lib/db/pool';
import { createBreakGlassGrant, listBreakGlassGrants, postReviewBreakGlass } from '../../lib/requests/break-glass';
import { auditEventsFor } from './fixtures';
import { createPolicyWorld, startApi, within, type PolicyWorld, type RunningApi } from './api-harness';
import { addPerson, errorOf, fixturePerson, type Person } from './approval-fixtures';

// Break-glass: immediate, short, justified, flagged, and reviewed afterwards by someone else.

let w: PolicyWorld;
let api: RunningApi;
let security: Person;
let security2: Person;
let admin: Person;
let member: Person;

const JUSTIFICATION = 'Payment processor outage: refunds must go out before the 18:00 cutoff';

beforeAll(async () => {
  w = await createPolicyWorld('bglass');
  api = await startApi();
  security = fixturePerson(w.t, 'security');
  admin = fixturePerson(w.t, 'admin');
  member = fixturePerson(w.t, 'member');
  security2 = await addPerson(w.t, 'security-2', 'security');
});
afterAll(async () => {
  await api.close();
  await closePgPool();
  await disconnectDb();
});

const input = (extra: Record<string, unknown> = {}) => ({ agentId: w.agents.billing.id, toolId: w.tools.create_refund, actions: ['write'], durationSeconds: 1800, justification: JUSTIFICATION, ...extra });

describe('break-glass', () => {
  it('security gets an agent onto a critical tool at once; the machine API allows it within a second', async () => {
    const token = await w.mint(w.agents.billing.spiffeId, { ttl: 600 });
    const ask = async () => (await (await api.post('/api/v1/decisions', { subject: { token }, tool: 'create_refund', action: 'write', resource: 'account:1' }, w.key)).json()) as { allow: boolean; authorization: { reason: string; grantId: string } };
    expect((await ask()).allow).toBe(false);
    const grant = await createBreakGlassGrant(security.ctx(), input());
    expect(grant).toMatchObject({ kind: 'break_glass', actions: ['write'], justification: JUSTIFICATION, createdById: security.id, postReviewedAt: null });
    expect(Math.abs(grant.expiresAt!.getTime() - (Date.now() + 1800_000))).toBeLessThan(10_000);
    await within(1000, async () => (await ask()).allow);
    expect((await ask()).authorization.grantId).toBe(grant.id);
    expect((await auditEventsFor(w.t.tenantId, grant.id)).map((e) => e.event)).toEqual(['grant.break_glass_created']);
  });

  it('is refused to members, beyond 1 hour, without a real justification, and on unclassified tools', async () => {
    const before = await db().grant.count({ where: { tenantId: w.t.tenantId } });
    expect((await errorOf(createBreakGlassGrant(member.ctx(), input()))).code).toBe('forbidden');
    expect((await errorOf(createBreakGlassGrant(fixturePerson(w.t, 'auditor').ctx(), input()))).code).toBe('forbidden');
    const long = await errorOf(createBreakGlassGrant(security.ctx(), input({ durationSeconds: 3601 })));
    expect(long.invalidParams?.[0]).toMatchObject({ name: 'durationSeconds', reason: 'Break-glass access lasts at most 1 hour' });
    const short = await errorOf(createBreakGlassGrant(security.ctx(), input({ justification: 'urgent, sorry' })));
    expect(short.invalidParams?.[0]?.name).toBe('justification');
    expect((await errorOf(createBreakGlassGrant(security.ctx(), input({ toolId: w.tools.unclassified })))).code).toBe('invalid_request');
    expect(await db().grant.count({ where: { tenantId: w.t.tenantId } })).toBe(before);
  });

  it('is queued for review by a second person; the creator cannot review their own', async () => {
    const grant = await createBreakGlassGrant(security.ctx(), input({ durationSeconds: 600 }));
    const mine = await listBreakGlassGrants(security.ctx(), {});
    const item = mine.find((g) => g.id === grant.id)!;
    expect(item).toMatchObject({ canReview: false, reviewBlockedReason: 'You used this break-glass access: a second person must review it', createdBy: { email: security.email } });
    const theirs = (await listBreakGlassGrants(security2.ctx(), {})).find((g) => g.id === grant.id)!;
    expect(theirs.canReview).toBe(true);
    expect((await listBreakGlassGrants(member.ctx(), {})).find((g) => g.id === grant.id)!.canReview).toBe(false);

    const err = await errorOf(postReviewBreakGlass(security.ctx(), grant.id, { note: 'all fine' }));
    expect(err.code).toBe('forbidden');
    expect((await errorOf(postReviewBreakGlass(member.ctx(), grant.id, { note: 'all fine' }))).code).toBe('forbidden');

    const res = await postReviewBreakGlass(security2.ctx(), grant.id, { note: 'Outage ticket OPS-88 confirms it' });
    expect(res.revoked).toBe(false);
    const row = await db().grant.findUniqueOrThrow({ where: { id: grant.id } });
    expect(row.postReviewedById).toBe(security2.id);
    expect(row.revokedAt).toBeNull();
    expect((await errorOf(postReviewBreakGlass(admin.ctx(), grant.id, { note: 'again' }))).code).toBe('conflict');
    expect((await listBreakGlassGrants(admin.ctx(), {})).some((g) => g.id === grant.id)).toBe(false);
    expect((await listBreakGlassGrants(admin.ctx(), { view: 'all' })).some((g) => g.id === grant.id)).toBe(true);
    const events = (await auditEventsFor(w.t.tenantId, grant.id)).map((e) => e.event);
    expect(events).toEqual(['grant.break_glass_created', 'grant.post_reviewed']);
  });

  it('a reviewer who finds it unwarranted ends it at once', async () => {
    const grant = await createBreakGlassGrant(admin.ctx(), input({ durationSeconds: 600 }));
    const res = await postReviewBreakGlass(security.ctx(), grant.id, { note: 'No incident open: not warranted', revoke: true });
    expect(res.revoked).toBe(true);
    const row = await db().grant.findUniqueOrThrow({ where: { id: grant.id } });
    expect(row.revokedAt).not.toBeNull();
    expect(row.revokeReason).toBe('Break-glass review: No incident open: not warranted');
    expect((await auditEventsFor(w.t.tenantId, grant.id)).map((e) => e.event)).toEqual(['grant.break_glass_created', 'grant.revoked', 'grant.post_reviewed']);
  });

  it('another tenant cannot see or review it', async () => {
    const grant = await createBreakGlassGrant(admin.ctx(), input({ durationSeconds: 600 }));
    const { createTenantFixture } = await import('./fixtures');
    const other = await createTenantFixture('bglass-other');
    expect((await listBreakGlassGrants(other.ctx('admin'), { view: 'all' })).some((g) => g.id === grant.id)).toBe(false);
    expect((await errorOf(postReviewBreakGlass(other.ctx('admin'), grant.id, { note: 'sneaky' }))).code).toBe('not_found');
  });
});
