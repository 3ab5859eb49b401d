import type { ServiceContext } from '../context';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { requirePermission } from '../auth/require';
import { conflict, forbidden, invalid, isUniqueViolation, notFound } from '../errors';
import { newId } from '../ids';
import { requestQuorum } from '../approval-policies/rules';
import { parseInput } from '../validation';
import { enqueueWebhookEvent } from '../webhooks/enqueue';
import { approvalPolicyForTool } from './approval-policy';
import { approverFacts, currentScope, lockRequestRow } from './approver';
import { decideRequestSchema } from './console-schemas';
import { asRoleOf, eligibility, quorumReached, type Vote } from './eligibility';
import { createJitGrantInTx } from './jit-grant';
import { requestDecidedNotice } from './notices';
import { narrowScope } from './scope';

// Deciding an access request: one vote per person, under the tool's approval policy, with the
// four-eyes rule enforced here (never only in the UI). The request row is locked for the whole
// transaction, so two approvers at once are serialised: the second sees the first's vote (or
// the decided request) and exactly one grant can come out of it.

export interface DecideResult {
  id: string;
  status: 'pending' | 'approved' | 'denied';
  approvalsRecorded: number;
  approvalsRequired: number;
  grantId: string | null;
  grantExpiresAt: string | null;
}

const STATUS_CONFLICT: Record<string, string> = {
  approved: 'This request has already been approved',
  denied: 'This request has already been denied',
  expired: 'This request has expired',
  cancelled: 'This request was cancelled',
};

/**
 * Records the acting person's approval or denial. Approve: the scope may be narrowed (shorter,
 * fewer actions, a resource within the requested one), never widened; when the vote completes
 * the quorum, the jit grant is created in the same transaction. Deny: any eligible approver's
 * denial decides the request. A decided or expired request is a 409 and nothing is written.
 */
export async function decideRequest(ctx: ServiceContext, requestId: string, input: unknown): Promise<DecideResult> {
  requirePermission(ctx, 'tenant.read');
  const data = parseInput(decideRequestSchema, input);
  if (ctx.actor.type !== 'user' || !ctx.actor.id) throw forbidden('Access requests are decided by people, in the console');
  try {
    return await inTx(async (tx) => {
      const req = await lockRequestRow(tx, ctx, requestId);
      const now = new Date();
      if (req.status !== 'pending') throw conflict(`${STATUS_CONFLICT[req.status] ?? `This request is ${req.status}`}: nothing was recorded.`);
      if (req.expiresAt <= now) {
        throw conflict(`This request expired at ${req.expiresAt.toISOString()}: nobody decided it in time, so it can no longer be approved. Nothing was recorded.`);
      }

      const [agent, tool] = await Promise.all([
        tx.agent.findFirst({ where: { id: req.agentId, tenantId: ctx.tenantId }, select: { id: true, name: true, ownerUserId: true, status: true } }),
        tx.tool.findFirst({ where: { id: req.toolId, tenantId: ctx.tenantId }, select: { id: true, name: true, risk: true, status: true } }),
      ]);
      if (!agent || !tool) throw notFound('Access request');
      const policy = await approvalPolicyForTool(tx, ctx.tenantId, tool);
      const quorum = requestQuorum(policy);
      const actor = (await approverFacts(tx, ctx, tool.id))!;
      const votes: Vote[] = req.approvals.map((a) => ({ approverUserId: a.approverUserId, verdict: a.verdict, asRole: a.asRole }));

      const mine = votes.find((v) => v.approverUserId === actor.userId);
      if (mine) throw conflict(`You already ${mine.verdict === 'approve' ? 'approved' : 'denied'} this request: one vote per person.`);
      const el = eligibility({
        quorum,
        actor,
        request: { status: req.status, expiresAt: req.expiresAt, requestedByUserId: req.requestedByUserId, onBehalfOf: req.onBehalfOf, agentOwnerUserId: agent.ownerUserId, agentName: agent.name },
        votes,
        now,
      });
      if (data.verdict === 'approve' ? !el.canApprove : !el.canDeny) throw forbidden(el.reason ?? 'You cannot decide this request');
      const asRole = asRoleOf(el.capacities);

      if (data.verdict === 'deny') {
        await tx.approval.create({
          data: { id: newId('approval'), tenantId: ctx.tenantId, requestId: req.id, approverUserId: actor.userId, verdict: 'deny', asRole, comment: data.comment, createdAt: now },
        });
        await recordAudit(tx, ctx, {
          event: 'access_request.approval_recorded',
          targetType: 'access_request',
          targetId: req.id,
          after: { verdict: 'deny', asRole, comment: data.comment },
        });
        await tx.accessRequest.update({ where: { id: req.id }, data: { status: 'denied', decidedAt: now } });
        await recordAudit(tx, ctx, {
          event: 'access_request.denied',
          targetType: 'access_request',
          targetId: req.id,
          before: { status: 'pending' },
          after: { status: 'denied', decidedAt: now, comment: data.comment },
        });
        await enqueueWebhookEvent(
          tx,
          ctx.tenantId,
          'access_request.decided',
          requestDecidedNotice(req, { verdict: 'denied', agentName: agent.name, toolName: tool.name, decidedBy: ctx.actor.label, comment: data.comment }),
          `/approvals/${req.id}`,
        );
        return { id: req.id, status: 'denied', approvalsRecorded: votes.filter((v) => v.verdict === 'approve').length, approvalsRequired: quorum.required, grantId: null, grantExpiresAt: null };
      }

      // approve: within what earlier approvals left
      const before = currentScope(req, req.approvals, policy);
      const { scope, problems } = narrowScope(before, { actions: data.actions, resource: data.resource, durationSeconds: data.durationSeconds });
      if (problems.length) throw invalid(problems.map((p) => p.reason).join('. '), problems);
      if (tool.status !== 'active') throw conflict(`${tool.name} is ${tool.status === 'disabled' ? 'disabled' : 'not classified'}: no access to it can be approved now. Nothing was recorded.`);
      if (agent.status !== 'active') throw conflict(`The agent ${agent.name} is suspended: reactivate it before approving its access. Nothing was recorded.`);

      await tx.approval.create({
        data: {
          id: newId('approval'),
          tenantId: ctx.tenantId,
          requestId: req.id,
          approverUserId: actor.userId,
          verdict: 'approve',
          asRole,
          comment: data.comment,
          durationSeconds: scope.durationSeconds,
          actions: scope.actions,
          resource: scope.resource,
          createdAt: now,
        },
      });
      const allVotes: Vote[] = [...votes, { approverUserId: actor.userId, verdict: 'approve', asRole }];
      const recorded = allVotes.filter((v) => v.verdict === 'approve').length;
      await recordAudit(tx, ctx, {
        event: 'access_request.approval_recorded',
        targetType: 'access_request',
        targetId: req.id,
        after: { verdict: 'approve', asRole, comment: data.comment, scope, approvalsRecorded: recorded, approvalsRequired: quorum.required },
      });
      if (!quorumReached(quorum, allVotes)) {
        return { id: req.id, status: 'pending', approvalsRecorded: recorded, approvalsRequired: quorum.required, grantId: null, grantExpiresAt: null };
      }

      const grant = await createJitGrantInTx(
        tx,
        ctx,
        { request: req, scope, singleUse: policy.singleUse, agentName: agent.name, toolName: tool.name, risk: tool.risk },
        now,
      );
      // the lock makes this the only writer; the condition is a second guard, not the first
      const { count } = await tx.accessRequest.updateMany({
        where: { id: req.id, tenantId: ctx.tenantId, status: 'pending' },
        data: { status: 'approved', grantId: grant.id, decidedAt: now },
      });
      if (count !== 1) throw conflict('This request was decided meanwhile: nothing was recorded.');
      await recordAudit(tx, ctx, {
        event: 'access_request.approved',
        targetType: 'access_request',
        targetId: req.id,
        before: { status: 'pending' },
        after: { status: 'approved', decidedAt: now, grantId: grant.id, grantExpiresAt: grant.expiresAt, scope, approvers: allVotes.map((v) => ({ userId: v.approverUserId, asRole: v.asRole })) },
      });
      await enqueueWebhookEvent(
        tx,
        ctx.tenantId,
        'access_request.decided',
        requestDecidedNotice(req, {
          verdict: 'approved',
          agentName: agent.name,
          toolName: tool.name,
          decidedBy: ctx.actor.label,
          comment: data.comment,
          grant: { id: grant.id, expiresAt: grant.expiresAt!, actions: grant.actions, resourcePatterns: grant.resourcePatterns },
        }),
        `/approvals/${req.id}`,
      );
      return { id: req.id, status: 'approved', approvalsRecorded: recorded, approvalsRequired: quorum.required, grantId: grant.id, grantExpiresAt: grant.expiresAt!.toISOString() };
    });
  } catch (err) {
    // the row lock makes this unreachable for one person voting twice; kept as the last guard
    if (isUniqueViolation(err)) throw conflict('You already voted on this request: one vote per person.');
    throw err;
  }
}
