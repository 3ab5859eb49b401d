// Builders for tests and benchmarks: complete, valid records with overridable fields, so each
// test spells out only the fact it is about.

import type { DecisionRequest, PolicyDenyRule, PolicyGrant, PolicyTool } from './types';

export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
export const HOUR = 3_600_000;

export function tool(overrides: Partial<PolicyTool> = {}): PolicyTool {
  return {
    id: 'tool_refund',
    serverId: 'srv_billing',
    name: 'create_refund',
    status: 'active',
    risk: 'low',
    defaultAction: 'write',
    ...overrides,
  };
}

export function grant(overrides: Partial<PolicyGrant> = {}): PolicyGrant {
  return {
    id: 'grant_1',
    agentId: 'agt_billing',
    toolId: 'tool_refund',
    kind: 'standing',
    actions: ['read', 'write'],
    resourcePatterns: [],
    environments: [],
    notBefore: null,
    expiresAt: null,
    maxUses: null,
    uses: 0,
    condition: null,
    delegation: 'allowed',
    delegationUsers: [],
    revokedAt: null,
    ...overrides,
  };
}

export function denyRule(overrides: Partial<PolicyDenyRule> = {}): PolicyDenyRule {
  return {
    id: 'deny_1',
    agentId: null,
    toolId: null,
    resourcePattern: null,
    environment: null,
    reason: 'incident freeze',
    ...overrides,
  };
}

export function request(overrides: Partial<DecisionRequest> = {}): DecisionRequest {
  return { agentId: 'agt_billing', serverId: 'srv_billing', tool: 'create_refund', ...overrides };
}
