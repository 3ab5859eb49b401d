import type { ServiceContext } from '../context';
import type { Tx } from '../db/client';
import { can } from '../auth/permissions';
import { notFound } from '../errors';
import type { Action } from '../policy/types';
import type { EffectiveApprovalPolicy } from './approval-policy';
import { patternCovers, type RequestScope } from './scope';

// Shared by the approvals service and the console's request views: what the acting person is
// (tool owner? security?) and the scope a request stands at after earlier approvals.

type Client = Pick<Tx, 'toolOwner'>;

export async function approverFacts(client: Client, ctx: ServiceContext, toolId: string): Promise<{ userId: string; email: string; isToolOwner: boolean; isSecurity: boolean } | null> {
  if (ctx.actor.type !== 'user' || !ctx.actor.id) return null;
  const mayOwn = can(ctx.role, 'requests.approve_as_owner');
  const owner = mayOwn ? await client.toolOwner.findFirst({ where: { tenantId: ctx.tenantId, toolId, userId: ctx.actor.id }, select: { userId: true } }) : null;
  return { userId: ctx.actor.id, email: ctx.actor.label, isToolOwner: !!owner, isSecurity: can(ctx.role, 'requests.approve_as_security') };
}

export interface ApprovalScopeRow {
  verdict: 'approve' | 'deny';
  durationSeconds: number | null;
  actions: Action[];
  resource: string | null;
  createdAt: Date;
}

/**
 * What is left to approve: the request as filed, capped by the policy's current maximum
 * duration, then narrowed by each approval in turn (each one may only narrow what the earlier
 * ones left, so the latest approval holds the narrowest scope).
 */
export function currentScope(
  request: { actions: Action[]; resource: string | null; durationSeconds: number },
  approvals: ApprovalScopeRow[],
  policy: Pick<EffectiveApprovalPolicy, 'maxDurationSeconds'>,
): RequestScope {
  let scope: RequestScope = {
    actions: [...request.actions],
    resource: request.resource,
    durationSeconds: policy.maxDurationSeconds === null ? request.durationSeconds : Math.min(request.durationSeconds, policy.maxDurationSeconds),
  };
  const approving = approvals.filter((a) => a.verdict === 'approve').sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const a of approving) {
    scope = {
      actions: a.actions.length ? scope.actions.filter((x) => a.actions.includes(x)) : scope.actions,
      resource: scope.resource,
      durationSeconds: a.durationSeconds === null ? scope.durationSeconds : Math.min(scope.durationSeconds, a.durationSeconds),
    };
  }
  // approved resources form a chain (each within the one before): the narrowest is the one
  // every other covers, whatever order the rows come in
  const resources = approving.map((a) => a.resource).filter((r): r is string => r !== null);
  const narrowest = resources.find((r) => resources.every((o) => patternCovers(o, r)));
  if (narrowest !== undefined) scope.resource = narrowest;
  else if (resources.length) scope.resource = resources[resources.length - 1]!;
  return scope;
}

/**
 * Locks the request row for the rest of the transaction (SELECT … FOR UPDATE), then reads it
 * with its approvals: whoever decides or cancels next waits and then sees this transaction's
 * outcome. Another tenant's id is simply not found.
 */
export async function lockRequestRow(tx: Tx, ctx: ServiceContext, requestId: string) {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "AccessRequest" WHERE id = ${requestId} AND "tenantId" = ${ctx.tenantId} FOR UPDATE`;
  if (locked.length === 0) throw notFound('Access request');
  return tx.accessRequest.findFirstOrThrow({ where: { id: requestId, tenantId: ctx.tenantId }, include: { approvals: true } });
}
