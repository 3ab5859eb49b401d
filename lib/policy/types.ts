// The policy engine's data model. Plain data only: the decision service builds a PolicyData
// from Postgres (or the SDK from a served snapshot), compile() turns it into an index once,
// and decide() answers from that index with no I/O.

export const ACTIONS = ['read', 'write', 'admin', 'export'] as const;
export type Action = (typeof ACTIONS)[number];

export const RISKS = ['low', 'medium', 'high', 'critical'] as const;
export type Risk = (typeof RISKS)[number];

export type ToolStatus = 'unclassified' | 'active' | 'disabled';
export type GrantKind = 'standing' | 'jit' | 'break_glass';
export type DelegationMode = 'required' | 'allowed' | 'forbidden';

export interface PolicyTool {
  id: string;
  serverId: string;
  name: string;
  status: ToolStatus;
  /** null while unclassified */
  risk: Risk | null;
  defaultAction: Action;
}

export interface PolicyGrant {
  id: string;
  agentId: string;
  toolId: string;
  kind: GrantKind;
  actions: Action[];
  /** `*` wildcards; empty list means any resource */
  resourcePatterns: string[];
  /** empty list means any environment */
  environments: string[];
  /** epoch milliseconds, or null for unbounded */
  notBefore: number | null;
  expiresAt: number | null;
  /** null = unlimited */
  maxUses: number | null;
  uses: number;
  /** CEL expression over `args` and `context`; null = no condition */
  condition: string | null;
  delegation: DelegationMode;
  /** when non-empty, only these delegating users (onBehalfOf) are allowed */
  delegationUsers: string[];
  /** revoked grants are normally left out of the data; kept here for completeness */
  revokedAt: number | null;
}

export interface PolicyDenyRule {
  id: string;
  /** null = any agent */
  agentId: string | null;
  /** null = any tool */
  toolId: string | null;
  resourcePattern: string | null;
  environment: string | null;
  reason: string;
}

export interface PolicyData {
  tools: PolicyTool[];
  grants: PolicyGrant[];
  denyRules: PolicyDenyRule[];
}

export interface DecisionRequest {
  /** the authenticated agent */
  agentId: string;
  /** the MCP server asking; tools are looked up by (serverId, name) */
  serverId: string;
  tool: string;
  /** omitted → the tool's default action */
  action?: Action;
  resource?: string;
  environment?: string;
  /** the delegating user, when the call is made on a user's behalf */
  onBehalfOf?: string;
  taskId?: string;
  arguments?: Record<string, unknown>;
}

export const AUTHZ_REASONS = [
  'granted',
  'no_grant',
  'action_not_granted',
  'resource_not_granted',
  'environment_not_granted',
  'grant_expired',
  'grant_not_yet_valid',
  'grant_exhausted',
  'condition_failed',
  'delegation_required',
  'delegation_mismatch',
  'approval_required',
  'denied_by_rule',
  'tool_unknown',
  'tool_unclassified',
  'tool_disabled',
  'not_authenticated',
] as const;
export type AuthzReason = (typeof AUTHZ_REASONS)[number];

export interface Decision {
  allow: boolean;
  reason: AuthzReason;
  /** one sentence: why, and what would have allowed the call */
  explanation: string;
  /** the grant that allowed the call (allow), or the closest grant that failed (deny), if any */
  grantId: string | null;
  /** epoch ms: when the allowing grant ends, if it does */
  expiresAt: number | null;
  /** the resolved tool (for logging), null when unknown */
  toolId: string | null;
  /** the action evaluated (request's or the tool's default) */
  action: Action | null;
  /** true when the answer needs human approval to become an allow */
  approvalRequired: boolean;
  /** the allowing grant counts uses: the caller must consume one atomically before answering */
  consumesUse: boolean;
  /** how long this exact answer may be reused (0 for denies, N-use grants, argument conditions) */
  cacheTtlSeconds: number;
}
