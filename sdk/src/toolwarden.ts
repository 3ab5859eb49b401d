// The Toolwarden client of one MCP server (one server key): decisions (remote or local), tool
// registration, access requests. The MCP wiring is in protect.ts, the HTTP auth in http-auth.ts.
//
// Fail closed everywhere: no answer in time, a network error, a 5xx, a body that is not a
// decision, no current snapshot, a full log buffer — each is a deny, never an allow.

import { createKeyResolver, SignatureCache, type KeyResolver } from '../../lib/identity/index.js';
import type { Decision } from '../../lib/policy/index.js';
import { decodeJwt } from 'jose';
import { ApiClient, ApiError, asError } from './api-client.js';
import { DecisionCache, decisionCacheKey } from './decision-cache.js';
import { LocalPolicy } from './local-engine.js';
import { DecisionLogUploader } from './log-uploader.js';
import { PolicyWatch } from './policy-watch.js';
import { protect, readServerTools, type ProtectableServer, type ProtectOptions } from './protect.js';
import { newDecisionId } from './ulid.js';
import type {
  AccessRequestInput,
  AccessRequestState,
  Authentication,
  BatchDecision,
  Check,
  DecisionLogEntry,
  DecisionMode,
  FailClosedReason,
  ToolDecision,
  ToolwardenErrorKind,
  ToolwardenOptions,
} from './types.js';

export const SDK_VERSION = '0.1.0';
const MAX_BATCH_CHECKS = 100;
/** the API refuses bodies over 64 KiB; arguments beyond this are not sent (conditions then fail) */
const MAX_ARGUMENTS_BYTES = 32 * 1024;
const AUTH_FAILURE_MEMORY_MS = 60_000;
/**
 * A server's snapshot holds only the agents its grants name (and their identities and trust
 * domains). A token whose issuer or identity is not in it may still be a valid agent without a
 * grant here: local mode asks the API about those instead of calling them unauthenticated —
 * authentication is not authorization, and must not depend on what the agent was granted.
 */
const NOT_IN_SNAPSHOT: ReadonlySet<string> = new Set(['identity_unknown', 'issuer_unknown']);
const AUTH_FAILURE_MEMORY_MAX = 5_000;

interface WireAuthentication extends Authentication {}
interface WireAuthorization {
  decision: 'allow' | 'deny';
  reason: ToolDecision['reason'];
  explanation: string;
  grantId: string | null;
  expiresAt: string | null;
  approval?: { required: boolean; requestUrl: string | null };
}
interface WireDecision {
  decisionId: string;
  allow: boolean;
  authentication: WireAuthentication;
  authorization: WireAuthorization;
  cacheTtlSeconds: number;
}
interface WireBatch {
  authentication: WireAuthentication;
  results: Omit<WireDecision, 'authentication'>[];
}

/** A tool as sent to POST /api/v1/tools/sync. */
export interface SyncTool {
  name: string;
  title?: string | null;
  description?: string | null;
  inputSchema?: Record<string, unknown> | null;
  annotations?: {
    title?: string | null;
    readOnlyHint?: boolean | null;
    destructiveHint?: boolean | null;
    idempotentHint?: boolean | null;
    openWorldHint?: boolean | null;
  } | null;
}

export interface ToolSyncResult {
  created: number;
  updated: number;
  unchanged: number;
  missing: string[];
  tools: { id: string; name: string; status: 'unclassified' | 'active' | 'disabled'; risk: string | null; suggestedRisk: string | null }[];
}

export interface CheckOptions {
  /** the MCP request's signal: a cancelled call stops waiting for its decision */
  signal?: AbortSignal;
}

export interface ToolwardenStatus {
  mode: DecisionMode;
  started: boolean;
  policyWatch: 'following' | 'disconnected' | 'off';
  snapshot: { version: string; ageMs: number; audience: string } | null;
  pendingDecisionLogs: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseAuthentication(v: unknown): Authentication {
  if (!isRecord(v) || (v.status !== 'verified' && v.status !== 'failed')) throw new ApiError('malformed', 'the answer has no authentication');
  const str = (x: unknown) => (typeof x === 'string' ? x : null);
  return {
    status: v.status,
    reason: str(v.reason) as Authentication['reason'],
    detail: str(v.detail),
    identityId: str(v.identityId),
    agentId: str(v.agentId),
    subject: str(v.subject),
    onBehalfOf: str(v.onBehalfOf),
  };
}

/** One result of the decision API as a ToolDecision; throws (→ fail closed) on anything odd. */
function parseResult(v: unknown, authentication: Authentication, check: Check): ToolDecision {
  if (!isRecord(v) || typeof v.allow !== 'boolean' || !isRecord(v.authorization)) throw new ApiError('malformed', 'the answer is not a decision');
  const a = v.authorization as unknown as WireAuthorization;
  if (typeof a.reason !== 'string' || typeof a.explanation !== 'string') throw new ApiError('malformed', 'the answer has no authorization reason');
  // an allow needs all three to agree; any disagreement is a deny
  const allow = v.allow === true && a.decision === 'allow' && authentication.status === 'verified';
  const ttl = typeof v.cacheTtlSeconds === 'number' && Number.isFinite(v.cacheTtlSeconds) ? Math.max(0, Math.floor(v.cacheTtlSeconds)) : 0;
  return {
    allow,
    decisionId: typeof v.decisionId === 'string' ? v.decisionId : null,
    source: 'remote',
    authentication,
    reason: allow ? a.reason : a.reason === 'granted' ? 'no_grant' : a.reason,
    explanation: a.explanation,
    grantId: typeof a.grantId === 'string' ? a.grantId : null,
    expiresAt: typeof a.expiresAt === 'string' ? a.expiresAt : null,
    approvalRequired: a.approval?.required === true,
    action: check.action ?? null,
    cacheTtlSeconds: allow ? ttl : 0,
  };
}

function failClosed(reason: FailClosedReason, explanation: string, check: Check): ToolDecision {
  return {
    allow: false,
    decisionId: null,
    source: 'fail_closed',
    authentication: null,
    reason,
    explanation,
    grantId: null,
    expiresAt: null,
    approvalRequired: false,
    action: check.action ?? null,
    cacheTtlSeconds: 0,
  };
}

/** the token's `exp` in ms, unverified: only ever used to shorten how long an answer is reused */
function tokenExpiry(token: string | undefined): number | null {
  if (!token) return null;
  try {
    const exp = decodeJwt(token).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** The request body's check, without undefined fields and with oversized arguments left out. */
export function wireCheck(check: Check): Record<string, unknown> {
  const out: Record<string, unknown> = { tool: check.tool };
  if (check.action !== undefined) out.action = check.action;
  if (check.resource !== undefined) out.resource = check.resource;
  if (check.context) {
    const context: Record<string, unknown> = {};
    for (const key of ['environment', 'onBehalfOf', 'taskId'] as const) {
      if (check.context[key] !== undefined) context[key] = check.context[key];
    }
    const args = check.context.arguments;
    if (args !== undefined) {
      const size = Buffer.byteLength(JSON.stringify(args) ?? '');
      if (size <= MAX_ARGUMENTS_BYTES) context.arguments = args;
    }
    if (Object.keys(context).length) out.context = context;
  }
  return out;
}

function clip(value: string | null | undefined, max: number): string | undefined {
  if (value === null || value === undefined) return undefined;
  return value.length > max ? value.slice(0, max) : value;
}

export class Toolwarden {
  readonly mode: DecisionMode;
  private readonly client: ApiClient;
  private readonly timeoutMs: number;
  private readonly cache: DecisionCache | null;
  private readonly watch: PolicyWatch;
  private readonly logs: DecisionLogUploader | null;
  private readonly keyResolver: KeyResolver = createKeyResolver();
  private readonly signatures = new SignatureCache();
  private readonly maxSnapshotAgeMs: number;
  private readonly startTimeoutMs: number;
  private local: LocalPolicy | null = null;
  private serverAudience: string | null = null;
  private started = false;
  private closed = false;
  private authFailures = new Map<string, { authentication: Authentication; until: number }>();
  private autoSyncState: 'idle' | 'running' | 'done' = 'idle';

  constructor(private readonly opts: ToolwardenOptions) {
    if (!opts.serverKey) throw new Error('Toolwarden: serverKey is required (twk_…)');
    if (!opts.baseUrl) throw new Error('Toolwarden: baseUrl is required');
    this.mode = opts.mode ?? 'remote';
    if (this.mode !== 'remote' && this.mode !== 'local') throw new Error(`Toolwarden: unknown mode ${String(this.mode)}`);
    this.timeoutMs = opts.timeoutMs ?? 1000;
    this.client = new ApiClient(opts.baseUrl, opts.serverKey, opts.fetch, opts.userAgent ?? `toolwarden-mcp/${SDK_VERSION}`);
    const waitSeconds = Math.min(60, Math.max(1, Math.floor(opts.snapshotWaitSeconds ?? 30)));
    // a long poll legitimately goes this long without an answer; staleness below it would flap
    this.maxSnapshotAgeMs = Math.max(opts.maxSnapshotAgeMs ?? 10 * 60_000, (waitSeconds + 10) * 1000);
    this.startTimeoutMs = opts.startTimeoutMs ?? 5000;

    const cacheOpt = opts.cache ?? true;
    this.cache =
      this.mode === 'remote' && cacheOpt !== false
        ? new DecisionCache(cacheOpt === true ? undefined : cacheOpt.maxEntries, cacheOpt === true ? undefined : cacheOpt.maxTtlSeconds)
        : null;

    this.watch = new PolicyWatch({
      client: this.client,
      waitSeconds,
      backoff: opts.backoff,
      onSnapshot: (body, etag) => {
        if (this.mode === 'local') this.local = LocalPolicy.fromSnapshot(body, etag);
        const server = isRecord(body) && isRecord(body.server) ? body.server : null;
        if (server && typeof server.audience === 'string') this.serverAudience = server.audience;
        // any change may revoke what a cached answer allowed
        this.cache?.clear();
      },
      onDisconnect: () => this.cache?.clear(),
      onError: (e) => this.report(e, 'policy_watch'),
    });

    this.logs =
      this.mode === 'local'
        ? new DecisionLogUploader({
            client: this.client,
            maxBuffered: opts.decisionLogs?.maxBuffered,
            batchSize: opts.decisionLogs?.batchSize,
            flushIntervalMs: opts.decisionLogs?.flushIntervalMs,
            backoff: opts.backoff,
            onError: (e) => this.report(e, 'decision_logs'),
          })
        : null;
  }

  /**
   * Subscribes to this server's policy: in local mode the snapshot everything is decided from
   * (until the first one arrives every call is denied), in remote mode the change feed that makes
   * reusing answers safe. Waits up to `startTimeoutMs` for the first snapshot and never throws
   * for an unreachable API (onError reports it; the SDK keeps trying). Idempotent.
   */
  async start(): Promise<void> {
    if (this.closed) throw new Error('Toolwarden: closed');
    if (this.started) return;
    this.started = true;
    this.watch.start();
    // remote mode waits too: the first answer also warms the API's caches for this tenant
    const ok = await this.watch.firstSnapshot(this.startTimeoutMs);
    if (!ok) {
      const consequence = this.mode === 'local' ? 'every call is denied until one arrives' : 'answers are not reused until it arrives';
      this.report(new Error(`no policy snapshot within ${this.startTimeoutMs} ms; ${consequence}`), 'snapshot');
    }
  }

  /** Stops following the policy and uploads buffered decision logs (up to flushTimeoutMs). */
  async close(opts: { flushTimeoutMs?: number } = {}): Promise<{ unsentDecisionLogs: number }> {
    if (this.closed) return { unsentDecisionLogs: 0 };
    this.closed = true;
    this.watch.stop();
    let unsent = 0;
    if (this.logs) {
      await this.logs.flush(opts.flushTimeoutMs ?? 5000);
      unsent = this.logs.stop().length;
      if (unsent) this.report(new Error(`${unsent} decision log entries could not be uploaded before close`), 'decision_logs');
    }
    this.cache?.clear();
    return { unsentDecisionLogs: unsent };
  }

  /** uploads buffered local decisions now; true when none are left */
  flushDecisionLogs(timeoutMs = 10_000): Promise<boolean> {
    return this.logs ? this.logs.flush(timeoutMs) : Promise.resolve(true);
  }

  get status(): ToolwardenStatus {
    const policy = this.local;
    return {
      mode: this.mode,
      started: this.started && !this.closed,
      policyWatch: !this.started || this.closed ? 'off' : this.watch.healthy ? 'following' : 'disconnected',
      snapshot: policy ? { version: policy.version, ageMs: Date.now() - this.watch.lastConfirmedAt, audience: policy.audience } : null,
      pendingDecisionLogs: this.logs?.pending ?? 0,
    };
  }

  /** The audience agent tokens must carry, once the first snapshot told (after start()). */
  get audience(): string | null {
    return this.local?.audience ?? this.serverAudience;
  }

  // ───────────────────────────── decisions ─────────────────────────────

  /** May the token's agent make this call? Never throws; every failure is a deny. */
  async check(token: string | undefined, check: Check, opts: CheckOptions = {}): Promise<ToolDecision> {
    let decision: ToolDecision;
    try {
      decision = this.mode === 'local' ? await this.localCheck(token, check, opts) : await this.remoteCheck(token, check, opts, true);
    } catch (error) {
      this.report(asError(error), 'decision');
      decision = failClosed('unavailable', `the decision failed: ${asError(error).message}`, check);
    }
    this.observe(token, check, decision);
    return decision;
  }

  /** Several checks for one token, one authentication (POST /api/v1/decisions/batch). */
  async checkMany(token: string | undefined, checks: Check[], opts: CheckOptions = {}): Promise<BatchDecision> {
    if (checks.length === 0) return { authentication: null, results: [] };
    let batch: BatchDecision;
    try {
      batch = this.mode === 'local' ? await this.localBatch(token, checks, opts, false) : await this.remoteBatch(token, checks, opts);
    } catch (error) {
      this.report(asError(error), 'decision');
      batch = { authentication: null, results: checks.map((c) => failClosed('unavailable', `the decision failed: ${asError(error).message}`, c)) };
    }
    checks.forEach((c, i) => this.observe(token, c, batch.results[i]!));
    return batch;
  }

  /**
   * Which of these tools the caller may call at all, for tools/list. A deny that depends on the
   * call's own resource or arguments (resource_not_granted, condition_failed) keeps the tool
   * listed — the call itself is decided in full. Local mode does not spend uses of N-use grants
   * on a listing.
   * @internal used by protect()
   */
  async listable(token: string | undefined, checks: Check[], opts: CheckOptions = {}): Promise<{ authentication: Authentication | null; visible: boolean[] }> {
    if (checks.length === 0) return { authentication: await this.authenticate(token), visible: [] };
    let batch: BatchDecision;
    try {
      batch = this.mode === 'local' ? await this.localBatch(token, checks, opts, true) : await this.remoteBatch(token, checks, opts);
    } catch (error) {
      this.report(asError(error), 'decision');
      batch = { authentication: null, results: checks.map((c) => failClosed('unavailable', asError(error).message, c)) };
    }
    checks.forEach((c, i) => this.observe(token, c, batch.results[i]!));
    const visible = batch.results.map(
      (d) => d.allow || (d.authentication?.status === 'verified' && (d.reason === 'resource_not_granted' || d.reason === 'condition_failed')),
    );
    return { authentication: batch.authentication, visible };
  }

  /**
   * Who the token is, as far as the SDK can tell without a decision: local mode verifies it
   * against the snapshot; remote mode knows only failures the API reported recently.
   * null = not known here (the decision will authenticate).
   */
  async authenticate(token: string | undefined): Promise<Authentication | null> {
    if (token) {
      const remembered = this.authFailures.get(token);
      if (remembered && remembered.until > Date.now()) return remembered.authentication;
      if (remembered) this.authFailures.delete(token);
    }
    const policy = this.currentPolicy();
    if (this.mode !== 'local' || policy === null) return null;
    const authn = publicAuthentication(await policy.authenticate(token, Date.now(), this.keyResolver, this.signatures));
    return authn.status === 'failed' && NOT_IN_SNAPSHOT.has(authn.reason ?? '') ? null : authn;
  }

  private observe(token: string | undefined, check: Check, decision: ToolDecision): void {
    if (token && decision.authentication?.status === 'failed') this.rememberAuthFailure(token, decision.authentication);
    if (this.opts.onDecision) {
      try {
        this.opts.onDecision({ check, decision });
      } catch (error) {
        this.report(asError(error), 'decision');
      }
    }
  }

  private rememberAuthFailure(token: string, authentication: Authentication): void {
    if (this.authFailures.size >= AUTH_FAILURE_MEMORY_MAX) {
      const oldest = this.authFailures.keys().next();
      if (!oldest.done) this.authFailures.delete(oldest.value);
    }
    this.authFailures.set(token, { authentication, until: Date.now() + AUTH_FAILURE_MEMORY_MS });
  }

  private cacheUsable(): boolean {
    return this.cache !== null && this.watch.healthy;
  }

  private async remoteCheck(token: string | undefined, check: Check, opts: CheckOptions, useCache: boolean): Promise<ToolDecision> {
    const key = useCache && this.cache ? decisionCacheKey(token ?? '', check) : null;
    if (key !== null && this.cacheUsable()) {
      const hit = this.cache!.get(key);
      if (hit) return { ...hit, decisionId: null, source: 'cache' };
    }
    const generation = this.cache?.generation ?? 0;
    try {
      const res = await this.client.request<WireDecision>('POST', '/api/v1/decisions', {
        body: { subject: { token }, ...wireCheck(check) },
        timeoutMs: this.timeoutMs,
        signal: opts.signal,
      });
      if (!isRecord(res.body)) throw new ApiError('malformed', 'the decision answer has no body');
      const authentication = parseAuthentication(res.body.authentication);
      const decision = parseResult(res.body, authentication, check);
      if (key !== null && this.cacheUsable()) this.cache!.set(key, decision, generation, tokenExpiry(token));
      return decision;
    } catch (error) {
      this.report(asError(error), 'decision');
      return failClosed('unavailable', asError(error).message, check);
    }
  }

  private async remoteBatch(token: string | undefined, checks: Check[], opts: CheckOptions): Promise<BatchDecision> {
    let authentication: Authentication | null = null;
    const results: ToolDecision[] = [];
    try {
      for (let i = 0; i < checks.length; i += MAX_BATCH_CHECKS) {
        const chunk = checks.slice(i, i + MAX_BATCH_CHECKS);
        const res = await this.client.request<WireBatch>('POST', '/api/v1/decisions/batch', {
          body: { subject: { token }, checks: chunk.map(wireCheck) },
          timeoutMs: this.timeoutMs,
          signal: opts.signal,
        });
        if (!isRecord(res.body) || !Array.isArray(res.body.results) || res.body.results.length !== chunk.length) {
          throw new ApiError('malformed', 'the batch answer does not match the checks');
        }
        authentication = parseAuthentication(res.body.authentication);
        res.body.results.forEach((r, j) => results.push(parseResult(r, authentication!, chunk[j]!)));
      }
      return { authentication, results };
    } catch (error) {
      this.report(asError(error), 'decision');
      return { authentication: null, results: checks.map((c) => failClosed('unavailable', asError(error).message, c)) };
    }
  }

  /** the snapshot, if there is one and it was confirmed current recently enough */
  private currentPolicy(): LocalPolicy | null {
    const policy = this.local;
    if (policy === null || this.closed) return null;
    if (Date.now() - this.watch.lastConfirmedAt > this.maxSnapshotAgeMs) return null;
    return policy;
  }

  private noPolicy(check: Check): ToolDecision {
    const why = this.local === null ? 'no policy snapshot has been received yet' : `the policy snapshot could not be confirmed current for over ${Math.round(this.maxSnapshotAgeMs / 1000)} s`;
    return failClosed('unavailable', why, check);
  }

  private async localCheck(token: string | undefined, check: Check, opts: CheckOptions): Promise<ToolDecision> {
    const policy = this.currentPolicy();
    if (policy === null) return this.noPolicy(check);
    if (!this.logs!.hasRoom()) return failClosed('decision_log_full', 'decision log buffer full', check);
    const started = performance.now();
    const now = Date.now();
    const authn = await policy.authenticate(token, now, this.keyResolver, this.signatures);
    if (authn.status === 'failed' && NOT_IN_SNAPSHOT.has(authn.reason ?? '')) return this.remoteCheck(token, check, opts, false);
    const decision = policy.authorize(authn, check, now);
    if (decision.allow && decision.consumesUse) {
      // N-use grants are counted atomically by the API; never decided here. Unreachable → deny.
      return this.remoteCheck(token, check, opts, false);
    }
    return this.logLocal(authn, check, decision, now, started);
  }

  private async localBatch(token: string | undefined, checks: Check[], opts: CheckOptions, listing: boolean): Promise<BatchDecision> {
    const policy = this.currentPolicy();
    if (policy === null) return { authentication: null, results: checks.map((c) => this.noPolicy(c)) };
    if (!this.logs!.hasRoom(checks.length)) {
      return { authentication: null, results: checks.map((c) => failClosed('decision_log_full', 'decision log buffer full', c)) };
    }
    const started = performance.now();
    const now = Date.now();
    const authn = await policy.authenticate(token, now, this.keyResolver, this.signatures);
    if (authn.status === 'failed' && NOT_IN_SNAPSHOT.has(authn.reason ?? '')) return this.remoteBatch(token, checks, opts);
    const results: ToolDecision[] = [];
    for (const check of checks) {
      const decision = policy.authorize(authn, check, now);
      if (decision.allow && decision.consumesUse && !listing) results.push(await this.remoteCheck(token, check, opts, false));
      else results.push(this.logLocal(authn, check, decision, now, started));
    }
    return { authentication: publicAuthentication(authn), results };
  }

  private logLocal(
    authn: Awaited<ReturnType<LocalPolicy['authenticate']>>,
    check: Check,
    decision: Decision,
    now: number,
    started: number,
  ): ToolDecision {
    const decisionId = newDecisionId(now);
    const action = decision.action ?? check.action;
    const entry: DecisionLogEntry = {
      decisionId,
      time: new Date(now).toISOString(),
      tool: check.tool.slice(0, 256),
      allow: decision.allow,
      reason: decision.reason,
      latencyUs: Math.max(0, Math.min(60_000_000, Math.round((performance.now() - started) * 1000))),
    };
    if (action) entry.action = action;
    const optional: [keyof DecisionLogEntry, string | undefined][] = [
      ['resource', clip(check.resource, 1024)],
      ['authnReason', authn.reason ?? undefined],
      ['explanation', clip(decision.explanation, 1000)],
      ['identityId', clip(authn.identityId, 64)],
      ['agentId', clip(authn.agentId, 64)],
      ['subject', clip(authn.subject, 2048)],
      ['onBehalfOf', clip(authn.onBehalfOf ?? check.context?.onBehalfOf, 320)],
      ['grantId', clip(decision.grantId, 64)],
      ['taskId', clip(check.context?.taskId, 200)],
    ];
    for (const [k, v] of optional) if (v !== undefined) (entry as unknown as Record<string, unknown>)[k] = v;
    // a decision that cannot be logged is not made
    if (!this.logs!.add(entry)) return failClosed('decision_log_full', 'decision log buffer full', check);
    return {
      allow: decision.allow,
      decisionId,
      source: 'local',
      authentication: publicAuthentication(authn),
      reason: decision.reason,
      explanation: decision.explanation,
      grantId: decision.grantId,
      expiresAt: decision.allow && decision.expiresAt !== null ? new Date(decision.expiresAt).toISOString() : null,
      approvalRequired: decision.approvalRequired,
      action: decision.action,
      cacheTtlSeconds: 0,
    };
  }

  // ───────────────────────────── tools and access requests ─────────────────────────────

  /**
   * POST /api/v1/tools/sync: register the server's tools (new ones arrive unclassified, every
   * call denied until an owner classifies them). Pass the tool list, or an McpServer / Server to
   * read it from its own tools/list.
   */
  async syncTools(source: SyncTool[] | ProtectableServer): Promise<ToolSyncResult> {
    const tools = Array.isArray(source) ? source : await readServerTools(source);
    const res = await this.client.request<ToolSyncResult>('POST', '/api/v1/tools/sync', { body: { tools: tools.map(syncBody) }, timeoutMs: Math.max(this.timeoutMs, 10_000) });
    if (!isRecord(res.body)) throw new ApiError('malformed', 'tools/sync answered without a body');
    return res.body;
  }

  /**
   * Files an access request for the token's agent (POST /api/v1/access-requests) and, with
   * `waitSeconds`, waits for people to decide it (long poll GET /api/v1/access-requests/{id}).
   * Resolves with the request's state when decided or when the wait ends (still `pending`).
   * Throws ApiError when the API refuses (403: the agent could not be authenticated; 400/404: the
   * tool cannot be requested) or cannot be reached.
   */
  async requestAccess(token: string, input: AccessRequestInput, opts: { waitSeconds?: number; signal?: AbortSignal } = {}): Promise<AccessRequestState> {
    const res = await this.client.request<AccessRequestState>('POST', '/api/v1/access-requests', {
      body: { subject: { token }, ...input },
      timeoutMs: Math.max(this.timeoutMs, 10_000),
      signal: opts.signal,
    });
    if (!isRecord(res.body) || typeof res.body.id !== 'string') throw new ApiError('malformed', 'access request answer has no id');
    const created = res.body;
    if (created.status !== 'pending' || !opts.waitSeconds) return created;
    const state = await this.waitForAccessRequest(created.id, opts);
    return { ...state, existing: created.existing };
  }

  /** The request's state; with waitSeconds, holds until it is decided or the time is up. */
  async waitForAccessRequest(id: string, opts: { waitSeconds?: number; signal?: AbortSignal } = {}): Promise<AccessRequestState> {
    const deadline = Date.now() + Math.max(0, opts.waitSeconds ?? 0) * 1000;
    for (;;) {
      const left = Math.ceil((deadline - Date.now()) / 1000);
      const wait = Math.min(60, Math.max(0, left));
      const res = await this.client.request<AccessRequestState>('GET', `/api/v1/access-requests/${encodeURIComponent(id)}${wait > 0 ? `?wait=${wait}` : ''}`, {
        timeoutMs: wait * 1000 + 10_000,
        signal: opts.signal,
      });
      if (!isRecord(res.body) || typeof res.body.status !== 'string') throw new ApiError('malformed', 'access request answer has no status');
      if (res.body.status !== 'pending' || wait === 0 || Date.now() >= deadline || opts.signal?.aborted) return res.body;
    }
  }

  /** The task is done: the grant its access request produced ends now. */
  async completeAccessRequest(id: string): Promise<AccessRequestState> {
    const res = await this.client.request<AccessRequestState>('POST', `/api/v1/access-requests/${encodeURIComponent(id)}/complete`, { timeoutMs: Math.max(this.timeoutMs, 10_000) });
    if (!isRecord(res.body)) throw new ApiError('malformed', 'access request answer has no body');
    return res.body;
  }

  /**
   * Puts an McpServer (or low-level Server) under this Toolwarden: tools/list filtered, tools/call
   * decided. See protect.ts.
   */
  protect<S extends ProtectableServer>(server: S, options?: ProtectOptions): S {
    return protect(this, server, options);
  }

  /** @internal the first protect() registers the tools once per process (retried on failure) */
  autoSync(read: () => Promise<SyncTool[]>): void {
    if (this.autoSyncState !== 'idle' || this.closed) return;
    this.autoSyncState = 'running';
    read()
      .then((tools) => this.syncTools(tools))
      .then(
        () => {
          this.autoSyncState = 'done';
        },
        (error) => {
          this.autoSyncState = 'idle';
          this.report(asError(error), 'tools_sync');
        },
      );
  }

  /** @internal */
  report(error: Error, kind: ToolwardenErrorKind): void {
    try {
      this.opts.onError?.(error, kind);
    } catch {
      // a failing error hook must not turn into a decision
    }
  }
}

function publicAuthentication(a: Awaited<ReturnType<LocalPolicy['authenticate']>>): Authentication {
  return {
    status: a.status,
    reason: a.reason,
    detail: a.detail,
    identityId: a.identityId,
    agentId: a.agentId,
    subject: a.subject,
    onBehalfOf: a.onBehalfOf,
  };
}

const ANNOTATION_KEYS = ['title', 'readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

function syncBody(t: SyncTool): Record<string, unknown> {
  const out: Record<string, unknown> = { name: t.name };
  if (t.title != null) out.title = t.title;
  if (t.description != null) out.description = t.description;
  if (t.inputSchema != null) out.inputSchema = t.inputSchema;
  if (t.annotations != null) {
    const a: Record<string, unknown> = {};
    for (const k of ANNOTATION_KEYS) if (t.annotations[k] != null) a[k] = t.annotations[k];
    out.annotations = a;
  }
  return out;
}
