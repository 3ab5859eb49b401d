import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { createAgent, setAgentStatus, updateAgent } from '../../lib/agents/service';
import { listAuditEvents, type AuditItem } from '../../lib/audit/query';
import { auditChainStatus } from '../../lib/audit/chain-status';
import { updateRetentionSettings } from '../../lib/decision-log/retention-settings';
import { AppError } from '../../lib/errors';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';

let t: TenantFixture;
let other: TenantFixture;
let agentA: string;

beforeAll(async () => {
  t = await createTenantFixture('aq');
  other = await createTenantFixture('aq-other');
  const a = await createAgent(t.ctx('security'), { name: 'audit-a' });
  agentA = a.id;
  await setAgentStatus(t.ctx('security'), a.id, 'suspended');
  await updateAgent(t.ctx('admin'), a.id, { description: 'changed by admin' });
  const b = await createAgent(t.ctx('admin'), { name: 'audit-b' });
  await setAgentStatus(t.ctx('admin'), b.id, 'suspended');
  await setAgentStatus(t.ctx('admin'), b.id, 'active');
  await updateRetentionSettings(t.ctx('admin'), { decisionRetentionDays: 30 });
  // the same kinds of events in another tenant, by the same-named role
  const c = await createAgent(other.ctx('security'), { name: 'audit-a' });
  await setAgentStatus(other.ctx('security'), c.id, 'suspended');
});
afterAll(disconnectDb);

async function all(filters: Record<string, string>, limit = 2): Promise<AuditItem[]> {
  const out: AuditItem[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 200; i++) {
    const page = await listAuditEvents(t.ctx('auditor'), { ...filters, limit: String(limit), ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

describe('audit trail query', () => {
  it('lists the tenant’s events newest first, paged without overlap or gaps, and nothing of another tenant', async () => {
    const rows = await all({});
    const stored = (await auditEventsFor(t.tenantId)).reverse();
    expect(rows.map((r) => r.id)).toEqual(stored.map((r) => r.id));
    expect(rows.map((r) => Number(r.seq))).toEqual(stored.map((r) => Number(r.seq)));
    const foreign = new Set((await auditEventsFor(other.tenantId)).map((r) => r.id));
    expect(rows.some((r) => foreign.has(r.id))).toBe(false);
  });

  it('filters by actor (e-mail or id), actor type, event, target and time', async () => {
    const stored = (await auditEventsFor(t.tenantId)).reverse();
    const by = async (filters: Record<string, string>, pred: (r: (typeof stored)[number]) => boolean) => {
      const want = stored.filter(pred).map((r) => r.id);
      expect(want.length).toBeGreaterThan(0);
      expect(want.length).toBeLessThan(stored.length);
      expect((await all(filters)).map((r) => r.id)).toEqual(want);
    };
    await by({ actor: t.users.security.email }, (r) => r.actorLabel === t.users.security.email);
    await by({ actor: t.users.admin.id }, (r) => r.actorId === t.users.admin.id);
    await by({ actor: 'ADMIN-' }, (r) => !!r.actorLabel?.toLowerCase().includes('admin-'));
    await by({ event: 'agent.suspended' }, (r) => r.event === 'agent.suspended');
    await by({ targetType: 'tenant' }, (r) => r.targetType === 'tenant');
    await by({ targetId: agentA }, (r) => r.targetId === agentA);
    await by({ event: 'agent.suspended', actor: t.users.admin.email }, (r) => r.event === 'agent.suspended' && r.actorLabel === t.users.admin.email);
    const mid = stored[Math.floor(stored.length / 2)].time;
    await by({ from: mid.toISOString() }, (r) => r.time >= mid);
    await by({ to: mid.toISOString() }, (r) => r.time < mid);
  });

  it('the retention change is audited with its before/after', async () => {
    const [e] = await all({ targetType: 'tenant', event: 'tenant.updated' });
    expect(e.before).toEqual({ decisionRetentionDays: 90 });
    expect(e.after).toEqual({ decisionRetentionDays: 30 });
    expect(e.actorLabel).toBe(t.users.admin.email);
  });

  it('refuses bad filters (400) and members (403)', async () => {
    for (const bad of [{ event: 'agent.exploded' }, { cursor: 'abc' }, { actorType: 'robot' }, { targetType: 'DROP TABLE' }]) {
      expect(((await listAuditEvents(t.ctx('auditor'), bad).catch((e) => e)) as AppError).status).toBe(400);
    }
    expect(((await listAuditEvents(t.ctx('member'), {}).catch((e) => e)) as AppError).status).toBe(403);
    expect(((await auditChainStatus(t.ctx('member')).catch((e) => e)) as AppError).status).toBe(403);
  });
});

function cli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve('bin/toolwarden.mjs'), ...args], {
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

describe('chain verification (console and CLI)', () => {
  it('an intact chain verifies in the console and `audit verify` exits 0', async () => {
    const status = await auditChainStatus(t.ctx('auditor'));
    expect(status.result).toMatchObject({ ok: true, checked: (await auditEventsFor(t.tenantId)).length });
    const res = await cli(['audit', 'verify', '--tenant', t.slug]);
    expect(res.out).toContain(`${t.slug}: OK`);
    expect(res.code).toBe(0);
  }, 60_000);

  it('a row altered behind the trigger breaks verification at that row; `audit verify` exits 1 and names it', async () => {
    const events = await auditEventsFor(t.tenantId);
    const victim = events[3];
    await db().$transaction([
      db().$executeRawUnsafe('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"'),
      db().$executeRaw`UPDATE "AuditEvent" SET "after" = '{"description":"nothing to see"}'::jsonb WHERE id = ${victim.id}`,
      db().$executeRawUnsafe('ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"'),
    ]);
    const status = await auditChainStatus(t.ctx('auditor'));
    expect(status.result).toEqual({ ok: false, checked: 3, brokenAt: { seq: String(victim.seq), id: victim.id, problem: 'hash_mismatch' } });
    expect(status.brokenEvent).toMatchObject({ id: victim.id, event: victim.event });

    const res = await cli(['audit', 'verify', '--tenant', t.slug]);
    expect(res.code).toBe(1);
    expect(res.out).toContain(`BROKEN at seq ${victim.seq} (event ${victim.id})`);
    // the other tenant's chain is untouched
    const ok = await cli(['audit', 'verify', '--tenant', other.slug]);
    expect(ok.code).toBe(0);
  }, 60_000);

  it('an unknown tenant is a failure (1); a wrong sub-command a usage error (2)', async () => {
    expect((await cli(['audit', 'verify', '--tenant', 'no-such-tenant'])).code).toBe(1);
    expect((await cli(['audit', 'frobnicate'])).code).toBe(2);
  }, 60_000);
});
