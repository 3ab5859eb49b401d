import { db } from '../db/client';

// Sign-in throttling shared by every instance (kept in Postgres). Counted per e-mail and per
// client address: after MAX_FAILURES within WINDOW the key is locked for LOCK, doubling on
// repeat, capped. A locked key is refused before the password is even checked.

const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 5;
const BASE_LOCK_MS = 60_000;
const MAX_LOCK_MS = 30 * 60_000;

export function throttleKeys(email: string, ip: string | null): string[] {
  const keys = [`email:${email.toLowerCase()}`];
  if (ip) keys.push(`ip:${ip}`);
  return keys;
}

/** ms until the earliest lock on these keys ends, or 0 when not locked */
export async function lockedFor(keys: string[], now = new Date()): Promise<number> {
  const rows = await db().signInThrottle.findMany({ where: { key: { in: keys } } });
  let wait = 0;
  for (const r of rows) if (r.lockedUntil && r.lockedUntil > now) wait = Math.max(wait, r.lockedUntil.getTime() - now.getTime());
  return wait;
}

export async function recordFailure(keys: string[], now = new Date()): Promise<void> {
  // ip keys get a higher threshold: many users may share one address
  for (const key of keys) {
    const limit = key.startsWith('ip:') ? MAX_FAILURES * 4 : MAX_FAILURES;
    await db().$transaction(async (tx) => {
      const row = await tx.signInThrottle.findUnique({ where: { key } });
      const fresh = !row || now.getTime() - row.windowStart.getTime() > WINDOW_MS;
      const failures = fresh ? 1 : row.failures + 1;
      let lockedUntil: Date | null = row?.lockedUntil ?? null;
      if (failures >= limit) {
        const over = failures - limit;
        lockedUntil = new Date(now.getTime() + Math.min(BASE_LOCK_MS * 2 ** over, MAX_LOCK_MS));
      }
      await tx.signInThrottle.upsert({
        where: { key },
        create: { key, failures, windowStart: now, lockedUntil },
        update: { failures, windowStart: fresh ? now : row.windowStart, lockedUntil },
      });
    });
  }
}

export async function clearFailures(email: string): Promise<void> {
  await db().signInThrottle.deleteMany({ where: { key: `email:${email.toLowerCase()}` } });
}
