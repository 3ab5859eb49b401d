import { randomBytes } from 'node:crypto';
import { db } from '../db/client';

// Server-side record of console sign-ins. Auth.js keeps the session in a signed, encrypted JWT
// cookie; on its own that cookie stays valid until it expires, even after sign-out (a copy
// taken before still works). Each cookie therefore carries the id of a UserSession row, and the
// console only honours it while that row is open: sign-out closes it, and so does disabling
// the user. A cookie naming no open row is refused (fail closed, e.g. cookies from before this).

export const SESSION_MAX_AGE_SECONDS = 8 * 3600;

export async function openSession(userId: string): Promise<string> {
  const id = randomBytes(18).toString('base64url');
  // housekeeping: a user's expired sessions are of no further use
  await db().userSession.deleteMany({ where: { userId, expiresAt: { lt: new Date() } } });
  await db().userSession.create({ data: { id, userId, expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) } });
  return id;
}

/** the user of an open, unexpired session, or null */
export async function sessionUser(sessionId: string | undefined, userId: string | undefined) {
  if (!sessionId || !userId) return null;
  const s = await db().userSession.findUnique({
    where: { id: sessionId },
    select: { userId: true, endedAt: true, expiresAt: true, user: { select: { id: true, email: true, name: true, disabledAt: true } } },
  });
  if (!s || s.userId !== userId || s.endedAt || s.expiresAt <= new Date() || s.user.disabledAt) return null;
  return { id: s.user.id, email: s.user.email, name: s.user.name };
}

export async function endSession(sessionId: string | undefined): Promise<void> {
  if (!sessionId) return;
  await db().userSession.updateMany({ where: { id: sessionId, endedAt: null }, data: { endedAt: new Date() } });
}
