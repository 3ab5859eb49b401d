import { systemContext, type ServiceContext } from '../context';
import { db, type Tx } from '../db/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { enqueueWebhookEvent } from '../webhooks/enqueue';

// Pending requests nobody decided in time become `expired`. Readers (the agent's long poll, the
// console) expire a due request when they meet it; the job below sweeps the rest.

export interface ExpirableRequest {
  id: string;
  tenantId: string;
  expiresAt: Date;
  agentId: string;
  toolId: string;
}

/**
 * Pending past its expiry → expired. Conditional, so concurrent readers (or an approver racing
 * the clock) cannot both win: only the transaction whose update matched writes the audit event
 * and the notification.
 */
export async function expireRequestIfDue(tx: Tx, ctx: ServiceContext, req: ExpirableRequest, now: Date): Promise<boolean> {
  const { count } = await tx.accessRequest.updateMany({
    where: { id: req.id, tenantId: ctx.tenantId, status: 'pending', expiresAt: { lte: now } },
    data: { status: 'expired' },
  });
  if (count !== 1) return false;
  await recordAudit(tx, ctx, {
    event: 'access_request.expired',
    targetType: 'access_request',
    targetId: req.id,
    before: { status: 'pending' },
    after: { status: 'expired', expiresAt: req.expiresAt },
  });
  const [agent, tool] = await Promise.all([
    tx.agent.findFirst({ where: { id: req.agentId, tenantId: ctx.tenantId }, select: { name: true } }),
    tx.tool.findFirst({ where: { id: req.toolId, tenantId: ctx.tenantId }, select: { name: true } }),
  ]);
  await enqueueWebhookEvent(
    tx,
    ctx.tenantId,
    'access_request.expired',
    {
      text: `Access request by ${agent?.name ?? 'an agent'} for ${tool?.name ?? 'a tool'} expired: nobody decided it in time.`,
      request: { id: req.id, agent: agent?.name ?? null, tool: tool?.name ?? null, status: 'expired', expiresAt: req.expiresAt.toISOString() },
    },
    `/approvals/${req.id}`,
  );
  return true;
}

const BATCH = 200;

/**
 * The sweep: every tenant's pending requests past their expiry are marked expired, each with
 * exactly one `access_request.expired` audit event (a request a reader expired meanwhile is
 * skipped by the conditional update). Returns how many it expired. Safe to run on several
 * instances at once. The server runs it at start-up and on an interval.
 */
export async function expirePendingRequests(now: Date = new Date()): Promise<number> {
  let expired = 0;
  for (;;) {
    const due = await db().accessRequest.findMany({
      where: { status: 'pending', expiresAt: { lte: now } },
      select: { id: true, tenantId: true, expiresAt: true, agentId: true, toolId: true },
      orderBy: { expiresAt: 'asc' },
      take: BATCH,
    });
    for (const req of due) {
      const ctx = systemContext(req.tenantId, 'expire-requests');
      if (await inTx((tx) => expireRequestIfDue(tx, ctx, req, now))) expired++;
    }
    if (due.length < BATCH) return expired;
  }
}
