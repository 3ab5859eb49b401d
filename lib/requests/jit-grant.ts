import type { ServiceContext } from '../context';
import type { Tx } from '../db/client';
import { recordAudit } from '../audit/record';
import { createGrantInTx } from '../grants/service';
import type { RequestScope } from './scope';

// The grant an approved request produces, written in the approval's own transaction, and the
// conditional revocation the request flow, reviews and break-glass reviews share. Decision
// caches pick both up through the Grant table's trigger (policy version bump + NOTIFY).

export interface JitGrantInput {
  request: { id: string; agentId: string; toolId: string; justification: string; taskId: string | null };
  scope: RequestScope;
  singleUse: boolean;
  /** names for the audit record */
  agentName: string;
  toolName: string;
  risk: string | null;
}

/**
 * kind `jit`; expires `scope.durationSeconds` from now; single use when the policy says so;
 * the approved resource as its only pattern (none: any resource); createdBy the final approver.
 * Written by the grants service (createGrantInTx), so a jit grant passes the same checks and
 * guardrails as every other grant and is audited the same way (`grant.created`).
 */
export async function createJitGrantInTx(tx: Tx, ctx: ServiceContext, input: JitGrantInput, now: Date) {
  const { request, scope } = input;
  return createGrantInTx(
    tx,
    ctx,
    {
      agentId: request.agentId,
      toolId: request.toolId,
      actions: scope.actions,
      resourcePatterns: scope.resource ? [scope.resource] : [],
      expiresAt: new Date(now.getTime() + scope.durationSeconds * 1000),
      maxUses: input.singleUse ? 1 : null,
      justification: request.justification,
    },
    { kind: 'jit', sourceRequestId: request.id },
  );
}

/**
 * Ends a live grant now, with the reason an auditor will read. Conditional: of two revocations
 * racing, exactly one writes (and audits); the other gets false.
 */
export async function endGrantInTx(tx: Tx, ctx: ServiceContext, grantId: string, reason: string, now: Date = new Date()): Promise<boolean> {
  const revokedById = ctx.actor.type === 'user' ? ctx.actor.id : null;
  const { count } = await tx.grant.updateMany({
    where: { id: grantId, tenantId: ctx.tenantId, revokedAt: null },
    data: { revokedAt: now, revokedById, revokeReason: reason },
  });
  if (count !== 1) return false;
  await recordAudit(tx, ctx, {
    event: 'grant.revoked',
    targetType: 'grant',
    targetId: grantId,
    before: { revokedAt: null },
    after: { revokedAt: now, revokedById, revokeReason: reason },
  });
  return true;
}
