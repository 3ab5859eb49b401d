// The SDK's public data types. Wire shapes follow the machine API contract (API.md) exactly; the
// engine's own types come from lib/policy and lib/identity, the same code the API runs.

import type { Action, AuthzReason } from '../../lib/policy/index.js';
import type { AuthnReason } from '../../lib/identity/index.js';

export type { Action, AuthzReason, AuthnReason };

export const ACTION_NAMES: readonly Action[] = ['read', 'write', 'admin', 'export'];

/** `remote`: ask the API on every call. `local`: decide in-process from a live snapshot. */
export type DecisionMode = 'remote' | 'local';

/**
 * Why the SDK refused on its own, without a policy answer: the API could not be asked (timeout,
 * network error, 5xx, rate limit, rejected server key), no current snapshot, or the local
 * decision log buffer is full (a decision that cannot be logged is not made).
 */
export type FailClosedReason = 'unavailable' | 'decision_log_full';

export interface Authentication {
  status: 'verified' | 'failed';
  reason: AuthnReason | null;
  detail: string | null;
  identityId: string | null;
  agentId: string | null;
  subject: string | null;
  onBehalfOf: string | null;
}

export interface CheckContext {
  environment?: string;
  onBehalfOf?: string;
  taskId?: string;
  arguments?: Record<string, unknown>;
}

/** One question: may the token's agent make this call? */
export interface Check {
  tool: string;
  /** omitted → the tool's classified default action */
  action?: Action;
  resource?: string;
  context?: CheckContext;
}

export interface ToolDecision {
  allow: boolean;
  /** null when the SDK failed closed or reused a cached answer (nothing new was logged) */
  decisionId: string | null;
  /** where the answer came from */
  source: 'remote' | 'local' | 'cache' | 'fail_closed';
  /** null when the SDK failed closed before anyone authenticated the caller */
  authentication: Authentication | null;
  reason: AuthzReason | FailClosedReason;
  explanation: string;
  grantId: string | null;
  /** ISO 8601, when the allowing grant ends */
  expiresAt: string | null;
  /** a human approval (access request) could turn this deny into an allow */
  approvalRequired: boolean;
  /** the action evaluated, when known (local mode, or configured for the tool) */
  action: Action | null;
  cacheTtlSeconds: number;
}

export interface BatchDecision {
  authentication: Authentication | null;
  results: ToolDecision[];
}

export interface AccessRequestInput {
  tool: string;
  actions: Action[];
  resource?: string;
  /** 60 s … 30 days */
  durationSeconds: number;
  /** at least 10 characters: why the agent needs it */
  justification: string;
  taskId?: string;
}

export type AccessRequestStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled';

export interface AccessRequestState {
  id: string;
  status: AccessRequestStatus;
  expiresAt: string;
  decidedAt?: string;
  grantId?: string;
  grantExpiresAt?: string;
  grantRevokedAt?: string;
  completedAt?: string;
  /** true when an identical pending request already existed and was returned (creation only) */
  existing?: boolean;
}

/** What a decision log upload entry carries (API.md POST /api/v1/decision-logs). */
export interface DecisionLogEntry {
  decisionId: string;
  time: string;
  tool: string;
  action?: Action;
  resource?: string;
  allow: boolean;
  reason: AuthzReason;
  authnReason?: AuthnReason;
  explanation?: string;
  identityId?: string;
  agentId?: string;
  subject?: string;
  onBehalfOf?: string;
  grantId?: string;
  taskId?: string;
  latencyUs?: number;
}

/** Reported through `onDecision`, for metrics and tests. Never contains the token. */
export interface DecisionEvent {
  check: Check;
  decision: ToolDecision;
}

export type ToolwardenErrorKind = 'snapshot' | 'decision_logs' | 'tools_sync' | 'policy_watch' | 'decision';

export interface ToolwardenOptions {
  /**
   * Where the Toolwarden API is, e.g. `http://127.0.0.1:3000`. A function is called per request,
   * so the address can change while the process runs (failover, service discovery).
   */
  baseUrl: string | URL | (() => string | URL);
  /** this MCP server's key, `twk_…` */
  serverKey: string;
  /** default `remote` */
  mode?: DecisionMode;
  /** per decision request; the call is refused when no answer comes in time. Default 1000 ms. */
  timeoutMs?: number;
  /**
   * Reuse allow answers for the `cacheTtlSeconds` the API grants (remote mode). Answers are only
   * reused while the SDK is subscribed to this server's policy changes (after `start()`), and
   * every change drops them, so a revocation is seen within the API's own propagation time.
   * Default true.
   */
  cache?: boolean | { maxEntries?: number; maxTtlSeconds?: number };
  /** local mode: refuse every call when the snapshot could not be confirmed current for this long. Default 10 min. */
  maxSnapshotAgeMs?: number;
  /** long-poll hold for snapshot changes, seconds (≤ 60). Default 30. */
  snapshotWaitSeconds?: number;
  /** local mode: decision log upload */
  decisionLogs?: {
    /** entries kept while the API is unreachable; when full, calls are denied. Default 10 000. */
    maxBuffered?: number;
    /** ≤ 1000. Default 1000. */
    batchSize?: number;
    /** gather entries this long before an upload. Default 250 ms. */
    flushIntervalMs?: number;
  };
  /** retry backoff for snapshot polling and log uploads */
  backoff?: { initialMs?: number; maxMs?: number };
  /** how long `start()` waits for the first snapshot (local mode). Default 5000 ms. */
  startTimeoutMs?: number;
  fetch?: typeof fetch;
  onDecision?: (event: DecisionEvent) => void;
  onError?: (error: Error, kind: ToolwardenErrorKind) => void;
  /** sent as User-Agent */
  userAgent?: string;
}
