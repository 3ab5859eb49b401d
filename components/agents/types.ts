// The console API's JSON shapes for agents (dates as ISO strings), as the client sees them.

export type AgentStatus = 'active' | 'suspended';
export type IdentityKind = 'spiffe_jwt' | 'oauth_client' | 'spiffe_asserted';
export type IdentityStatus = 'active' | 'disabled';

export interface AgentBase {
  id: string;
  name: string;
  description: string;
  ownerUserId: string | null;
  environment: string;
  status: AgentStatus;
  lastSeenAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AgentListItem extends AgentBase {
  identityCount: number;
  /** grants not revoked (expired ones included until the grants list says otherwise) */
  grantCount: number;
}

export interface IdentityDto {
  id: string;
  agentId: string;
  trustDomainId: string;
  kind: IdentityKind;
  subject: string;
  status: IdentityStatus;
  lastSeenAt: string | null;
  createdAt: string;
  trustDomain: { id: string; name: string };
}

export interface AgentDetail extends AgentBase {
  identities: IdentityDto[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface TrustDomainOption {
  id: string;
  name: string;
}

export const IDENTITY_KINDS: { value: IdentityKind; label: string }[] = [
  { value: 'spiffe_jwt', label: 'SPIFFE JWT-SVID' },
  { value: 'oauth_client', label: 'OAuth client' },
  { value: 'spiffe_asserted', label: 'SPIFFE ID asserted by an mTLS server' },
];

export function identityKindLabel(kind: IdentityKind): string {
  return IDENTITY_KINDS.find((k) => k.value === kind)?.label ?? kind;
}
