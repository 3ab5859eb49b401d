import { decide, type Action, type Decision } from '../policy';
import { verifyAgentToken, parseSpiffeId, type AuthnReason, type KeyResolver, type SignatureCache } from '../identity';
import { identityKey, type ServerRecord, type TenantSnapshot } from './snapshot-types';

// Authentication and authorization of one call, kept apart as API.md requires. Shared by the
// decision API, the batch endpoint and the console's simulator, so all three answer alike.

export interface SubjectInput {
  token?: string;
  spiffeId?: string;
}

export interface CheckInput {
  tool: string;
  action?: Action;
  resource?: string;
  context?: {
    environment?: string;
    onBehalfOf?: string;
    taskId?: string;
    arguments?: Record<string, unknown>;
  };
}

export interface Authentication {
  status: 'verified' | 'failed';
  reason: AuthnReason | null;
  detail: string | null;
  identityId: string | null;
  agentId: string | null;
  subject: string | null;
  onBehalfOf: string | null;
}

export async function authenticateSubject(
  snap: TenantSnapshot,
  server: ServerRecord,
  subject: SubjectInput,
  now: number,
  keyResolver: KeyResolver,
  signatureCache?: SignatureCache,
): Promise<Authentication> {
  const failed = (reason: AuthnReason, detail: string, subj: string | null = null): Authentication => ({
    status: 'failed',
    reason,
    detail,
    identityId: null,
    agentId: null,
    subject: subj,
    onBehalfOf: null,
  });

  if (subject.spiffeId !== undefined && subject.token === undefined) {
    // mTLS-terminating servers vouch for identities they verified themselves, if allowed to
    if (!server.mayAssertIdentity) return failed('token_missing', 'this server may not assert identities; send subject.token');
    const parsed = parseSpiffeId(subject.spiffeId);
    if (parsed.kind !== 'spiffe') return failed('token_malformed', 'subject.spiffeId is not a valid SPIFFE ID');
    const td = snap.trustDomains.find((t) => t.name === parsed.trustDomain);
    if (!td) return failed('issuer_unknown', `no trust domain ${parsed.trustDomain}`);
    const identity =
      snap.identities.get(identityKey(td.id, 'spiffe_asserted', subject.spiffeId)) ?? snap.identities.get(identityKey(td.id, 'spiffe_jwt', subject.spiffeId));
    if (!identity) return failed('identity_unknown', 'no identity is bound to this SPIFFE ID', subject.spiffeId);
    if (identity.status !== 'active') return failed('identity_disabled', 'the identity is disabled', subject.spiffeId);
    const agent = snap.agents.get(identity.agentId);
    if (!agent) return failed('identity_unknown', 'the identity has no agent', subject.spiffeId);
    if (agent.status !== 'active') return failed('agent_suspended', 'the agent is suspended', subject.spiffeId);
    return { status: 'verified', reason: null, detail: null, identityId: identity.id, agentId: agent.id, subject: subject.spiffeId, onBehalfOf: null };
  }

  const result = await verifyAgentToken(subject.token, {
    trustDomains: snap.trustDomains,
    identities: (trustDomainId, kind, subj) => snap.identities.get(identityKey(trustDomainId, kind, subj)),
    agents: (agentId) => snap.agents.get(agentId),
    audience: server.audience,
    now,
    keyResolver,
    signatureCache,
  });
  if (!result.ok) return failed(result.reason, result.detail, result.subject);
  return { status: 'verified', reason: null, detail: null, identityId: result.identityId, agentId: result.agentId, subject: result.subject, onBehalfOf: result.onBehalfOf };
}

const NOT_AUTHENTICATED: Omit<Decision, 'action'> = {
  allow: false,
  reason: 'not_authenticated',
  explanation: 'The caller could not be authenticated, so no grant was considered.',
  grantId: null,
  expiresAt: null,
  toolId: null,
  approvalRequired: false,
  consumesUse: false,
  cacheTtlSeconds: 0,
};

/** Authorization for an authenticated (or not) caller. Never allows without a verified agent. */
export function authorizeCheck(snap: TenantSnapshot, server: ServerRecord, authn: Authentication, check: CheckInput, now: number): Decision {
  const toolId = snap.index.toolsByServer.get(server.id)?.get(check.tool)?.tool.id ?? null;
  if (authn.status !== 'verified' || !authn.agentId) return { ...NOT_AUTHENTICATED, toolId, action: check.action ?? null };
  const claimed = check.context?.onBehalfOf;
  if (authn.onBehalfOf && claimed !== undefined && claimed !== authn.onBehalfOf) {
    return {
      allow: false,
      reason: 'delegation_mismatch',
      explanation: `The token acts for ${authn.onBehalfOf}, but the call claims ${claimed}; only the token's delegating user can be used.`,
      grantId: null,
      expiresAt: null,
      toolId,
      action: check.action ?? null,
      approvalRequired: false,
      consumesUse: false,
      cacheTtlSeconds: 0,
    };
  }
  return decide(
    snap.index,
    {
      agentId: authn.agentId,
      serverId: server.id,
      tool: check.tool,
      action: check.action,
      resource: check.resource,
      environment: check.context?.environment ?? server.environment,
      onBehalfOf: authn.onBehalfOf ?? claimed,
      taskId: check.context?.taskId,
      arguments: check.context?.arguments,
    },
    now,
  );
}
