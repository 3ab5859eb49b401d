// The console API's JSON shapes for tools (dates as ISO strings), as the client sees them.

export type ToolStatus = 'unclassified' | 'active' | 'disabled';
export type Risk = 'low' | 'medium' | 'high' | 'critical';
export type ToolAction = 'read' | 'write' | 'admin' | 'export';
export type Sensitivity = 'public' | 'internal' | 'confidential' | 'restricted';

export const RISKS: Risk[] = ['low', 'medium', 'high', 'critical'];
export const ACTIONS: ToolAction[] = ['read', 'write', 'admin', 'export'];
export const SENSITIVITIES: Sensitivity[] = ['public', 'internal', 'confidential', 'restricted'];

export const RISK_HINTS: Record<Risk, string> = {
  low: 'standing grants allowed, no approval for requests',
  medium: 'standing grants allowed; requests need one approval',
  high: 'just-in-time grants only, approved by a tool owner',
  critical: 'just-in-time only, approved by an owner and security',
};

export interface DefinitionFlag {
  changedAt: string;
  liveGrants: number;
}

export interface ToolListItem {
  id: string;
  serverId: string;
  name: string;
  title: string | null;
  description: string;
  annotations: Record<string, string | boolean> | null;
  status: ToolStatus;
  risk: Risk | null;
  suggestedRisk: Risk | null;
  defaultAction: ToolAction;
  sensitivity: Sensitivity;
  definitionChangedAt: string | null;
  lastSyncedAt: string | null;
  createdAt: string;
  server: { id: string; name: string; status: 'active' | 'disabled' };
  ownerCount: number;
  liveGrantCount: number;
  definitionFlag: DefinitionFlag | null;
}

export interface ToolOwnerDto {
  userId: string;
  createdAt: string;
  email: string | null;
  name: string | null;
  /** false once the person has left the tenant */
  isMember: boolean;
}

export interface ToolDetail {
  id: string;
  serverId: string;
  name: string;
  title: string | null;
  description: string;
  inputSchema: Record<string, unknown> | null;
  annotations: Record<string, string | boolean> | null;
  definitionHash: string;
  status: ToolStatus;
  risk: Risk | null;
  suggestedRisk: Risk | null;
  defaultAction: ToolAction;
  sensitivity: Sensitivity;
  definitionChangedAt: string | null;
  lastSyncedAt: string | null;
  createdAt: string;
  updatedAt: string;
  server: { id: string; name: string; status: 'active' | 'disabled'; audience: string };
  owners: ToolOwnerDto[];
  liveGrantCount: number;
  versionCount: number;
  definitionFlag: DefinitionFlag | null;
}

export interface DiffLine {
  op: 'same' | 'add' | 'del';
  text: string;
}

export interface ToolVersion {
  id: string;
  createdAt: string;
  source: string;
  hash: string;
  liveGrants: number;
  description: string;
  inputSchema: unknown;
  annotations: unknown;
  actor: { type: string; label: string | null } | null;
  changes: { description: DiffLine[] | null; inputSchema: DiffLine[] | null; annotations: DiffLine[] | null } | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
