import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { createAgent, setAgentStatus } from '../../lib/agents/service';
import { verifyAuditChain } from '../../lib/audit/verify';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';

let t: TenantFixture;
beforeAll(async () => {
  t = await createTenantFixture('chain');
});
afterAll(disconnectDb);

describe('audit trail', () => {
  it('chains every event of a tenant and verifies', async () => {
    const a = await createAgent(t.ctx('security'), { name: 'chain-a' });
    await setAgentStatus(t.ctx('security'), a.id, 'suspended');
    await createAgent(t.ctx('admin'), { name: 'chain-b' });
    const events = await auditEventsFor(t.tenantId);
    expect(events.map((e) => e.seq)).toEqual([1n, 2n, 3n]);
    expect(events[1].prevHash).toBe(events[0].hash);
    expect(await verifyAuditChain(t.tenantId)).toEqual({ ok: true, checked: 3, headSeq: '3' });
  });

  it('refuses UPDATE and DELETE on audit rows (append-only trigger)', async () => {
    const [first] = await auditEventsFor(t.tenantId);
    await expect(db().$executeRaw`UPDATE "AuditEvent" SET "event" = 'agent.deleted' WHERE id = ${first.id}`).rejects.toThrow(/append-only/);
    await expect(db().$executeRaw`DELETE FROM "AuditEvent" WHERE id = ${first.id}`).rejects.toThrow(/append-only/);
    expect((await db().auditEvent.findUniqueOrThrow({ where: { id: first.id } })).event).toBe(first.event);
  });

  it('concurrent mutations keep one unforked chain', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => createAgent(t.ctx('security'), { name: `parallel-${i}` })));
    const result = await verifyAuditChain(t.tenantId);
    expect(result.ok).toBe(true);
    expect(result.checked).toBe(11);
  });

  it('a row altered behind the trigger breaks verification at that row', async () => {
    const events = await auditEventsFor(t.tenantId);
    const victim = events[1];
    await db().$transaction([
      db().$executeRawUnsafe('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"'),
      db().$executeRaw`UPDATE "AuditEvent" SET "actorLabel" = 'someone-else' WHERE id = ${victim.id}`,
      db().$executeRawUnsafe('ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"'),
    ]);
    const result = await verifyAuditChain(t.tenantId);
    expect(result).toMatchObject({ ok: false, brokenAt: { seq: '2', id: victim.id, problem: 'hash_mismatch' } });
  });

  it('secrets never reach the audit trail', async () => {
    const other = await createTenantFixture('redact');
    const { addMember } = await import('../../lib/members/service');
    const res = await addMember(other.ctx('admin'), { email: 'new-person@example.test', role: 'member' });
    expect(res.initialPassword).toBeTruthy();
    const rows = await auditEventsFor(other.tenantId);
    const text = JSON.stringify(rows.map((r) => [r.before, r.after]));
    expect(text).not.toContain(res.initialPassword!);
    expect(text).not.toMatch(/\$argon2/);
  });
});
