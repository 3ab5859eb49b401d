import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { can } from '../auth/permissions';
import { requirePermission } from '../auth/require';
import { conflict, forbidden, invalid, notFound } from '../errors';
import { createGrantInTx } from '../grants/service';
import { shortDuration } from '../approval-policies/rules';
import type { Action, Risk } from '../policy/types';
import { parseInput } from '../validation';
import { enqueueWebhookEvent } from '../webhooks/enqueue';
import { breakGlassListQuerySchema, breakGlassSchema, postReviewSchema } from './console-schemas';
import { endGrantInTx } from './jit-grant';

// Break-glass: security or admin give an agent access at once, without approval, for at most an
// hour, with a justification. The price is visibility: it is flagged wherever it appears,
// notified through webhooks, and queued for review by a second person afterwards.

export async function createBreakGlassGrant(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, 'grants.break_glass');
  const data = parseInput(breakGlassSchema, input);
  return inTx(async (tx) => {
    const agent = await tx.agent.findFirst({ where: { id: data.agentId, tenantId: ctx.tenantId }, select: { id: true, name: true, status: true } });
    if (!agent) throw notFound('Agent');
    if (agent.status !== 'active') throw invalid(`The agent ${agent.name} is suspended: a grant would not let it do anything`, [{ name: 'agentId', reason: 'suspended' }]);
    const tool = await tx.tool.findFirst({ where: { id: data.toolId, tenantId: ctx.tenantId }, select: { id: true, name: true, risk: true, status: true, server: { select: { name: true } } } });
    if (!tool) throw notFound('Tool');
    // the engine denies unclassified and disabled tools before it looks at grants
    if (tool.status !== 'active') {
      throw invalid(`${tool.name} is ${tool.status === 'disabled' ? 'disabled' : 'not classified'}: every call to it is denied whatever the grant. ${tool.status === 'disabled' ? 'Enable' : 'Classify'} it first.`, [
        { name: 'toolId', reason: tool.status },
      ]);
    }
    const now = new Date();
    // the grants service writes and audits it (grant.break_glass_created), under the guardrails
    // every grant gets (a tool's approval policy may cap it below an hour)
    const grant = await createGrantInTx(
      tx,
      ctx,
      {
        agentId: agent.id,
        toolId: tool.id,
        actions: data.actions,
        resourcePatterns: data.resource ? [data.resource] : [],
        expiresAt: new Date(now.getTime() + data.durationSeconds * 1000),
        justification: data.justification,
      },
      { kind: 'break_glass' },
    );
    await enqueueWebhookEvent(
      tx,
      ctx.tenantId,
      'break_glass.used',
      {
        text: `:rotating_light: Break-glass: ${ctx.actor.label} gave ${agent.name} ${data.actions.join('+')} on ${tool.name}${data.resource ? ` (${data.resource})` : ''} for ${shortDuration(data.durationSeconds)}: "${data.justification}". A second person must review it.`,
        grant: {
          id: grant.id,
          kind: 'break_glass',
          agent: agent.name,
          tool: tool.name,
          risk: tool.risk,
          actions: grant.actions,
          resourcePatterns: grant.resourcePatterns,
          expiresAt: grant.expiresAt!.toISOString(),
          justification: grant.justification,
          createdBy: ctx.actor.label,
        },
      },
      '/approvals?tab=break-glass',
    );
    await enqueueWebhookEvent(
      tx,
      ctx.tenantId,
      'review.due',
      {
        text: `Review due: break-glass access by ${ctx.actor.label} to ${tool.name} for ${agent.name} needs a post-hoc review by a second person.`,
        review: { kind: 'break_glass', grantId: grant.id, agent: agent.name, tool: tool.name, createdBy: ctx.actor.label },
      },
      '/approvals?tab=break-glass',
    );
    return grant;
  });
}

export interface BreakGlassItem {
  id: string;
  agent: { id: string; name: string };
  tool: { id: string; name: string; risk: Risk | null; serverName: string };
  actions: Action[];
  resourcePatterns: string[];
  justification: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  uses: number;
  status: 'active' | 'expired' | 'revoked';
  createdBy: { id: string; email: string } | null;
  postReviewedAt: string | null;
  postReviewedBy: { id: string; email: string } | null;
  /** whether the acting person may review it (a second person with reviews.manage) */
  canReview: boolean;
  /** why not, when they may not */
  reviewBlockedReason: string | null;
}

/** Break-glass grants: `pending` (not reviewed yet, oldest first) or `all` (newest first, last 200). */
export async function listBreakGlassGrants(ctx: ServiceContext, query: unknown): Promise<BreakGlassItem[]> {
  requirePermission(ctx, 'grants.read');
  const { view } = parseInput(breakGlassListQuerySchema, query ?? {});
  const rows = await db().grant.findMany({
    where: { tenantId: ctx.tenantId, kind: 'break_glass', ...(view === 'pending' ? { postReviewedAt: null } : {}) },
    include: { agent: { select: { id: true, name: true } }, tool: { select: { id: true, name: true, risk: true, server: { select: { name: true } } } } },
    orderBy: { createdAt: view === 'pending' ? 'asc' : 'desc' },
    take: 200,
  });
  const userIds = [...new Set(rows.flatMap((r) => [r.createdById, r.postReviewedById]).filter((x): x is string => !!x))];
  const users = await db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } });
  const user = (id: string | null) => users.find((u) => u.id === id) ?? null;
  const now = new Date();
  const me = ctx.actor.type === 'user' ? ctx.actor.id : null;
  const mayReview = ctx.actor.type === 'user' && can(ctx.role, 'reviews.manage');
  return rows.map((g) => {
    const own = !!me && g.createdById === me;
    const reviewed = !!g.postReviewedAt;
    return {
      id: g.id,
      agent: g.agent,
      tool: { id: g.tool.id, name: g.tool.name, risk: g.tool.risk, serverName: g.tool.server.name },
      actions: g.actions,
      resourcePatterns: g.resourcePatterns,
      justification: g.justification,
      createdAt: g.createdAt.toISOString(),
      expiresAt: g.expiresAt?.toISOString() ?? null,
      revokedAt: g.revokedAt?.toISOString() ?? null,
      uses: g.uses,
      status: g.revokedAt ? 'revoked' : g.expiresAt && g.expiresAt <= now ? 'expired' : 'active',
      createdBy: user(g.createdById),
      postReviewedAt: g.postReviewedAt?.toISOString() ?? null,
      postReviewedBy: user(g.postReviewedById),
      canReview: mayReview && !own && !reviewed,
      reviewBlockedReason: reviewed ? 'Already reviewed' : !mayReview ? 'Security or an admin reviews break-glass access' : own ? 'You used this break-glass access: a second person must review it' : null,
    };
  });
}

/**
 * The post-hoc review by a second person: records who looked at it and what they concluded,
 * and can end the grant at once when it was not warranted. The creator never reviews their own.
 */
export async function postReviewBreakGlass(ctx: ServiceContext, grantId: string, input: unknown) {
  requirePermission(ctx, 'reviews.manage');
  const { note, revoke } = parseInput(postReviewSchema, input);
  if (ctx.actor.type !== 'user' || !ctx.actor.id) throw forbidden('Break-glass access is reviewed by a person');
  const me = ctx.actor.id;
  return inTx(async (tx) => {
    const grant = await tx.grant.findFirst({ where: { id: grantId, tenantId: ctx.tenantId, kind: 'break_glass' } });
    if (!grant) throw notFound('Break-glass grant');
    if (grant.createdById === me) throw forbidden('You used this break-glass access: a second person must review it');
    const now = new Date();
    const { count } = await tx.grant.updateMany({
      where: { id: grant.id, tenantId: ctx.tenantId, postReviewedAt: null },
      data: { postReviewedAt: now, postReviewedById: me },
    });
    if (count !== 1) throw conflict('This break-glass access has already been reviewed');
    let revoked = false;
    if (revoke) revoked = await endGrantInTx(tx, ctx, grant.id, `Break-glass review: ${note}`, now);
    await recordAudit(tx, ctx, {
      event: 'grant.post_reviewed',
      targetType: 'grant',
      targetId: grant.id,
      before: { postReviewedAt: null },
      after: { postReviewedAt: now, postReviewedById: me, note, revoked },
    });
    return { id: grant.id, postReviewedAt: now.toISOString(), revoked };
  });
}
