import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { addMember, changeMemberRole, listMembers, removeMember } from '../../lib/members/service';
import { verifyPassword } from '../../lib/auth/passwords';
import { AppError } from '../../lib/errors';
import { createTenantFixture, type TenantFixture } from './fixtures';

let t: TenantFixture;
beforeAll(async () => {
  t = await createTenantFixture('members');
});
afterAll(disconnectDb);

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e) => (e instanceof AppError ? e.code : String(e)));

describe('members', () => {
  it('an admin adds a new user with a one-time password (stored as argon2id)', async () => {
    const res = await addMember(t.ctx('admin'), { email: 'New.Person@Example.test', role: 'security' });
    expect(res.user.email).toBe('new.person@example.test');
    const user = await db().user.findUniqueOrThrow({ where: { email: 'new.person@example.test' } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash, res.initialPassword!)).toBe(true);
    expect(await code(addMember(t.ctx('admin'), { email: 'new.person@example.test', role: 'member' }))).toBe('conflict');
  });

  it('only admins manage members', async () => {
    for (const role of ['security', 'member', 'auditor'] as const) {
      expect(await code(addMember(t.ctx(role), { email: `x-${role}@example.test`, role: 'admin' }))).toBe('forbidden');
    }
    expect(await db().user.count({ where: { email: { startsWith: 'x-' } } })).toBe(0);
  });

  it('the last admin can be neither demoted nor removed', async () => {
    const members = await listMembers(t.ctx('admin'));
    const admin = members.find((m) => m.role === 'admin')!;
    expect(await code(changeMemberRole(t.ctx('admin'), admin.id, { role: 'member' }))).toBe('invalid_request');
    expect(await code(removeMember(t.ctx('admin'), admin.id))).toBe('invalid_request');
    expect((await db().membership.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe('admin');
  });

  it('roles change and members are removed, with audit events', async () => {
    const res = await addMember(t.ctx('admin'), { email: 'temp@example.test', role: 'member' });
    await changeMemberRole(t.ctx('admin'), res.membership.id, { role: 'auditor' });
    await removeMember(t.ctx('admin'), res.membership.id);
    const events = await db().auditEvent.findMany({ where: { tenantId: t.tenantId, targetId: res.membership.id }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.event)).toEqual(['member.added', 'member.role_changed', 'member.removed']);
  });
});
