import type { DecisionLogItem } from '@/lib/decision-log/query';

// The console API's JSON shapes for the decision log (dates as ISO strings), as the client sees them.

// the service's row, as JSON carries it: one definition of the fields (type-only import)
export type DecisionItem = Omit<DecisionLogItem, 'time' | 'context'> & { time: string; context: Record<string, unknown> | null };

export interface DecisionPage {
  items: DecisionItem[];
  nextCursor: string | null;
}

export interface DecisionStats {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
  truncated: boolean;
  series: { t: string; allow: number; deny: number }[];
  topDenyReasons: { reason: string; authnReason: string | null; count: number }[];
}

export interface FilterOptions {
  servers: { id: string; name: string }[];
  agents: { id: string; name: string }[];
  tools: { id: string; name: string; serverName: string | null }[];
}

export interface UserRef {
  id: string;
  email: string;
  name?: string;
}

export interface GrantDto {
  id: string;
  agentId: string;
  toolId: string;
  kind: 'standing' | 'jit' | 'break_glass';
  actions: string[];
  resourcePatterns: string[];
  environments: string[];
  notBefore: string | null;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
  condition: string | null;
  delegation: string;
  delegationUsers: string[];
  justification: string | null;
  sourceRequestId: string | null;
  createdById: string | null;
  createdByEmail: string | null;
  createdAt: string;
  revokedAt: string | null;
  revokedById: string | null;
  revokedByEmail: string | null;
  revokeReason: string | null;
  agent: { name: string };
  tool: { name: string };
}

export interface AccessRequestDto {
  id: string;
  status: string;
  actions: string[];
  resource: string | null;
  durationSeconds: number;
  justification: string;
  taskId: string | null;
  onBehalfOf: string | null;
  requestedBy: UserRef | null;
  requestedByServerId: string | null;
  expiresAt: string;
  decidedAt: string | null;
  completedAt: string | null;
  createdAt: string;
  approvals: { id: string; verdict: 'approve' | 'deny'; asRole: string; comment: string; createdAt: string; approver: UserRef | null; approverUserId: string }[];
}

export interface DecisionDetail {
  decision: DecisionItem;
  authentication: {
    status: 'verified' | 'failed' | 'unknown';
    reason: string | null;
    subject: string | null;
    identity: { id: string; kind: string; subject: string; status: string; trustDomain: { id: string; name: string } } | null;
    agent: { id: string; name: string; status: string; environment: string } | null;
    onBehalfOf: string | null;
  };
  server: { id: string; name: string; audience: string; environment: string } | null;
  tool: { id: string; name: string; risk: string | null; status: string; defaultAction: string } | null;
  grant: GrantDto | null;
  grantMissing: boolean;
  accessRequest: AccessRequestDto | null;
}
