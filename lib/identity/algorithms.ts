// Which JWS algorithms a token may use, and which key each one needs.
//
// The list is closed on purpose: a trust domain's `allowedAlgs` can only narrow it. `none` and
// HMAC are absent because a verifier holding only public keys must never accept a token it could
// not have been handed by the issuer (HS256 "signed" with the public key is the classic forgery).

export type AsymmetricAlg =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519';

/** kty and curve each algorithm requires; used to stop RS256-with-an-EC-key style confusion. */
const KEY_FOR_ALG: Readonly<Record<AsymmetricAlg, { kty: 'RSA' | 'EC' | 'OKP'; crv: string | null }>> = {
  RS256: { kty: 'RSA', crv: null },
  RS384: { kty: 'RSA', crv: null },
  RS512: { kty: 'RSA', crv: null },
  PS256: { kty: 'RSA', crv: null },
  PS384: { kty: 'RSA', crv: null },
  PS512: { kty: 'RSA', crv: null },
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  ES512: { kty: 'EC', crv: 'P-521' },
  // jose 6 implements EdDSA with Ed25519 only (WebCrypto has no Ed448 in Node 20).
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  Ed25519: { kty: 'OKP', crv: 'Ed25519' },
};

export const ASYMMETRIC_ALGS: readonly AsymmetricAlg[] = Object.keys(KEY_FOR_ALG) as AsymmetricAlg[];

export function isAsymmetricAlg(alg: unknown): alg is AsymmetricAlg {
  return typeof alg === 'string' && Object.prototype.hasOwnProperty.call(KEY_FOR_ALG, alg);
}

export interface KeyShape {
  kty: string;
  crv: string | null;
  /** the JWK's own `alg`, which pins the key to one algorithm when present */
  alg: string | null;
}

export function keyFitsAlg(key: KeyShape, alg: AsymmetricAlg): boolean {
  const need = KEY_FOR_ALG[alg];
  if (key.kty !== need.kty) return false;
  if (need.crv !== null && key.crv !== need.crv) return false;
  return key.alg === null || key.alg === alg;
}

/**
 * The algorithms a key may verify under a trust domain's allowlist. A JWK without `alg` gets
 * every allowed algorithm that fits its type; WebCrypto binds an imported key to one algorithm,
 * so the resolver imports it once per entry of this list.
 */
export function algsForKey(key: KeyShape, allowedAlgs: readonly string[]): AsymmetricAlg[] {
  const out: AsymmetricAlg[] = [];
  for (const alg of allowedAlgs) {
    if (isAsymmetricAlg(alg) && keyFitsAlg(key, alg) && !out.includes(alg)) out.push(alg);
  }
  return out;
}
