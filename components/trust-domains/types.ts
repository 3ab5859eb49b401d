// The console API's JSON shapes for trust domains (dates as ISO strings).

/** the verifier's closed list (lib/identity/algorithms.ts): asymmetric only, never none or HS* */
export const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

export interface TrustDomainDto {
  id: string;
  name: string;
  description: string;
  issuer: string | null;
  jwks: { keys?: unknown[] } | null;
  jwksUrl: string | null;
  allowedAlgs: string[];
  maxTokenLifetimeSeconds: number;
  createdAt: string;
  updatedAt: string;
  identityCount: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface TrustDomainInput {
  name?: string;
  description?: string;
  issuer?: string | null;
  jwks?: string | null;
  jwksUrl?: string | null;
  allowedAlgs?: string[];
  maxTokenLifetimeSeconds?: number | string;
}

export type JwksTestResult =
  | { ok: true; keys: { kid: string | null; kty: string; crv: string | null; algs: string[] }[]; skipped: string[] }
  | { ok: false; message: string };
