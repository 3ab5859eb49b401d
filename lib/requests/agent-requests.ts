import type { ServiceContext } from '../context';
import { db, type Tx } from '../db/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { forbidden, invalid, notFound } from '../errors';
import { newId } from '../ids';
import { parseInput } from '../validation';
import { enqueueWebhookEvent } from '../webhooks/enqueue';
import { approvalPolicyForTool } from './approval-policy';
import { expireRequestIfDue } from './expiry';
import { requestCreatedNotice } from './notices';
import { agentAccessRequestSchema, type AccessRequestState, type AgentAccessRequestCreated } from './schemas';

// Access requests as the machine API sees them: filed by an agent through an MCP server, read,
// long-polled and completed by that server. Approval happens elsewhere, by people.

/** Longest a single wait may hold a request open. */
export const MAX_WAIT_SECONDS = 60;
export const DEFAULT_POLL_MS = 250;

type RequestRow = Awaited<ReturnType<Tx['accessRequest']['findFirstOrThrow']>>;

/** Only the server itself (or the system) acts through these; another server's key sees nothing. */
function assertServerActor(ctx: ServiceContext, serverId: string): void {
  if (ctx.actor.type === 'system') return;
  if (ctx.actor.type !== 'server') throw forbidden('Access requests of agents are filed by their MCP server');
  if (ctx.actor.id !== serverId) throw notFound('Access request');
}

const lockKey = (...parts: string[]) => parts.join(':');

export async function createAgentAccessRequest(
  ctx: ServiceContext,
  who: { serverId: string; agentId: string; onBehalfOf: string | null },
  input: unknown,
): Promise<AgentAccessRequestCreated> {
  const data = parseInput(agentAccessRequestSchema, input);
  assertServerActor(ctx, who.serverId);

  return inTx(async (tx) => {
    const tool = await tx.tool.findFirst({ where: { tenantId: ctx.tenantId, serverId: who.serverId, name: data.tool } });
    if (!tool) throw notFound('Tool');
    if (tool.status === 'unclassified') {
      throw invalid(`Tool "${tool.name}" is not classified yet: access can be requested once an owner has classified it`, [{ name: 'tool', reason: 'not classified yet' }]);
    }
    if (tool.status === 'disabled') {
      throw invalid(`Tool "${tool.name}" is disabled: no access to it can be requested`, [{ name: 'tool', reason: 'disabled' }]);
    }

    const agent = await tx.agent.findFirst({ where: { id: who.agentId, tenantId: ctx.tenantId }, select: { id: true, status: true, name: true } });
    if (!agent) throw notFound('Agent');
    if (agent.status !== 'active') throw forbidden('The agent is suspended');

    const policy = await approvalPolicyForTool(tx, ctx.tenantId, tool);
    if (policy.maxDurationSeconds !== null && data.durationSeconds > policy.maxDurationSeconds) {
      const reason = `at most ${policy.maxDurationSeconds} seconds for ${tool.name} (${policy.risk} risk)`;
      throw invalid(`durationSeconds: ${reason}`, [{ name: 'durationSeconds', reason }]);
    }

    // Idempotency under concurrency: one filer at a time per agent, tool and task.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey('access-request', ctx.tenantId, agent.id, tool.id, data.taskId ?? '')}, 0))`;
    const now = new Date();
    const pending = await tx.accessRequest.findMany({
      where: { tenantId: ctx.tenantId, agentId: agent.id, toolId: tool.id, taskId: data.taskId ?? null, status: 'pending' },
      orderBy: { createdAt: 'desc' },
    });
    for (const p of pending) {
      if (p.expiresAt > now) return { id: p.id, status: p.status, expiresAt: p.expiresAt.toISOString(), existing: true };
      await expireIfDue(tx, ctx, p, now);
    }

    const request = await tx.accessRequest.create({
      data: {
        id: newId('request'),
        tenantId: ctx.tenantId,
        agentId: agent.id,
        toolId: tool.id,
        actions: data.actions,
        resource: data.resource ?? null,
        durationSeconds: data.durationSeconds,
        justification: data.justification,
        taskId: data.taskId ?? null,
        onBehalfOf: who.onBehalfOf,
        requestedByServerId: who.serverId,
        status: 'pending',
        expiresAt: new Date(now.getTime() + policy.requestExpirySeconds * 1000),
      },
    });
    await recordAudit(tx, ctx, {
      event: 'access_request.created',
      targetType: 'access_request',
      targetId: request.id,
      after: {
        agentId: request.agentId,
        toolId: request.toolId,
        tool: tool.name,
        risk: policy.risk,
        actions: request.actions,
        resource: request.resource,
        durationSeconds: request.durationSeconds,
        justification: request.justification,
        taskId: request.taskId,
        onBehalfOf: request.onBehalfOf,
        requestedByServerId: request.requestedByServerId,
        status: request.status,
        expiresAt: request.expiresAt,
        approvalsRequired: policy.approvalsRequired,
        approvers: policy.approvers,
      },
    });
    await enqueueWebhookEvent(tx, ctx.tenantId, 'access_request.created', requestCreatedNotice(request, { agentName: agent.name, toolName: tool.name, risk: policy.risk, requestedBy: ctx.actor.label }), `/approvals/${request.id}`);
    return { id: request.id, status: request.status, expiresAt: request.expiresAt.toISOString(), existing: false };
  });
}

/**
 * A server sees the requests it filed and the requests for its own tools; anything else —
 * another server's, another tenant's, a made-up id — is not found.
 */
async function loadForServer(client: Tx, ctx: ServiceContext, serverId: string, id: string): Promise<RequestRow> {
  const req = await client.accessRequest.findFirst({ where: { id, tenantId: ctx.tenantId } });
  if (!req) throw notFound('Access request');
  if (req.requestedByServerId !== serverId) {
    const ownTool = await client.tool.findFirst({ where: { id: req.toolId, tenantId: ctx.tenantId, serverId }, select: { id: true } });
    if (!ownTool) throw notFound('Access request');
  }
  return req;
}

/** Pending past its expiry → expired (conditional: exactly one audit event, see expiry.ts). */
function expireIfDue(tx: Tx, ctx: ServiceContext, req: RequestRow, now: Date): Promise<boolean> {
  return expireRequestIfDue(tx, ctx, req, now);
}

const isDue = (req: { status: string; expiresAt: Date }, now = new Date()) => req.status === 'pending' && req.expiresAt <= now;

async function toState(client: Tx, ctx: ServiceContext, req: RequestRow): Promise<AccessRequestState> {
  const grant = req.grantId
    ? await client.grant.findFirst({ where: { id: req.grantId, tenantId: ctx.tenantId }, select: { expiresAt: true, revokedAt: true } })
    : null;
  const state: AccessRequestState = { id: req.id, status: req.status, expiresAt: req.expiresAt.toISOString() };
  if (req.decidedAt) state.decidedAt = req.decidedAt.toISOString();
  if (req.grantId) state.grantId = req.grantId;
  if (grant?.expiresAt) state.grantExpiresAt = grant.expiresAt.toISOString();
  if (grant?.revokedAt) state.grantRevokedAt = grant.revokedAt.toISOString();
  if (req.completedAt) state.completedAt = req.completedAt.toISOString();
  return state;
}

export async function getAccessRequestForServer(ctx: ServiceContext, serverId: string, id: string): Promise<AccessRequestState> {
  assertServerActor(ctx, serverId);
  let req = await loadForServer(db(), ctx, serverId, id);
  if (isDue(req)) {
    const due = req;
    await inTx((tx) => expireIfDue(tx, ctx, due, new Date()));
    req = await loadForServer(db(), ctx, serverId, id);
  }
  return toState(db(), ctx, req);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Long poll: the request's state as soon as it is no longer pending, or after `waitSeconds`
 * (at most MAX_WAIT_SECONDS), or when `signal` aborts (client went away). Polls one indexed row.
 */
export async function waitForAccessRequest(
  ctx: ServiceContext,
  serverId: string,
  id: string,
  waitSeconds: number,
  opts: { pollMs?: number; signal?: AbortSignal } = {},
): Promise<AccessRequestState> {
  const pollMs = Math.max(10, opts.pollMs ?? DEFAULT_POLL_MS);
  const waitMs = Math.max(0, Math.min(Number.isFinite(waitSeconds) ? waitSeconds : 0, MAX_WAIT_SECONDS)) * 1000;
  const deadline = Date.now() + waitMs;
  let state = await getAccessRequestForServer(ctx, serverId, id);
  while (state.status === 'pending' && !opts.signal?.aborted) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await sleep(Math.min(pollMs, remaining), opts.signal);
    if (opts.signal?.aborted) break;
    const row = await db().accessRequest.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { status: true, expiresAt: true } });
    if (!row || row.status !== 'pending' || isDue(row)) state = await getAccessRequestForServer(ctx, serverId, id);
  }
  return state;
}

/**
 * The task is done. An approved request's grant ends now; a pending request is cancelled (or
 * expired, if its time is up). Anything already finished is returned as it is, so calling this
 * twice is harmless. Every step is a conditional update: if an approver changes the request
 * between our read and our write, we read again and act on what is there now.
 */
export async function completeAccessRequest(ctx: ServiceContext, serverId: string, id: string): Promise<AccessRequestState> {
  assertServerActor(ctx, serverId);
  return inTx(async (tx) => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = new Date();
      const req = await loadForServer(tx, ctx, serverId, id);
      if (req.status === 'pending') {
        if (isDue(req, now)) {
          if (await expireIfDue(tx, ctx, req, now)) break;
          continue;
        }
        const { count } = await tx.accessRequest.updateMany({
          where: { id: req.id, tenantId: ctx.tenantId, status: 'pending' },
          data: { status: 'cancelled', completedAt: now },
        });
        if (count !== 1) continue;
        await recordAudit(tx, ctx, {
          event: 'access_request.cancelled',
          targetType: 'access_request',
          targetId: req.id,
          before: { status: 'pending' },
          after: { status: 'cancelled', completedAt: now, reason: 'task completed' },
        });
        break;
      }
      if (req.status === 'approved' && !req.completedAt) {
        const { count } = await tx.accessRequest.updateMany({
          where: { id: req.id, tenantId: ctx.tenantId, status: 'approved', completedAt: null },
          data: { completedAt: now },
        });
        if (count !== 1) continue;
        const revoked = await revokeRequestGrants(tx, ctx, req, now);
        await recordAudit(tx, ctx, {
          event: 'access_request.completed',
          targetType: 'access_request',
          targetId: req.id,
          before: { status: 'approved', completedAt: null },
          after: { status: 'approved', completedAt: now, grantId: req.grantId, revokedGrantIds: revoked },
        });
        break;
      }
      break; // completed, denied, expired, cancelled: nothing to do
    }
    return toState(tx, ctx, await loadForServer(tx, ctx, serverId, id));
  });
}

/** Ends the grant(s) the request produced: the linked one, and any that name it as their source. */
async function revokeRequestGrants(tx: Tx, ctx: ServiceContext, req: RequestRow, now: Date): Promise<string[]> {
  const grants = await tx.grant.findMany({
    where: {
      tenantId: ctx.tenantId,
      revokedAt: null,
      OR: [...(req.grantId ? [{ id: req.grantId }] : []), { sourceRequestId: req.id }],
    },
    select: { id: true, expiresAt: true },
  });
  const revoked: string[] = [];
  for (const g of grants) {
    const { count } = await tx.grant.updateMany({
      where: { id: g.id, tenantId: ctx.tenantId, revokedAt: null },
      data: { revokedAt: now, revokedById: null, revokeReason: 'task completed' },
    });
    if (count !== 1) continue;
    revoked.push(g.id);
    await recordAudit(tx, ctx, {
      event: 'grant.revoked',
      targetType: 'grant',
      targetId: g.id,
      before: { revokedAt: null, expiresAt: g.expiresAt },
      after: { revokedAt: now, revokedById: null, revokeReason: 'task completed', sourceRequestId: req.id },
    });
  }
  return revoked;
}
