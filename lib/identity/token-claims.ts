// Time and audience rules for a verified token. Done here rather than by jwtVerify so the skew,
// the lifetime rule (which jose has no notion of) and the reason for each failure are ours.

import type { AuthnReason } from './types';

export const CLOCK_SKEW_SECONDS = 60;

export type ClaimCheck = { ok: true } | { ok: false; reason: AuthnReason; detail: string };

const pass: ClaimCheck = { ok: true };

function numericDate(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function checkTimeClaims(
  payload: Record<string, unknown>,
  nowMs: number,
  maxLifetimeSeconds: number,
): ClaimCheck {
  if (!Number.isFinite(nowMs)) return { ok: false, reason: 'token_expired', detail: 'verifier clock is not a number' };
  const now = nowMs / 1000;
  const exp = numericDate(payload.exp);
  const nbf = numericDate(payload.nbf);
  const iat = numericDate(payload.iat);
  // A token without exp never stops working; the design requires every agent token to expire.
  if (exp === undefined) return { ok: false, reason: 'token_malformed', detail: 'exp claim is required' };
  if (exp === null || nbf === null || iat === null) {
    return { ok: false, reason: 'token_malformed', detail: 'exp, nbf and iat must be numeric dates' };
  }
  if (now - CLOCK_SKEW_SECONDS >= exp) {
    return { ok: false, reason: 'token_expired', detail: `token expired at ${new Date(exp * 1000).toISOString()}` };
  }
  if (nbf !== undefined && nbf > now + CLOCK_SKEW_SECONDS) {
    return { ok: false, reason: 'token_not_yet_valid', detail: `token not valid before ${new Date(nbf * 1000).toISOString()}` };
  }
  if (iat !== undefined && iat > now + CLOCK_SKEW_SECONDS) {
    return { ok: false, reason: 'token_not_yet_valid', detail: 'token issued in the future' };
  }
  if (!(maxLifetimeSeconds > 0)) {
    return { ok: false, reason: 'token_lifetime_too_long', detail: 'trust domain has no positive maximum token lifetime' };
  }
  const start = iat ?? nbf;
  // Without iat or nbf the lifetime is unknowable; bound what is left of it instead, so a
  // long-lived token cannot pass by omitting its issue time.
  const lifetime = start !== undefined ? exp - start : exp - now;
  if (lifetime > maxLifetimeSeconds) {
    return {
      ok: false,
      reason: 'token_lifetime_too_long',
      detail: `token lifetime ${Math.round(lifetime)} s exceeds the trust domain maximum of ${maxLifetimeSeconds} s`,
    };
  }
  return pass;
}

export function checkAudience(aud: unknown, expected: string): ClaimCheck {
  if (expected === '') return { ok: false, reason: 'audience_mismatch', detail: 'no audience configured for this server' };
  const values = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  // RFC 7519 §4.1.3: the token is for us if any audience entry is ours, wherever it appears.
  if (values.some((v) => v === expected)) return pass;
  return { ok: false, reason: 'audience_mismatch', detail: `token audience does not include ${expected}` };
}
