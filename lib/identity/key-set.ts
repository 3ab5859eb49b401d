// Imported, ready-to-verify keys of one trust domain, and how a raw JWKS becomes one.

import { importJWK } from 'jose';
import type { AsymmetricAlg } from './algorithms';
import { inspectJwk, jwksEntries } from './jwk-rules';
import type { TrustDomainKeys } from './types';

export interface ResolvedKey {
  kid: string | null;
  kty: 'RSA' | 'EC' | 'OKP';
  crv: string | null;
  /**
   * One CryptoKey per algorithm the key may verify. WebCrypto binds a key to one algorithm, which
   * is also what makes cross-algorithm confusion impossible: a token's `alg` can only reach a key
   * imported for exactly that algorithm.
   */
  byAlg: ReadonlyMap<AsymmetricAlg, CryptoKey>;
}

export interface ResolvedKeySet {
  keys: readonly ResolvedKey[];
  /** why some published keys are not usable (wrong `use`, unsupported type…), for diagnostics */
  skipped: readonly string[];
}

export interface KeyResolver {
  /** The trust domain's keys, from cache when fresh. Rejects (fail closed) when none can be had. */
  getKeys(trustDomain: TrustDomainKeys): Promise<ResolvedKeySet>;
  /**
   * A token named a kid we do not have: re-fetch a remote JWKS (key rotation), rate-limited per
   * trust domain so forged kids cannot be used to hammer the issuer. Returns the possibly
   * unchanged set; for inline keys it is the same as getKeys.
   */
  refreshKeys(trustDomain: TrustDomainKeys): Promise<ResolvedKeySet>;
}

/** The trust domain's key configuration cannot produce keys (reported, never thrown past the verifier). */
export class KeyResolutionError extends Error {
  override name = 'KeyResolutionError';
}

export const EMPTY_KEY_SET: ResolvedKeySet = { keys: [], skipped: [] };

export async function importKeySet(jwks: unknown, allowedAlgs: readonly string[]): Promise<ResolvedKeySet> {
  const entries = jwksEntries(jwks);
  if (entries === null) throw new KeyResolutionError('JWKS must be a JSON object with a "keys" array');
  const inspected = entries.map((entry) => inspectJwk(entry, allowedAlgs));
  // Check every entry before importing any: one secret anywhere refuses the whole set.
  const secret = inspected.find((k) => !k.usable && k.secret);
  if (secret !== undefined && !secret.usable) throw new KeyResolutionError(`JWKS refused: ${secret.message}`);

  const keys: ResolvedKey[] = [];
  const skipped: string[] = [];
  for (const key of inspected) {
    if (!key.usable) {
      skipped.push(`${key.kid ?? '(no kid)'}: ${key.message}`);
      continue;
    }
    const byAlg = new Map<AsymmetricAlg, CryptoKey>();
    try {
      for (const alg of key.algs) {
        const imported = await importJWK(key.publicJwk, alg, { extractable: false });
        // importJWK only returns bytes for `oct` keys, which inspectJwk never lets through.
        if (imported instanceof Uint8Array) throw new KeyResolutionError('symmetric key');
        byAlg.set(alg, imported);
      }
    } catch (error) {
      skipped.push(`${key.kid ?? '(no kid)'}: not importable (${error instanceof Error ? error.message : 'unknown error'})`);
      continue;
    }
    keys.push({ kid: key.kid, kty: key.kty, crv: key.crv, byAlg });
  }
  return { keys, skipped };
}
