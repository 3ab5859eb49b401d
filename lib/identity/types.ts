// Inputs and outputs of agent authentication. Pure data, so the same verifier runs in the
// decision service (keys from Postgres) and in the SDK's local mode (keys from the snapshot).

export const AUTHN_REASONS = [
  'token_missing',
  'token_malformed',
  'token_signature_invalid',
  'token_expired',
  'token_not_yet_valid',
  'token_lifetime_too_long',
  'issuer_unknown',
  'audience_mismatch',
  'algorithm_not_allowed',
  'identity_unknown',
  'identity_disabled',
  'agent_suspended',
] as const;
export type AuthnReason = (typeof AUTHN_REASONS)[number];

export type IdentityKind = 'spiffe_jwt' | 'oauth_client' | 'spiffe_asserted';

export interface TrustDomainKeys {
  id: string;
  /** SPIFFE trust domain name or a label, e.g. `acme.test` */
  name: string;
  /** expected `iss`; null for SPIFFE trust domains whose SVIDs carry no issuer */
  issuer: string | null;
  /** inline JWKS (public keys only) */
  jwks: { keys: Record<string, unknown>[] } | null;
  /** remote JWKS, fetched and cached by the verifier */
  jwksUrl: string | null;
  /** asymmetric JWS algorithms only; `none` and HS* are never accepted whatever this says */
  allowedAlgs: string[];
  maxTokenLifetimeSeconds: number;
}

export interface IdentityRecord {
  id: string;
  agentId: string;
  trustDomainId: string;
  kind: IdentityKind;
  subject: string;
  status: 'active' | 'disabled';
}

export interface AgentRecord {
  id: string;
  name: string;
  status: 'active' | 'suspended';
}

export type AuthnResult =
  | {
      ok: true;
      identityId: string;
      agentId: string;
      /** the agent's subject: SPIFFE ID or OAuth client_id */
      subject: string;
      /** the delegating user, from RFC 8693 `act` (token `sub`) or an OAuth user token */
      onBehalfOf: string | null;
      trustDomainId: string;
    }
  | { ok: false; reason: AuthnReason; detail: string; subject: string | null };

/**
 * Finds the workload identity bound to a credential subject within one trust domain. Exact
 * match on all three: the same subject string under another trust domain or kind is a different
 * identity.
 */
export type IdentityLookup = (
  trustDomainId: string,
  kind: IdentityKind,
  subject: string,
) => IdentityRecord | undefined;

export type AgentLookup = (agentId: string) => AgentRecord | undefined;
