import { createHash, timingSafeEqual } from 'node:crypto';

// Server keys: `twk_<keyId>_<secret>`. The key id finds the row; only SHA-256(secret) is stored.
// The secret is 256 random bits, so a fast hash is sound (argon2 would put ~50 ms of CPU on
// every decision) and the stored hash is useless to someone who reads the database.

const KEY_RE = /^twk_([A-Za-z0-9]{8,40})_([A-Za-z0-9_-]{32,100})$/;

export function parseServerKey(raw: string | null | undefined): { keyId: string; secret: string } | null {
  if (!raw) return null;
  const m = KEY_RE.exec(raw);
  return m ? { keyId: m[1], secret: m[2] } : null;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** the part shown in lists: enough to recognise a key, useless to use it */
export function keyPrefix(keyId: string): string {
  return `twk_${keyId}_…`;
}

/** Bearer token from an Authorization header value */
export function bearer(header: string | null | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : null;
}
