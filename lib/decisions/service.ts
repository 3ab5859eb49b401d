import type { Decision } from '../policy';
import { SignatureCache, type AuthnReason, type KeyResolver } from '../identity';
import { AppError } from '../errors';
import { newId } from '../ids';
import { pgPool } from '../db/pool';
import { authenticateSubject, authorizeCheck, type Authentication, type CheckInput, type SubjectInput } from './evaluate';
import type { DecisionLogRow, DecisionLogWriter } from './log-writer';
import type { PolicyCache } from './policy-cache';
import type { AuthenticatedServer } from './server-auth';
import type { ServerRecord, TenantSnapshot } from './snapshot-types';
import { maskArguments } from './masking';

// The decision path of API.md: authenticate the agent, authorize each check on the in-memory
// snapshot, count uses atomically, log, and only then answer.

export interface DecisionResult {
  decisionId: string;
  allow: boolean;
  authorization: {
    decision: 'allow' | 'deny';
    reason: Decision['reason'];
    explanation: string;
    grantId: string | null;
    expiresAt: string | null;
    approval: { required: boolean; requestUrl: string | null };
  };
  cacheTtlSeconds: number;
}

export interface PublicAuthentication {
  status: 'verified' | 'failed';
  reason: AuthnReason | null;
  detail: string | null;
  identityId: string | null;
  agentId: string | null;
  subject: string | null;
  onBehalfOf: string | null;
}

const LAST_SEEN_EVERY_MS = 60_000;

export class DecisionService {
  private lastSeenWrites = new Map<string, number>();
  private readonly signatures = new SignatureCache();

  constructor(
    private readonly cache: PolicyCache,
    private readonly logWriter: DecisionLogWriter,
    private readonly keyResolver: KeyResolver,
  ) {}

  /** the snapshot the server key was checked against (ServerKeyAuth: the server is active) */
  private context(server: AuthenticatedServer): { snap: TenantSnapshot; record: ServerRecord } {
    return { snap: server.snapshot, record: server.server };
  }

  async decideOne(server: AuthenticatedServer, subject: SubjectInput, check: CheckInput, requestId: string) {
    const started = process.hrtime.bigint();
    const { snap, record } = this.context(server);
    const now = Date.now();
    const authn = await authenticateSubject(snap, record, subject, now, this.keyResolver, this.signatures);
    const result = await this.authorizeAndLog(snap, record, authn, check, now, requestId, started);
    this.touchLastSeen(authn);
    return { ...result, authentication: publicAuthn(authn) };
  }

  /** authentication only (access requests): who is this subject, as the decision API would say */
  async authenticate(server: AuthenticatedServer, subject: SubjectInput): Promise<{ authn: PublicAuthentication; server: ServerRecord }> {
    const { snap, record } = this.context(server);
    const authn = await authenticateSubject(snap, record, subject, Date.now(), this.keyResolver, this.signatures);
    return { authn: publicAuthn(authn), server: record };
  }

  async decideBatch(server: AuthenticatedServer, subject: SubjectInput, checks: CheckInput[], requestId: string) {
    const started = process.hrtime.bigint();
    const { snap, record } = this.context(server);
    const now = Date.now();
    const authn = await authenticateSubject(snap, record, subject, now, this.keyResolver, this.signatures);
    // a batch answers "may this subject call these at all" (tools/list filtering): it spends no
    // use of an N-use grant; the call itself, through POST /decisions, does
    const results = await Promise.all(checks.map((c) => this.authorizeAndLog(snap, record, authn, c, now, requestId, started, false)));
    this.touchLastSeen(authn);
    return { authentication: publicAuthn(authn), results };
  }

  private async authorizeAndLog(
    snap: TenantSnapshot,
    server: ServerRecord,
    authn: Authentication,
    check: CheckInput,
    now: number,
    requestId: string,
    started: bigint,
    consumeUses = true,
  ): Promise<DecisionResult> {
    let decision = authorizeCheck(snap, server, authn, check, now);
    if (consumeUses && decision.allow && decision.consumesUse && decision.grantId) {
      // the snapshot's use count can be stale: the database decides who gets the last use
      const consumed = await consumeUse(decision.grantId);
      if (!consumed) {
        decision = {
          ...decision,
          allow: false,
          reason: 'grant_exhausted',
          explanation: 'The grant’s uses are all spent; a new grant or access request would allow this call.',
          cacheTtlSeconds: 0,
          expiresAt: null,
        };
      }
    }
    const decisionId = newId('decision', now);
    const row: DecisionLogRow = {
      id: decisionId,
      time: new Date(now),
      tenantId: snap.tenantId,
      serverId: server.id,
      identityId: authn.identityId,
      agentId: authn.agentId,
      subject: authn.subject,
      onBehalfOf: authn.onBehalfOf ?? check.context?.onBehalfOf ?? null,
      tool: check.tool.slice(0, 256),
      toolId: decision.toolId,
      action: decision.action ?? check.action ?? null,
      resource: check.resource?.slice(0, 1024) ?? null,
      allow: decision.allow,
      reason: decision.reason,
      authnReason: authn.reason,
      grantId: decision.grantId,
      taskId: check.context?.taskId?.slice(0, 200) ?? null,
      latencyUs: Number((process.hrtime.bigint() - started) / 1000n),
      requestId,
      source: 'api',
      explanation: decision.explanation,
      context: {
        environment: check.context?.environment ?? server.environment,
        ...(snap.captureArguments && check.context?.arguments ? { arguments: maskArguments(check.context.arguments, snap.maskedArgumentFields) } : {}),
      },
    };
    // answered only once the row is committed; a failed write rejects → 503, never an answer
    await this.logWriter.write(row);
    return {
      decisionId,
      allow: decision.allow,
      authorization: {
        decision: decision.allow ? 'allow' : 'deny',
        reason: decision.reason,
        explanation: decision.explanation,
        grantId: decision.grantId,
        expiresAt: decision.allow && decision.expiresAt !== null ? new Date(decision.expiresAt).toISOString() : null,
        approval: decision.approvalRequired ? { required: true, requestUrl: '/api/v1/access-requests' } : { required: false, requestUrl: null },
      },
      cacheTtlSeconds: decision.allow ? decision.cacheTtlSeconds : 0,
    };
  }

  private touchLastSeen(authn: Authentication): void {
    if (!authn.identityId || !authn.agentId) return;
    const now = Date.now();
    if (now - (this.lastSeenWrites.get(authn.identityId) ?? 0) < LAST_SEEN_EVERY_MS) return;
    this.lastSeenWrites.set(authn.identityId, now);
    if (this.lastSeenWrites.size > 100_000) this.lastSeenWrites.clear();
    const pool = pgPool();
    pool.query('UPDATE "WorkloadIdentity" SET "lastSeenAt" = now() WHERE id = $1', [authn.identityId]).catch(() => {});
    pool.query('UPDATE "Agent" SET "lastSeenAt" = now() WHERE id = $1', [authn.agentId]).catch(() => {});
  }
}

function publicAuthn(a: Authentication): PublicAuthentication {
  return { status: a.status, reason: a.reason, detail: a.detail, identityId: a.identityId, agentId: a.agentId, subject: a.subject, onBehalfOf: a.onBehalfOf };
}

async function consumeUse(grantId: string): Promise<boolean> {
  try {
    const res = await pgPool().query(
      `UPDATE "Grant" SET "uses" = "uses" + 1
       WHERE id = $1 AND "revokedAt" IS NULL AND ("maxUses" IS NULL OR "uses" < "maxUses")
       RETURNING "uses"`,
      [grantId],
    );
    return (res.rowCount ?? 0) === 1;
  } catch {
    throw new AppError('unavailable', 'Cannot count the grant’s uses right now; fail closed.');
  }
}
