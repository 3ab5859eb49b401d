// The console API's JSON shapes for requests, approvals and break-glass. The services already
// answer with ISO strings, so their types are the client's types (type-only imports: nothing of
// lib/ reaches the browser bundle).

export type { RequestListItem, RequestDetail } from '@/lib/requests/console-requests';
export type { DecideResult } from '@/lib/requests/approvals';
export type { BreakGlassItem } from '@/lib/requests/break-glass';
export type { Eligibility } from '@/lib/requests/eligibility';

export type Action = 'read' | 'write' | 'admin' | 'export';
export const ACTIONS: Action[] = ['read', 'write', 'admin', 'export'];
export type Risk = 'low' | 'medium' | 'high' | 'critical';

export interface RequestOptions {
  agents: { id: string; name: string; environment: string }[];
  tools: { id: string; name: string; risk: Risk | null; defaultAction: Action; serverName: string; maxDurationSeconds: number | null; summary: string }[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
