// The console API's JSON shapes for the audit trail (dates as ISO strings, seq as a string).

export interface AuditItem {
  id: string;
  seq: string;
  time: string;
  actorType: 'user' | 'server' | 'system';
  actorId: string | null;
  actorLabel: string | null;
  event: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

export interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
}

export type ChainVerification =
  | { ok: true; checked: number; headSeq: string | null }
  | { ok: false; checked: number; brokenAt: { seq: string; id: string; problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' } };

export interface ChainStatus {
  result: ChainVerification;
  verifiedAt: string;
  checkpoint: { seq: string; createdAt: string } | null;
  brokenEvent: { id: string; seq: string; time: string; event: string; targetType: string; targetId: string | null; actorLabel: string | null } | null;
}

export interface RetentionSettings {
  decisionRetentionDays: number;
  auditRetention: 'forever';
}
