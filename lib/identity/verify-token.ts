// Agent authentication: a compact JWS (JWT-SVID or OAuth JWT access token) in, an identity and
// agent (or exactly one reason why not) out. Pure apart from the key resolver, so the decision
// service and the SDK's local mode run the same code. Never throws: anything unexpected is a
// failure, so a bug here denies instead of allowing.
//
// Header-embedded keys (`jku`, `x5u`, `jwk`, `x5c`) are reported as `token_malformed`: they are
// not an algorithm problem but a token that tries to bring its own trust, and the reason should
// say the token itself is unacceptable whatever the trust domain allows.

import { decodeJwt, decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';
import { isAsymmetricAlg } from './algorithms';
import { errorMessage } from './jose-errors';
import type { KeyResolver } from './key-set';
import { selectTrustDomain } from './select-trust-domain';
import { checkAudience, checkTimeClaims } from './token-claims';
import { tokenSubject } from './token-subject';
import type {
  AgentLookup,
  AgentRecord,
  AuthnReason,
  AuthnResult,
  IdentityLookup,
  IdentityRecord,
  TrustDomainKeys,
} from './types';
import { verifySignature } from './verify-signature';
import type { SignatureCache, VerifiedToken } from './signature-cache';

export interface VerifyAgentTokenOptions {
  /** the tenant's trust domains; a token can only be verified by one of these */
  trustDomains: readonly TrustDomainKeys[];
  identities: IdentityLookup;
  agents: AgentLookup;
  /** the asking MCP server's audience; the token's `aud` must contain it */
  audience: string;
  /** epoch milliseconds, passed in so verification is deterministic and testable */
  now: number;
  keyResolver: KeyResolver;
  /** remembers verified signatures across calls (one per process); see signature-cache.ts */
  signatureCache?: SignatureCache;
}

/** Real agent tokens are well under 4 KiB; this bounds the work a hostile token can cause. */
const MAX_TOKEN_LENGTH = 16 * 1024;
const MAX_KID_LENGTH = 256;
const EMBEDDED_KEY_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;

type Failure = Extract<AuthnResult, { ok: false }>;

/**
 * The checks that depend only on the token and the tenant's trust domains: shape, header,
 * algorithm, issuer → trust domain, signature, and who the token names. Remembered on success.
 */
async function verifyTokenItself(token: string, opts: VerifyAgentTokenOptions): Promise<VerifiedToken | Failure> {
  // Exactly three segments: a JWE (five) or JSON serialization is not an agent token.
  if (token.split('.').length !== 3) return failure('token_malformed', 'token is not a compact JWS');

  let header: ProtectedHeaderParameters;
  let unverified: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
    unverified = decodeJwt(token);
  } catch (error) {
    return failure('token_malformed', `token cannot be decoded: ${errorMessage(error)}`);
  }

  const embedded = EMBEDDED_KEY_HEADERS.find((name) => Object.prototype.hasOwnProperty.call(header, name));
  if (embedded !== undefined) {
    return failure('token_malformed', `header "${embedded}" is refused: keys come only from the trust domain`);
  }
  // crit/b64 change how the signature is computed; agent tokens never need them.
  if (header.crit !== undefined || header.b64 !== undefined) {
    return failure('token_malformed', 'critical header extensions are not accepted');
  }

  const alg = header.alg;
  if (!isAsymmetricAlg(alg)) {
    return failure('algorithm_not_allowed', `algorithm ${JSON.stringify(alg ?? null)} is never accepted`);
  }
  const kid = header.kid;
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID_LENGTH)) {
    return failure('token_malformed', 'kid must be a non-empty string of at most 256 characters');
  }

  const selection = selectTrustDomain(unverified, opts.trustDomains);
  if (!selection.ok) return failure(selection.reason, selection.detail);
  const trustDomain = selection.trustDomain;
  if (!trustDomain.allowedAlgs.includes(alg)) {
    return failure('algorithm_not_allowed', `trust domain ${trustDomain.name} does not allow ${alg}`);
  }

  const signature = await verifySignature(token, alg, kid, trustDomain, opts.keyResolver);
  if (!signature.ok) return failure(signature.reason, signature.detail);
  const claims = signature.payload;
  // From here on only the verified payload is read. Both decodes see the same bytes, but the
  // trust domain choice is re-derived from the verified claims rather than assumed to match.
  const reselected = selectTrustDomain(claims, opts.trustDomains);
  if (!reselected.ok || reselected.trustDomain.id !== trustDomain.id) {
    return failure('token_malformed', 'verified claims do not match the decoded claims');
  }

  const verified: VerifiedToken = { trustDomain, claims, who: tokenSubject(header, claims) };
  opts.signatureCache?.set(token, opts.trustDomains, verified, opts.now);
  return verified;
}

function failure(reason: AuthnReason, detail: string, subject: string | null = null): Failure {
  return { ok: false, reason, detail, subject };
}

export async function verifyAgentToken(
  token: string | undefined,
  opts: VerifyAgentTokenOptions,
): Promise<AuthnResult> {
  try {
    return await verify(token, opts);
  } catch (error) {
    return failure('token_signature_invalid', `token could not be verified: ${errorMessage(error)}`);
  }
}

async function verify(token: string | undefined, opts: VerifyAgentTokenOptions): Promise<AuthnResult> {
  if (typeof token !== 'string' || token.trim() === '') return failure('token_missing', 'no agent token presented');
  if (token.length > MAX_TOKEN_LENGTH) return failure('token_malformed', 'token is too long');
  // What depends only on the token and the trust domains is done once per token and trust-domain
  // list (signature-cache.ts); time, audience, identity and agent are checked on every call.
  const verified = opts.signatureCache?.get(token, opts.trustDomains, opts.now) ?? (await verifyTokenItself(token, opts));
  if (!('claims' in verified)) return verified;
  const { trustDomain, claims, who } = verified;
  const reported = who.ok ? who.value.subject : typeof claims.sub === 'string' ? claims.sub : null;

  const time = checkTimeClaims(claims, opts.now, trustDomain.maxTokenLifetimeSeconds);
  if (!time.ok) return failure(time.reason, time.detail, reported);
  const audience = checkAudience(claims.aud, opts.audience);
  if (!audience.ok) return failure(audience.reason, audience.detail, reported);
  if (!who.ok) return failure(who.reason, who.detail, reported);

  const { subject, kind, onBehalfOf } = who.value;
  let identity: IdentityRecord | undefined;
  let agent: AgentRecord | undefined;
  try {
    identity = opts.identities(trustDomain.id, kind, subject);
    agent = identity === undefined ? undefined : opts.agents(identity.agentId);
  } catch (error) {
    // The token is fine; we could not tell whose it is, which is the same as not knowing.
    return failure('identity_unknown', `identity lookup failed: ${errorMessage(error)}`, subject);
  }
  // Re-check what the lookup returned, so a lookup that is too loose (wrong trust domain, kind or
  // case-folded subject) cannot widen who authenticates.
  if (
    identity === undefined ||
    identity.trustDomainId !== trustDomain.id ||
    identity.kind !== kind ||
    identity.subject !== subject
  ) {
    return failure('identity_unknown', `no ${kind} identity for ${subject} in trust domain ${trustDomain.name}`, subject);
  }
  if (identity.status !== 'active') return failure('identity_disabled', `identity ${identity.id} is disabled`, subject);

  if (agent === undefined || agent.id !== identity.agentId) {
    return failure('identity_unknown', `identity ${identity.id} is bound to no known agent`, subject);
  }
  if (agent.status !== 'active') return failure('agent_suspended', `agent ${agent.name} is suspended`, subject);

  return {
    ok: true,
    identityId: identity.id,
    agentId: agent.id,
    subject,
    onBehalfOf,
    trustDomainId: trustDomain.id,
  };
}
