// jose's error classes → our reason codes. Kept in one table so a jose upgrade that adds or
// renames codes changes one place, and anything unrecognised still fails closed with the
// caller's fallback reason instead of leaking as an exception.

import type { AuthnReason } from './types';

const BY_CODE: Readonly<Record<string, AuthnReason>> = {
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'token_signature_invalid',
  ERR_JOSE_ALG_NOT_ALLOWED: 'algorithm_not_allowed',
  ERR_JWS_INVALID: 'token_malformed',
  ERR_JWT_INVALID: 'token_malformed',
  ERR_JOSE_NOT_SUPPORTED: 'token_malformed',
  ERR_JWT_EXPIRED: 'token_expired',
  ERR_JWKS_NO_MATCHING_KEY: 'token_signature_invalid',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'token_signature_invalid',
  ERR_JWKS_INVALID: 'token_signature_invalid',
  ERR_JWKS_TIMEOUT: 'token_signature_invalid',
  ERR_JWK_INVALID: 'token_signature_invalid',
};

const BY_CLAIM: Readonly<Record<string, AuthnReason>> = {
  nbf: 'token_not_yet_valid',
  iat: 'token_not_yet_valid',
  aud: 'audience_mismatch',
  iss: 'issuer_unknown',
  exp: 'token_expired',
};

export function reasonForJoseError(error: unknown, fallback: AuthnReason): AuthnReason {
  if (typeof error !== 'object' || error === null) return fallback;
  const { code, claim } = error as { code?: unknown; claim?: unknown };
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    return (typeof claim === 'string' ? BY_CLAIM[claim] : undefined) ?? 'token_malformed';
  }
  return (typeof code === 'string' ? BY_CODE[code] : undefined) ?? fallback;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'unknown error';
}
