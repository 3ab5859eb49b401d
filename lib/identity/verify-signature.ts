// Signature check against the trust domain's own keys, chosen by `kid`. Keys only ever come from
// the resolver (inline JWKS or the configured JWKS URL), never from the token.

import { compactVerify } from 'jose';
import type { AsymmetricAlg } from './algorithms';
import { errorMessage, reasonForJoseError } from './jose-errors';
import type { KeyResolver, ResolvedKey } from './key-set';
import type { AuthnReason, TrustDomainKeys } from './types';

export type SignatureCheck =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; reason: AuthnReason; detail: string };

/** kid values are attacker-chosen: quote and cut them before they reach a log line. */
export function describeKid(kid: string | undefined): string {
  if (kid === undefined) return '(none)';
  return JSON.stringify(kid.length > 64 ? `${kid.slice(0, 64)}…` : kid);
}

function keysForKid(keys: readonly ResolvedKey[], kid: string | undefined): ResolvedKey[] {
  // A single-key set is unambiguous, so issuers that omit kid (common for SVID signers with one
  // key) still work; with several keys a missing kid would mean trying keys until one fits.
  if (kid === undefined) return keys.length === 1 ? [...keys] : [];
  // Plain equality over an in-memory list: the kid is never a path, URL or query.
  return keys.filter((k) => k.kid === kid);
}

function parsePayload(bytes: Uint8Array): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export async function verifySignature(
  token: string,
  alg: AsymmetricAlg,
  kid: string | undefined,
  trustDomain: TrustDomainKeys,
  resolver: KeyResolver,
): Promise<SignatureCheck> {
  let keys: readonly ResolvedKey[];
  try {
    keys = (await resolver.getKeys(trustDomain)).keys;
  } catch (error) {
    return { ok: false, reason: 'token_signature_invalid', detail: `trust domain keys unavailable: ${errorMessage(error)}` };
  }
  let candidates = keysForKid(keys, kid);
  if (candidates.length === 0 && kid !== undefined) {
    // The issuer may have rotated keys since we cached its JWKS. The resolver rate-limits this,
    // so a stream of forged kids costs at most one fetch per interval.
    try {
      keys = (await resolver.refreshKeys(trustDomain)).keys;
    } catch (error) {
      return { ok: false, reason: 'token_signature_invalid', detail: `trust domain keys unavailable: ${errorMessage(error)}` };
    }
    candidates = keysForKid(keys, kid);
  }
  if (candidates.length === 0) {
    return {
      ok: false,
      reason: 'token_signature_invalid',
      detail:
        kid === undefined
          ? `token has no kid and trust domain ${trustDomain.name} has ${keys.length} keys`
          : `no key with kid ${describeKid(kid)} in trust domain ${trustDomain.name}`,
    };
  }

  const fitting = candidates.filter((k) => k.byAlg.has(alg));
  if (fitting.length === 0) {
    const [key] = candidates;
    return {
      ok: false,
      reason: 'algorithm_not_allowed',
      detail: `key ${describeKid(kid)} (${key?.kty ?? '?'}${key?.crv ? ` ${key.crv}` : ''}) cannot verify ${alg}`,
    };
  }

  let failure: SignatureCheck = { ok: false, reason: 'token_signature_invalid', detail: 'signature does not verify' };
  // Normally one key; several only when an issuer publishes a kid twice (e.g. during rotation).
  for (const key of fitting) {
    const cryptoKey = key.byAlg.get(alg);
    if (cryptoKey === undefined) continue;
    try {
      const { payload } = await compactVerify(token, cryptoKey, { algorithms: [alg] });
      const parsed = parsePayload(payload);
      if (parsed === null) return { ok: false, reason: 'token_malformed', detail: 'payload is not a JSON object' };
      return { ok: true, payload: parsed };
    } catch (error) {
      const reason = reasonForJoseError(error, 'token_signature_invalid');
      failure = { ok: false, reason, detail: `signature check failed: ${errorMessage(error)}` };
      if (reason !== 'token_signature_invalid') return failure;
    }
  }
  return failure;
}
