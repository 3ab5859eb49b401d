import crypto, { createHash, timingSafeEqual } from 'node:crypto';

// Server keys: `twk_<keyId>_<secret>`. The key id finds the row; only SHA-256(secret) is stored.
// The secret is 256 random bits, so a fast hash is sound (argon2 would put ~50 ms of CPU on
// every decision) and the stored hash is useless to someone who reads the database.

const KEY_RE = /^twk_([A-Za-z0-9]{8,40})_([A-Za-z0-9_-]{32,100})$/;

export function parseServerKey(raw: string | null | undefined): { keyId: string; secret: string } | null {
  if (!raw) return null;
  const m = KEY_RE.exec(raw);
  return m ? { keyId: m[1], secret: m[2] } : null;
}

// One-shot hashing (Node ≥ 20.12) skips building a Hash object per call: this runs on every
// decision. The fallback keeps older Node 20 releases working.
const sha256 = (data: string): Buffer =>
  typeof crypto.hash === 'function' ? crypto.hash('sha256', data, 'buffer') : createHash('sha256').update(data).digest();

export function hashSecret(secret: string): string {
  return sha256(secret).toString('hex');
}

/** compares in constant time; `storedHash` may be the hex text or its bytes (cached by callers) */
export function secretMatches(secret: string, storedHash: string | Buffer): boolean {
  const a = sha256(secret);
  const b = typeof storedHash === 'string' ? Buffer.from(storedHash, 'hex') : storedHash;
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
