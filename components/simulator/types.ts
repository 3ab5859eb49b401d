import type { GrantAction, GrantKind, Delegation } from '@/components/grants/types';

/** The simulator's answer: the decision API's fields plus the matching grant and use note. */
export interface SimulationDto {
  allow: boolean;
  authentication: {
    status: 'verified' | 'failed';
    reason: string | null;
    detail: string | null;
    identityId: string | null;
    agentId: string | null;
    subject: string | null;
    onBehalfOf: string | null;
  };
  authorization: {
    decision: 'allow' | 'deny';
    reason: string;
    explanation: string;
    grantId: string | null;
    expiresAt: string | null;
    approval: { required: boolean };
  };
  consumesUse: boolean;
  cacheTtlSeconds: number;
  /** from the policy snapshot: times are epoch milliseconds */
  grant: {
    id: string;
    agentId: string;
    toolId: string;
    kind: GrantKind;
    actions: GrantAction[];
    resourcePatterns: string[];
    environments: string[];
    notBefore: number | null;
    expiresAt: number | null;
    maxUses: number | null;
    uses: number;
    condition: string | null;
    delegation: Delegation;
    delegationUsers: string[];
  } | null;
}

export interface SimulationInput {
  serverId: string;
  agentId?: string;
  token?: string;
  tool: string;
  action?: GrantAction;
  resource?: string;
  environment?: string;
  onBehalfOf?: string;
  taskId?: string;
  arguments?: Record<string, unknown>;
}
