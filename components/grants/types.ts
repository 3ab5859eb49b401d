// The console API's JSON shapes for grants (dates as ISO strings), as the client sees them.

export type Risk = 'low' | 'medium' | 'high' | 'critical';
export type GrantAction = 'read' | 'write' | 'admin' | 'export';
export type GrantKind = 'standing' | 'jit' | 'break_glass';
export type GrantStatus = 'active' | 'expired' | 'revoked';
export type Delegation = 'required' | 'allowed' | 'forbidden';
export type ToolStatus = 'unclassified' | 'active' | 'disabled';

export const ACTIONS: GrantAction[] = ['read', 'write', 'admin', 'export'];
export const RISKS: Risk[] = ['low', 'medium', 'high', 'critical'];
export const KINDS: { value: GrantKind; label: string }[] = [
  { value: 'standing', label: 'Standing' },
  { value: 'jit', label: 'Just-in-time' },
  { value: 'break_glass', label: 'Break-glass' },
];
export const DELEGATIONS: { value: Delegation; label: string; hint: string }[] = [
  { value: 'allowed', label: 'Allowed', hint: 'the agent may call on its own or on a user’s behalf' },
  { value: 'required', label: 'Required', hint: 'only calls made on a user’s behalf are allowed' },
  { value: 'forbidden', label: 'Forbidden', hint: 'only calls the agent makes on its own are allowed' },
];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface GrantDto {
  id: string;
  agentId: string;
  toolId: string;
  kind: GrantKind;
  actions: GrantAction[];
  resourcePatterns: string[];
  environments: string[];
  notBefore: string | null;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
  condition: string | null;
  delegation: Delegation;
  delegationUsers: string[];
  justification: string | null;
  sourceRequestId: string | null;
  createdById: string | null;
  createdAt: string;
  updatedAt: string;
  revokedAt: string | null;
  revokedById: string | null;
  revokeReason: string | null;
  status: GrantStatus;
  agent: { id: string; name: string; status: 'active' | 'suspended' };
  tool: { id: string; name: string; risk: Risk | null; status: ToolStatus; defaultAction: GrantAction; server: { id: string; name: string } };
}

export interface GrantDetailDto extends GrantDto {
  createdBy: { id: string; email: string; name: string } | null;
  revokedBy: { id: string; email: string; name: string } | null;
}

export interface AgentOption {
  id: string;
  name: string;
  status: 'active' | 'suspended';
  environment: string;
}
export interface ServerOption {
  id: string;
  name: string;
  environment: string;
  status: 'active' | 'disabled';
}
export interface ToolOption {
  id: string;
  name: string;
  serverId: string;
  status: ToolStatus;
  risk: Risk | null;
  defaultAction: GrantAction;
}
export interface GrantOptions {
  agents: AgentOption[];
  servers: ServerOption[];
  tools: ToolOption[];
  truncated: boolean;
}

export interface ToolPolicy {
  tool: { id: string; name: string; status: ToolStatus; risk: Risk | null; defaultAction: GrantAction };
  standingAllowed: boolean;
  maxDurationSeconds: number | null;
  singleUse: boolean;
  approvalsRequired: number;
  approvers: string;
  summary: string;
}

export interface MatrixDto {
  servers: { id: string; name: string }[];
  server: { id: string; name: string } | null;
  tools: { id: string; name: string; risk: Risk | null; status: ToolStatus }[];
  agents: { id: string; name: string; status: 'active' | 'suspended' }[];
  cells: { agentId: string; toolId: string; grantCount: number; actions: GrantAction[]; kinds: GrantKind[]; expiresAt: string | null }[];
  truncated: boolean;
}

export interface GrantFilters {
  agentId: string;
  toolId: string;
  serverId: string;
  risk: '' | Risk;
  kind: '' | GrantKind;
  status: '' | GrantStatus;
  expiringWithinHours: string;
}

export const EMPTY_FILTERS: GrantFilters = { agentId: '', toolId: '', serverId: '', risk: '', kind: '', status: '', expiringWithinHours: '' };

export type ConditionCheck = { ok: true } | { ok: false; message: string; position: number | null };

export function kindLabel(kind: GrantKind): string {
  return KINDS.find((k) => k.value === kind)?.label ?? kind;
}
