// Save-time check for a trust domain's inline JWKS, so a bad key is rejected in the console
// instead of surfacing later as every token failing with `token_signature_invalid`.
// Synchronous and structural: the resolver still imports each key and fails closed if WebCrypto
// rejects it.

import { isAsymmetricAlg } from './algorithms';
import { inspectJwk, jwksEntries } from './jwk-rules';

const MAX_KEYS = 100;

export interface ValidatedJwk {
  kid: string | null;
  kty: string;
  /** the JWK's own `alg`, null when the key is usable with several allowed algorithms */
  alg: string | null;
  /** the allowed algorithms this key will verify */
  algs: string[];
}

export type JwksValidation = { ok: true; keys: ValidatedJwk[] } | { ok: false; message: string };

export function validateJwks(jwks: unknown, allowedAlgs: string[]): JwksValidation {
  if (!Array.isArray(allowedAlgs) || allowedAlgs.length === 0) {
    return { ok: false, message: 'allowed algorithms must list at least one asymmetric algorithm' };
  }
  const refused = allowedAlgs.find((alg) => !isAsymmetricAlg(alg));
  if (refused !== undefined) {
    return {
      ok: false,
      message: `algorithm ${JSON.stringify(refused)} is not accepted: only RS*, PS*, ES*, EdDSA and Ed25519 (never none or HS*)`,
    };
  }

  const entries = jwksEntries(jwks);
  if (entries === null) return { ok: false, message: 'JWKS must be a JSON object with a "keys" array' };
  if (entries.length === 0) return { ok: false, message: 'JWKS has no keys' };
  if (entries.length > MAX_KEYS) return { ok: false, message: `JWKS has more than ${MAX_KEYS} keys` };

  const keys: ValidatedJwk[] = [];
  const seenKids = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const inspected = inspectJwk(entry, allowedAlgs);
    const label = `key #${index + 1}${inspected.kid !== null ? ` (kid ${JSON.stringify(inspected.kid)})` : ''}`;
    if (!inspected.usable) return { ok: false, message: `${label}: ${inspected.message}` };
    if (inspected.kid === null && entries.length > 1) {
      // Without kids a token cannot say which key signed it; only a single-key set may omit them.
      return { ok: false, message: `${label}: "kid" is required when the JWKS has more than one key` };
    }
    if (inspected.kid !== null) {
      if (seenKids.has(inspected.kid)) return { ok: false, message: `${label}: duplicate "kid"` };
      seenKids.add(inspected.kid);
    }
    keys.push({ kid: inspected.kid, kty: inspected.kty, alg: inspected.alg, algs: [...inspected.algs] });
  }
  return { ok: true, keys };
}
