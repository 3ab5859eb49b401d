import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { endSession, openSession, sessionUser } from '../../lib/auth/sessions';
import { createTenantFixture, type TenantFixture } from './fixtures';

// The server-side half of console sessions: a session cookie is honoured only while its row
// is open, belongs to the cookie's user, has not expired and the user is not disabled.

let t: TenantFixture;
beforeAll(async () => {
  t = await createTenantFixture('sessions');
});
afterAll(() => disconnectDb());

describe('console sessions', () => {
  it('an open session gives its user; after sign-out the same cookie gives nobody', async () => {
    const sid = await openSession(t.users.auditor.id);
    expect(await sessionUser(sid, t.users.auditor.id)).toMatchObject({ id: t.users.auditor.id, email: t.users.auditor.email });
    await endSession(sid);
    expect(await sessionUser(sid, t.users.auditor.id)).toBeNull();
    // ending twice changes nothing and does not throw
    await endSession(sid);
    expect((await db().userSession.findUniqueOrThrow({ where: { id: sid } })).endedAt).not.toBeNull();
  });

  it('refuses a cookie without a session id, an unknown id, or another user’s session', async () => {
    const sid = await openSession(t.users.admin.id);
    expect(await sessionUser(undefined, t.users.admin.id)).toBeNull();
    expect(await sessionUser('no-such-session', t.users.admin.id)).toBeNull();
    expect(await sessionUser(sid, t.users.security.id)).toBeNull();
    expect(await sessionUser(sid, t.users.admin.id)).not.toBeNull();
  });

  it('refuses an expired session and the session of a disabled user', async () => {
    const expired = await openSession(t.users.member.id);
    await db().userSession.update({ where: { id: expired }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await sessionUser(expired, t.users.member.id)).toBeNull();
    const sid = await openSession(t.users.security.id);
    await db().user.update({ where: { id: t.users.security.id }, data: { disabledAt: new Date() } });
    expect(await sessionUser(sid, t.users.security.id)).toBeNull();
    await db().user.update({ where: { id: t.users.security.id }, data: { disabledAt: null } });
  });

  it('each sign-in is a new session, and a user’s expired sessions are cleared then', async () => {
    const a = await openSession(t.users.member.id);
    const b = await openSession(t.users.member.id);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await db().userSession.count({ where: { userId: t.users.member.id, expiresAt: { lt: new Date() } } })).toBe(0);
  });
});
