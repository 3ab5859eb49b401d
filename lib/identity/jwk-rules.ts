// What makes one JWK acceptable as a trust-domain verification key. Shared by the console-side
// validator (which rejects anything questionable) and the key resolver (which skips keys it cannot
// use, but refuses a whole set that carries secrets).

import { algsForKey, isAsymmetricAlg, type AsymmetricAlg } from './algorithms';

/**
 * Members that only private or symmetric keys have. Their presence means someone pasted a
 * signing key: importing it would work and would quietly keep a secret in memory and in the
 * database, so the whole set is refused instead.
 */
const SECRET_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'] as const;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const EC_CURVES = new Set(['P-256', 'P-384', 'P-521']);
/** RFC 7518 §3.3 and jose both demand RSA keys of at least 2048 bits. */
const MIN_RSA_MODULUS_BYTES = 256;
const MAX_KID_LENGTH = 256;

export interface UsableJwk {
  usable: true;
  kid: string | null;
  kty: 'RSA' | 'EC' | 'OKP';
  crv: string | null;
  alg: string | null;
  algs: AsymmetricAlg[];
  /** only the public members WebCrypto needs; nothing else from the input reaches importJWK */
  publicJwk: Record<string, string>;
}

export type JwkInspection =
  | UsableJwk
  /** `secret` problems condemn the whole key set; the others only make this key unusable */
  | { usable: false; secret: boolean; kid: string | null; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function b64(value: unknown): value is string {
  return typeof value === 'string' && BASE64URL.test(value);
}

export function inspectJwk(entry: unknown, allowedAlgs: readonly string[]): JwkInspection {
  if (!isRecord(entry)) return { usable: false, secret: false, kid: null, message: 'key is not a JSON object' };
  const kid = typeof entry.kid === 'string' ? entry.kid : null;
  const unusable = (message: string): JwkInspection => ({ usable: false, secret: false, kid, message });

  const secretMember = SECRET_MEMBERS.find((m) => Object.prototype.hasOwnProperty.call(entry, m));
  if (secretMember !== undefined) {
    return {
      usable: false,
      secret: true,
      kid,
      message: `key holds private or symmetric key material ("${secretMember}"); publish public keys only`,
    };
  }
  if (entry.kty === 'oct') {
    return { usable: false, secret: true, kid, message: 'symmetric (oct) keys are never accepted' };
  }

  if (entry.kid !== undefined && (kid === null || kid.length === 0 || kid.length > MAX_KID_LENGTH)) {
    return unusable(`"kid" must be a non-empty string of at most ${MAX_KID_LENGTH} characters`);
  }
  if (entry.use !== undefined && entry.use !== 'sig') return unusable('"use" is not "sig"');
  if (entry.key_ops !== undefined) {
    if (!Array.isArray(entry.key_ops) || !entry.key_ops.includes('verify')) {
      return unusable('"key_ops" does not include "verify"');
    }
  }
  const alg = entry.alg === undefined ? null : entry.alg;
  if (alg !== null && !isAsymmetricAlg(alg)) {
    return unusable(`"alg" ${JSON.stringify(alg)} is not an accepted asymmetric signature algorithm`);
  }

  let shape: { kty: 'RSA' | 'EC' | 'OKP'; crv: string | null; publicJwk: Record<string, string> };
  switch (entry.kty) {
    case 'RSA': {
      if (!b64(entry.n) || !b64(entry.e)) return unusable('RSA key needs base64url "n" and "e"');
      if (Math.floor((entry.n.length * 3) / 4) < MIN_RSA_MODULUS_BYTES) {
        return unusable('RSA modulus is shorter than 2048 bits');
      }
      shape = { kty: 'RSA', crv: null, publicJwk: { kty: 'RSA', n: entry.n, e: entry.e } };
      break;
    }
    case 'EC': {
      if (typeof entry.crv !== 'string' || !EC_CURVES.has(entry.crv)) {
        return unusable('EC key needs "crv" P-256, P-384 or P-521');
      }
      if (!b64(entry.x) || !b64(entry.y)) return unusable('EC key needs base64url "x" and "y"');
      shape = { kty: 'EC', crv: entry.crv, publicJwk: { kty: 'EC', crv: entry.crv, x: entry.x, y: entry.y } };
      break;
    }
    case 'OKP': {
      if (entry.crv !== 'Ed25519') return unusable('OKP key needs "crv" Ed25519');
      if (!b64(entry.x)) return unusable('OKP key needs base64url "x"');
      shape = { kty: 'OKP', crv: 'Ed25519', publicJwk: { kty: 'OKP', crv: 'Ed25519', x: entry.x } };
      break;
    }
    default:
      return unusable(`"kty" ${JSON.stringify(entry.kty)} is not supported (RSA, EC, OKP)`);
  }

  const algs = algsForKey({ kty: shape.kty, crv: shape.crv, alg }, allowedAlgs);
  if (algs.length === 0) {
    return unusable(
      alg === null
        ? `no allowed algorithm (${allowedAlgs.join(', ') || 'none'}) fits a ${shape.kty}${shape.crv ? ` ${shape.crv}` : ''} key`
        : `key "alg" ${alg} is not allowed here or does not fit its key type`,
    );
  }
  return { usable: true, kid, kty: shape.kty, crv: shape.crv, alg, algs, publicJwk: shape.publicJwk };
}

/** The JWKS envelope: `{ keys: [...] }`. */
export function jwksEntries(jwks: unknown): unknown[] | null {
  if (!isRecord(jwks) || !Array.isArray(jwks.keys)) return null;
  return jwks.keys;
}
