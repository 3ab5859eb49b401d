import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { getOverview } from '../../lib/overview/service';
import { listAgentDecisions, listAgentPendingRequests } from '../../lib/overview/agent-activity';
import { createPolicyWorld, type PolicyWorld } from './api-harness';

// The overview's aggregates over a decision log written here with known times, and the agent
// page's read-only activity lists.

let w: PolicyWorld;
let other: PolicyWorld;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// a fixed "now" on a whole hour plus 30 minutes keeps bucket arithmetic readable
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR + 30 * 60_000);

type Row = { agent: keyof PolicyWorld['agents'] | null; tool: string; toolId: string | null; allow: boolean; reason: string; at: number };

async function log(world: PolicyWorld, rows: Row[]) {
  await db().decisionLog.createMany({
    data: rows.map((r) => ({
      id: newId('decision', r.at),
      time: new Date(r.at),
      tenantId: world.t.tenantId,
      serverId: world.server.id,
      agentId: r.agent ? world.agents[r.agent].id : null,
      tool: r.tool,
      toolId: r.toolId,
      action: 'read',
      allow: r.allow,
      reason: r.reason,
      explanation: `${r.reason} explained`,
    })),
  });
}

beforeAll(async () => {
  w = await createPolicyWorld('ovw');
  other = await createPolicyWorld('ovwother');
  const t = NOW.getTime();
  const gi = w.tools.get_invoice;
  const cr = w.tools.create_refund;
  await log(w, [
    // the current hour (bucket 23): 2 allow, 1 deny
    { agent: 'support', tool: 'get_invoice', toolId: gi, allow: true, reason: 'granted', at: t - 10 * 60_000 },
    { agent: 'support', tool: 'get_invoice', toolId: gi, allow: true, reason: 'granted', at: t - 20 * 60_000 },
    { agent: 'billing', tool: 'create_refund', toolId: cr, allow: false, reason: 'approval_required', at: t - 25 * 60_000 },
    // 5 hours ago: billing denied 3 times, idle once, an unknown tool once, an unauthenticated caller once
    { agent: 'billing', tool: 'create_refund', toolId: cr, allow: false, reason: 'approval_required', at: t - 5 * HOUR },
    { agent: 'billing', tool: 'create_refund', toolId: cr, allow: false, reason: 'approval_required', at: t - 5 * HOUR + 1 },
    { agent: 'billing', tool: 'get_invoice', toolId: gi, allow: false, reason: 'no_grant', at: t - 5 * HOUR + 2 },
    { agent: 'idle', tool: 'mystery', toolId: null, allow: false, reason: 'tool_unknown', at: t - 5 * HOUR + 3 },
    { agent: null, tool: 'get_invoice', toolId: gi, allow: false, reason: 'not_authenticated', at: t - 5 * HOUR + 4 },
    // three days ago: only in the 7-day view
    { agent: 'support', tool: 'get_invoice', toolId: gi, allow: true, reason: 'granted', at: t - 3 * DAY },
    { agent: 'idle', tool: 'get_invoice', toolId: gi, allow: false, reason: 'no_grant', at: t - 3 * DAY },
    // ten days ago and in the future: in no view
    { agent: 'idle', tool: 'get_invoice', toolId: gi, allow: false, reason: 'no_grant', at: t - 10 * DAY },
    { agent: 'idle', tool: 'get_invoice', toolId: gi, allow: false, reason: 'no_grant', at: t + HOUR },
  ]);
  // another tenant's decisions must never be counted
  await log(other, [{ agent: 'billing', tool: 'get_invoice', toolId: other.tools.get_invoice, allow: false, reason: 'no_grant', at: t - HOUR }]);
});
afterAll(disconnectDb);

describe('overview: decisions', () => {
  it('24 h: hourly allow/deny buckets, empty hours included, this tenant only', async () => {
    const o = await getOverview(w.t.ctx('auditor'), { range: '24h' }, NOW);
    const s = o.decisions!.series;
    expect(s).toHaveLength(24);
    expect(s[23].start.getTime()).toBe(NOW.getTime() - 30 * 60_000);
    expect(s[0].start.getTime()).toBe(NOW.getTime() - 30 * 60_000 - 23 * HOUR);
    expect(s[23]).toMatchObject({ allowed: 2, denied: 1 });
    expect(s[18]).toMatchObject({ allowed: 0, denied: 5 });
    expect(s.filter((p, i) => i !== 23 && i !== 18).every((p) => p.allowed === 0 && p.denied === 0)).toBe(true);
    expect(o.decisions!.totals).toEqual({ allowed: 2, denied: 6 });
  });

  it('top denied agents and tools, with their reasons', async () => {
    const o = await getOverview(w.t.ctx('security'), { range: '24h' }, NOW);
    const agents = o.decisions!.topDeniedAgents;
    expect(agents[0]).toEqual({
      id: w.agents.billing.id,
      name: 'billing',
      serverName: null,
      denied: 4,
      reasons: [
        { reason: 'approval_required', count: 3 },
        { reason: 'no_grant', count: 1 },
      ],
    });
    expect(agents.map((a) => a.name).sort()).toEqual(['billing', 'idle', 'unauthenticated callers']);
    const tools = o.decisions!.topDeniedTools;
    expect(tools[0]).toMatchObject({ id: w.tools.create_refund, name: 'create_refund', serverName: 'billing', denied: 3, reasons: [{ reason: 'approval_required', count: 3 }] });
    expect(tools.find((t) => t.name === 'mystery')).toMatchObject({ id: null, denied: 1, reasons: [{ reason: 'tool_unknown', count: 1 }] });
    expect(tools.find((t) => t.name === 'get_invoice')).toMatchObject({ denied: 2 });
  });

  it('7 d: daily buckets in the viewer’s time zone', async () => {
    const o = await getOverview(w.t.ctx('admin'), { range: '7d', tz: 'UTC' }, NOW);
    const s = o.decisions!.series;
    expect(s).toHaveLength(7);
    for (const p of s) expect(p.start.getUTCHours()).toBe(0);
    expect(o.decisions!.totals).toEqual({ allowed: 3, denied: 7 });

    const tokyo = await getOverview(w.t.ctx('admin'), { range: '7d', tz: 'Asia/Tokyo' }, NOW);
    // midnight in Tokyo is 15:00 UTC
    for (const p of tokyo.decisions!.series) expect(p.start.getUTCHours()).toBe(15);
    expect((await getOverview(w.t.ctx('admin'), { range: '7d', tz: 'Mars/Olympus' }, NOW).catch((e) => e)).code).toBe('invalid_request');
    expect((await getOverview(w.t.ctx('admin'), { range: '30d' }, NOW).catch((e) => e)).code).toBe('invalid_request');
  });

  it('a member (no decisions.read) gets no decision sections, but the rest', async () => {
    const o = await getOverview(w.t.ctx('member'), {}, NOW);
    expect(o.decisions).toBeNull();
    expect(o.expiringGrants).not.toBeNull();
    expect(o.unclassifiedTools).not.toBeNull();
  });
});

describe('overview: counts that link to their lists', () => {
  it('pending approvals, grants expiring within 24 h, unclassified tools, identities not seen for 30 days', async () => {
    const ctx = w.t.ctx('security');
    const base = await getOverview(ctx, {}, NOW);
    expect(base.unclassifiedTools).toMatchObject({ count: 1, items: [{ name: 'run_sql', server: { name: 'billing' } }] });

    await db().accessRequest.create({
      data: { id: newId('request'), tenantId: w.t.tenantId, agentId: w.agents.billing.id, toolId: w.tools.create_refund, actions: ['write'], durationSeconds: 600, justification: 'x', expiresAt: new Date(NOW.getTime() + HOUR) },
    });
    // expired while pending: not waiting for anyone any more
    await db().accessRequest.create({
      data: { id: newId('request'), tenantId: w.t.tenantId, agentId: w.agents.billing.id, toolId: w.tools.create_refund, actions: ['write'], durationSeconds: 600, justification: 'x', expiresAt: new Date(NOW.getTime() - HOUR) },
    });
    const soon = await db().grant.create({
      data: { id: newId('grant'), tenantId: w.t.tenantId, agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'], expiresAt: new Date(NOW.getTime() + 2 * HOUR) },
    });
    await db().grant.create({
      data: { id: newId('grant'), tenantId: w.t.tenantId, agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'], expiresAt: new Date(NOW.getTime() + 2 * DAY) },
    });
    await db().grant.create({
      data: { id: newId('grant'), tenantId: w.t.tenantId, agentId: w.agents.idle.id, toolId: w.tools.get_invoice, actions: ['read'], expiresAt: new Date(NOW.getTime() + HOUR), revokedAt: NOW },
    });
    const stale = await db().workloadIdentity.findFirstOrThrow({ where: { agentId: w.agents.idle.id } });
    await db().workloadIdentity.update({ where: { id: stale.id }, data: { lastSeenAt: new Date(NOW.getTime() - 31 * DAY) } });
    const neverSeen = await db().workloadIdentity.findFirstOrThrow({ where: { agentId: w.agents.support.id } });
    await db().workloadIdentity.update({ where: { id: neverSeen.id }, data: { lastSeenAt: null, createdAt: new Date(NOW.getTime() - 40 * DAY) } });
    const recent = await db().workloadIdentity.findFirstOrThrow({ where: { agentId: w.agents.billing.id } });
    await db().workloadIdentity.update({ where: { id: recent.id }, data: { lastSeenAt: new Date(NOW.getTime() - DAY) } });

    const o = await getOverview(ctx, {}, NOW);
    expect(o.pendingApprovals).toBe(base.pendingApprovals + 1);
    expect(o.expiringGrants).toMatchObject({ withinHours: 24, count: 1, items: [{ id: soon.id, agent: { name: 'idle' }, tool: { name: 'get_invoice' } }] });
    expect(o.idleIdentities!.count).toBe(2);
    expect(o.idleIdentities!.items.map((i) => i.id).sort()).toEqual([stale.id, neverSeen.id].sort());

    const theirs = await getOverview(other.t.ctx('security'), {}, NOW);
    expect(theirs.expiringGrants!.count).toBe(0);
    expect(theirs.decisions!.totals).toEqual({ allowed: 0, denied: 1 });
  });
});

describe('agent page activity', () => {
  it('the last decisions of one agent, newest first, with reasons', async () => {
    const res = await listAgentDecisions(w.t.ctx('auditor'), w.agents.billing.id);
    expect(res.items.map((d) => d.reason)).toEqual(['approval_required', 'no_grant', 'approval_required', 'approval_required']);
    expect(res.items[0]).toMatchObject({ tool: 'create_refund', allow: false, explanation: 'approval_required explained', serverName: 'billing' });
    const many = Array.from({ length: 60 }, (_, i) => ({ agent: 'support' as const, tool: 'get_invoice', toolId: w.tools.get_invoice, allow: true, reason: 'granted', at: NOW.getTime() - 2 * DAY + i }));
    await log(w, many);
    const capped = await listAgentDecisions(w.t.ctx('auditor'), w.agents.support.id);
    expect(capped.items).toHaveLength(50);
    const times = capped.items.map((d) => d.time.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('members cannot read decisions; another tenant’s agent is not found', async () => {
    expect(await listAgentDecisions(w.t.ctx('member'), w.agents.billing.id).catch((e: AppError) => e.code)).toBe('forbidden');
    expect(await listAgentDecisions(w.t.ctx('admin'), other.agents.billing.id).catch((e: AppError) => e.code)).toBe('not_found');
    expect(await listAgentPendingRequests(w.t.ctx('admin'), other.agents.billing.id).catch((e: AppError) => e.code)).toBe('not_found');
  });

  it('pending access requests of the agent (read-only), expired ones left out', async () => {
    const res = await listAgentPendingRequests(w.t.ctx('member'), w.agents.billing.id);
    expect(res.items).toHaveLength(1);
    expect(res.items[0]).toMatchObject({ actions: ['write'], tool: { name: 'create_refund', risk: 'critical', serverName: 'billing' }, approvalsSoFar: 0 });
    expect((await listAgentPendingRequests(w.t.ctx('member'), w.agents.idle.id)).items).toEqual([]);
  });
});
