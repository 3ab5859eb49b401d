import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { newId } from '../../lib/ids';
import { closeDueReviewCampaigns, AUTO_REVOKE_NOTE } from '../../lib/reviews/close';
import { createReviewCampaign, decideReviewItem, exportReviewCampaignCsv, getReviewCampaign, listReviewCampaigns } from '../../lib/reviews/service';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';
import { addPerson, errorOf, fixturePerson, makeAgent, makeOwner, makeServer, makeTool, type Person } from './approval-fixtures';

// Access reviews: campaigns over grants on high/critical tools and old standing grants; the
// tools' owners keep or revoke; at the deadline the unreviewed are revoked.

let t: TenantFixture;
let other: TenantFixture;
let owner: Person;
let owner2: Person;
let security: Person;
let member: Person;
let auditor: Person;
const tools = {} as Record<'low' | 'high' | 'critical' | 'unowned', string>;
const grants = {} as Record<'high' | 'critical' | 'oldStanding' | 'newStanding' | 'revoked' | 'expired' | 'unowned', string>;

async function grant(agentId: string, toolId: string, extra: Record<string, unknown> = {}) {
  return (await db().grant.create({ data: { id: newId('grant'), tenantId: t.tenantId, agentId, toolId, actions: ['write'], ...extra } })).id;
}

beforeAll(async () => {
  t = await createTenantFixture('reviews');
  other = await createTenantFixture('reviews-other');
  owner = await addPerson(t, 'owner', 'member');
  owner2 = await addPerson(t, 'owner2', 'member');
  security = fixturePerson(t, 'security');
  member = fixturePerson(t, 'member');
  auditor = fixturePerson(t, 'auditor');
  const server = await makeServer(t, 'billing');
  tools.low = await makeTool(t, server, 'get_invoice', 'low');
  tools.high = await makeTool(t, server, 'export_ledger', 'high');
  tools.critical = await makeTool(t, server, 'create_refund', 'critical');
  tools.unowned = await makeTool(t, server, 'restart_service', 'high');
  await makeOwner(t, tools.high, owner.id);
  await makeOwner(t, tools.critical, owner2.id);
  await makeOwner(t, tools.low, owner.id);
  const agent = await makeAgent(t, 'billing-agent');
  const hour = 3_600_000;
  grants.high = await grant(agent, tools.high, { kind: 'jit', expiresAt: new Date(Date.now() + hour) });
  grants.critical = await grant(agent, tools.critical, { kind: 'break_glass', expiresAt: new Date(Date.now() + hour), resourcePatterns: ['=HYPERLINK("x")'] });
  grants.unowned = await grant(agent, tools.unowned, { kind: 'jit', expiresAt: new Date(Date.now() + hour) });
  grants.oldStanding = await grant(agent, tools.low, { createdAt: new Date(Date.now() - 120 * 86_400_000) });
  grants.newStanding = await grant(agent, tools.low);
  grants.revoked = await grant(agent, tools.high, { kind: 'jit', revokedAt: new Date() });
  grants.expired = await grant(agent, tools.high, { kind: 'jit', expiresAt: new Date(Date.now() - 1000) });
});
afterAll(disconnectDb);

const deadline = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

describe('creating campaigns', () => {
  it('scopes: high/critical grants, old standing grants, or both; only live grants', async () => {
    const elevated = await createReviewCampaign(security.ctx(), { name: 'Q3 elevated', scope: { elevated: true }, deadline: deadline() });
    const e = await getReviewCampaign(member.ctx(), elevated.id);
    expect(e.items.map((i) => i.grant.id).sort()).toEqual([grants.high, grants.critical, grants.unowned].sort());
    const old = await createReviewCampaign(security.ctx(), { name: 'Old standing', scope: { standingOlderThanDays: 90 }, deadline: deadline() });
    expect((await getReviewCampaign(member.ctx(), old.id)).items.map((i) => i.grant.id)).toEqual([grants.oldStanding]);
    const both = await createReviewCampaign(security.ctx(), { name: 'Both', scope: { elevated: true, standingOlderThanDays: 90 }, deadline: deadline() });
    expect(both.items).toBe(4);
    const events = await auditEventsFor(t.tenantId, both.id);
    expect(events.map((x) => x.event)).toEqual(['review.campaign_created']);
  });

  it('refuses members, empty scopes, past deadlines', async () => {
    expect((await errorOf(createReviewCampaign(member.ctx(), { name: 'Mine', scope: { elevated: true }, deadline: deadline() }))).code).toBe('forbidden');
    expect((await errorOf(createReviewCampaign(security.ctx(), { name: 'Nothing', scope: {}, deadline: deadline() }))).code).toBe('invalid_request');
    expect((await errorOf(createReviewCampaign(security.ctx(), { name: 'Past', scope: { elevated: true }, deadline: new Date(Date.now() - 1000).toISOString() }))).invalidParams?.[0]?.name).toBe('deadline');
    const none = await errorOf(createReviewCampaign(security.ctx(), { name: 'None', scope: { standingOlderThanDays: 3000 }, deadline: deadline() }));
    expect(none.message).toContain('No live grants match');
  });
});

describe('reviewing', () => {
  it('tool owners keep or revoke their tools’ grants; progress per reviewer; others cannot decide', async () => {
    const c = await createReviewCampaign(security.ctx(), { name: 'Owner review', scope: { elevated: true }, deadline: deadline() });
    const view = await getReviewCampaign(owner.ctx(), c.id);
    const highItem = view.items.find((i) => i.grant.id === grants.high)!;
    const critItem = view.items.find((i) => i.grant.id === grants.critical)!;
    const unownedItem = view.items.find((i) => i.grant.id === grants.unowned)!;
    expect(highItem.reviewers.map((r) => r.email)).toEqual([owner.email]);
    expect(highItem.canDecide).toBe(true);
    expect(critItem.canDecide).toBe(false);
    expect(unownedItem.reviewers).toEqual([]);

    // owner of another tool, a member, an auditor: refused, nothing written
    expect((await errorOf(decideReviewItem(owner.ctx(), c.id, critItem.id, { verdict: 'keep' }))).code).toBe('forbidden');
    expect((await errorOf(decideReviewItem(member.ctx(), c.id, highItem.id, { verdict: 'keep' }))).code).toBe('forbidden');
    expect((await errorOf(decideReviewItem(auditor.ctx(), c.id, highItem.id, { verdict: 'keep' }))).code).toBe('forbidden');
    expect((await errorOf(decideReviewItem(owner.ctx(), c.id, highItem.id, { verdict: 'revoke' }))).invalidParams?.[0]?.name).toBe('note');

    await decideReviewItem(owner.ctx(), c.id, highItem.id, { verdict: 'keep', note: 'still exporting for the audit' });
    expect((await errorOf(decideReviewItem(security.ctx(), c.id, highItem.id, { verdict: 'revoke', note: 'changed my mind' }))).code).toBe('conflict');
    const revoke = await decideReviewItem(owner2.ctx(), c.id, critItem.id, { verdict: 'revoke', note: 'incident over' });
    expect(revoke.grantRevoked).toBe(true);
    const g = await db().grant.findUniqueOrThrow({ where: { id: grants.critical } });
    expect(g.revokedAt).not.toBeNull();
    expect(g.revokeReason).toBe('Access review "Owner review": incident over');
    expect((await auditEventsFor(t.tenantId, critItem.id)).map((e) => e.event)).toEqual(['review.item_decided']);

    const after = await getReviewCampaign(security.ctx(), c.id);
    expect(after).toMatchObject({ total: 3, decided: 2, kept: 1, revoked: 1 });
    expect(after.progress).toEqual(
      expect.arrayContaining([
        { reviewer: owner.email, assigned: 1, decided: 1 },
        { reviewer: owner2.email, assigned: 1, decided: 1 },
        { reviewer: 'Security (tools without an owner)', assigned: 1, decided: 0 },
      ]),
    );
    // security decides items nobody owns
    expect(after.items.find((i) => i.id === unownedItem.id)!.canDecide).toBe(true);
    const list = await listReviewCampaigns(member.ctx());
    expect(list.find((x) => x.id === c.id)).toMatchObject({ total: 3, decided: 2 });
    // another tenant's campaign is not found
    expect((await errorOf(getReviewCampaign(other.ctx('admin'), c.id))).code).toBe('not_found');
  });

  it('at the deadline, unreviewed grants are revoked and the campaign closes, exactly once', async () => {
    const keepGrant = await grant(await makeAgent(t, 'deadline-agent'), tools.high, { kind: 'jit', expiresAt: new Date(Date.now() + 3_600_000) });
    const c = await createReviewCampaign(security.ctx(), { name: 'Deadline', scope: { elevated: true }, deadline: deadline() });
    const view = await getReviewCampaign(owner.ctx(), c.id);
    const kept = view.items.find((i) => i.grant.id === keepGrant)!;
    await decideReviewItem(owner.ctx(), c.id, kept.id, { verdict: 'keep', note: 'needed' });
    const unreviewed = view.items.filter((i) => i.id !== kept.id && i.grant.revokedAt === null).map((i) => i.grant.id);
    expect(unreviewed.length).toBeGreaterThan(0);

    expect((await closeDueReviewCampaigns()).closed).toBe(0);
    await db().reviewCampaign.update({ where: { id: c.id }, data: { deadline: new Date(Date.now() - 1000) } });
    expect((await errorOf(decideReviewItem(security.ctx(), c.id, view.items.find((i) => i.id !== kept.id)!.id, { verdict: 'keep' }))).code).toBe('conflict');
    const [a, b] = await Promise.all([closeDueReviewCampaigns(), closeDueReviewCampaigns()]);
    expect(a.closed + b.closed).toBeGreaterThanOrEqual(1);
    const closed = await getReviewCampaign(security.ctx(), c.id);
    expect(closed.status).toBe('closed');
    expect(closed.kept).toBe(1);
    for (const id of unreviewed) {
      const g = await db().grant.findUniqueOrThrow({ where: { id } });
      expect(g.revokedAt, id).not.toBeNull();
    }
    expect((await db().grant.findUniqueOrThrow({ where: { id: keepGrant } })).revokedAt).toBeNull();
    for (const i of closed.items.filter((x) => x.id !== kept.id)) expect(i).toMatchObject({ verdict: 'revoke', note: AUTO_REVOKE_NOTE, autoRevoked: true });
    const events = await auditEventsFor(t.tenantId, c.id);
    expect(events.map((e) => e.event)).toEqual(['review.campaign_created', 'review.campaign_closed']);
    expect((await closeDueReviewCampaigns()).closed).toBe(0);
  });

  it('exports the campaign report as CSV (security and auditors), with formulas neutralised', async () => {
    const c = (await listReviewCampaigns(security.ctx())).find((x) => x.name === 'Owner review')!;
    const { csv, filename } = await exportReviewCampaignCsv(auditor.ctx(), c.id);
    expect(filename).toMatch(/^access-review-Owner-review-rvc_.*\.csv$/);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('campaign,deadline,item_id,grant_id,agent,tool,server,risk,grant_kind,actions,resources,grant_created_at,grant_expires_at,reviewers,verdict,note,decided_by,decided_at,auto_revoked');
    expect(lines).toHaveLength(4);
    expect(csv).toContain('still exporting for the audit');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect((await errorOf(exportReviewCampaignCsv(member.ctx(), c.id))).code).toBe('forbidden');
  });
});
