import type { ServiceContext } from '../context';
import { db, type Tx } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { recordExport } from '../audit/exported';
import { can } from '../auth/permissions';
import { requirePermission } from '../auth/require';
import { conflict, forbidden, invalid, notFound } from '../errors';
import { newId } from '../ids';
import type { Action, Risk } from '../policy/types';
import { endGrantInTx } from '../requests/jit-grant';
import { parseInput } from '../validation';
import { enqueueWebhookEvent } from '../webhooks/enqueue';
import { toCsv } from './csv';
import { campaignScopeSchema, createCampaignSchema, decideItemSchema, describeScope, MAX_CAMPAIGN_ITEMS, type CampaignScope } from './schemas';

// Access reviews: a campaign snapshots the grants in its scope; each item goes to the owners of
// its tool (security decides items of tools nobody owns, and may decide any); keep or revoke,
// with a note. At the deadline, whatever is still unreviewed is revoked (close.ts).

const MAX_DEADLINE_MS = 366 * 86_400_000;

function scopeOf(json: unknown): CampaignScope {
  const parsed = campaignScopeSchema.safeParse(json);
  return parsed.success ? parsed.data : { elevated: true, standingOlderThanDays: null };
}

function grantsInScope(tenantId: string, scope: CampaignScope, now: Date): Prisma.GrantWhereInput {
  const or: Prisma.GrantWhereInput[] = [];
  if (scope.elevated) or.push({ tool: { risk: { in: ['high', 'critical'] } } });
  if (scope.standingOlderThanDays !== null) or.push({ kind: 'standing', createdAt: { lt: new Date(now.getTime() - scope.standingOlderThanDays * 86_400_000) } });
  return { tenantId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }], AND: [{ OR: or }] };
}

export async function createReviewCampaign(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, 'reviews.manage');
  const data = parseInput(createCampaignSchema, input);
  const now = new Date();
  if (data.deadline.getTime() <= now.getTime() + 60_000) throw invalid('The deadline must be in the future', [{ name: 'deadline', reason: 'The deadline must be in the future' }]);
  if (data.deadline.getTime() > now.getTime() + MAX_DEADLINE_MS) throw invalid('The deadline must be within a year', [{ name: 'deadline', reason: 'The deadline must be within a year' }]);
  return inTx(async (tx) => {
    const grants = await tx.grant.findMany({ where: grantsInScope(ctx.tenantId, data.scope, now), select: { id: true }, orderBy: { id: 'asc' }, take: MAX_CAMPAIGN_ITEMS + 1 });
    if (grants.length === 0) {
      const reason = `No live grants match this scope (${describeScope(data.scope)}): there is nothing to review`;
      throw invalid(reason, [{ name: 'scope', reason }]);
    }
    if (grants.length > MAX_CAMPAIGN_ITEMS) {
      const reason = `More than ${MAX_CAMPAIGN_ITEMS} grants match: narrow the scope`;
      throw invalid(reason, [{ name: 'scope', reason }]);
    }
    const campaign = await tx.reviewCampaign.create({
      data: {
        id: newId('campaign'),
        tenantId: ctx.tenantId,
        name: data.name,
        scope: data.scope as Prisma.InputJsonValue,
        deadline: data.deadline,
        createdById: ctx.actor.type === 'user' ? ctx.actor.id : null,
      },
    });
    await tx.reviewItem.createMany({ data: grants.map((g) => ({ id: newId('reviewItem'), tenantId: ctx.tenantId, campaignId: campaign.id, grantId: g.id })) });
    await recordAudit(tx, ctx, {
      event: 'review.campaign_created',
      targetType: 'review_campaign',
      targetId: campaign.id,
      after: { name: campaign.name, scope: data.scope, deadline: campaign.deadline, items: grants.length },
    });
    await enqueueWebhookEvent(
      tx,
      ctx.tenantId,
      'review.due',
      {
        text: `Access review "${campaign.name}": ${grants.length} grant${grants.length === 1 ? '' : 's'} (${describeScope(data.scope)}) to review by ${campaign.deadline.toISOString()}. Unreviewed grants are revoked at the deadline.`,
        review: { kind: 'campaign', id: campaign.id, name: campaign.name, items: grants.length, deadline: campaign.deadline.toISOString() },
      },
      `/reviews/${campaign.id}`,
    );
    return { id: campaign.id, name: campaign.name, deadline: campaign.deadline.toISOString(), items: grants.length };
  });
}

interface ItemCounts {
  total: number;
  decided: number;
  kept: number;
  revoked: number;
  autoRevoked: number;
}

function count(items: { verdict: string | null; decidedById: string | null }[]): ItemCounts {
  return {
    total: items.length,
    decided: items.filter((i) => i.verdict !== null).length,
    kept: items.filter((i) => i.verdict === 'keep').length,
    revoked: items.filter((i) => i.verdict === 'revoke' && i.decidedById !== null).length,
    autoRevoked: items.filter((i) => i.verdict === 'revoke' && i.decidedById === null).length,
  };
}

export async function listReviewCampaigns(ctx: ServiceContext) {
  requirePermission(ctx, 'grants.read');
  const campaigns = await db().reviewCampaign.findMany({
    where: { tenantId: ctx.tenantId },
    orderBy: { createdAt: 'desc' },
    take: 200,
    include: { items: { select: { verdict: true, decidedById: true } } },
  });
  const creators = await db().user.findMany({ where: { id: { in: campaigns.map((c) => c.createdById).filter((x): x is string => !!x) } }, select: { id: true, email: true } });
  return campaigns.map(({ items, ...c }) => ({
    id: c.id,
    name: c.name,
    scope: scopeOf(c.scope),
    scopeText: describeScope(scopeOf(c.scope)),
    deadline: c.deadline.toISOString(),
    status: c.status,
    createdAt: c.createdAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
    createdBy: creators.find((u) => u.id === c.createdById)?.email ?? null,
    ...count(items),
  }));
}

async function loadCampaign(client: Pick<Tx, 'reviewCampaign'>, ctx: ServiceContext, id: string) {
  const c = await client.reviewCampaign.findFirst({ where: { id, tenantId: ctx.tenantId } });
  if (!c) throw notFound('Review campaign');
  return c;
}

/** Who may decide an item: an owner of its tool, or security/admin (they run reviews). */
function mayDecide(ctx: ServiceContext, toolOwners: string[]): boolean {
  const me = ctx.actor.type === 'user' ? ctx.actor.id : null;
  if (!me) return false;
  if (can(ctx.role, 'reviews.manage')) return true;
  return can(ctx.role, 'requests.approve_as_owner') && toolOwners.includes(me);
}

export interface ReviewItemView {
  id: string;
  grant: {
    id: string;
    agent: { id: string; name: string } | null;
    tool: { id: string; name: string; risk: Risk | null; serverName: string } | null;
    kind: string | null;
    actions: Action[];
    resourcePatterns: string[];
    createdAt: string | null;
    expiresAt: string | null;
    revokedAt: string | null;
  };
  reviewers: { id: string; email: string }[];
  verdict: 'keep' | 'revoke' | null;
  note: string;
  decidedBy: string | null;
  decidedAt: string | null;
  autoRevoked: boolean;
  canDecide: boolean;
}

async function campaignItems(ctx: ServiceContext, campaignId: string) {
  const items = await db().reviewItem.findMany({ where: { tenantId: ctx.tenantId, campaignId }, orderBy: { id: 'asc' } });
  const grants = await db().grant.findMany({
    where: { tenantId: ctx.tenantId, id: { in: items.map((i) => i.grantId) } },
    include: { agent: { select: { id: true, name: true } }, tool: { select: { id: true, name: true, risk: true, server: { select: { name: true } } } } },
  });
  const toolIds = [...new Set(grants.map((g) => g.toolId))];
  const owners = await db().toolOwner.findMany({ where: { tenantId: ctx.tenantId, toolId: { in: toolIds } }, select: { toolId: true, userId: true } });
  const userIds = [...new Set([...owners.map((o) => o.userId), ...items.map((i) => i.decidedById).filter((x): x is string => !!x)])];
  const users = await db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } });
  const email = (id: string | null) => users.find((u) => u.id === id)?.email ?? null;
  return items.map((i) => {
    const g = grants.find((x) => x.id === i.grantId);
    const toolOwners = g ? owners.filter((o) => o.toolId === g.toolId).map((o) => o.userId) : [];
    return {
      item: i,
      toolOwners,
      view: {
        id: i.id,
        grant: {
          id: i.grantId,
          agent: g ? g.agent : null,
          tool: g ? { id: g.tool.id, name: g.tool.name, risk: g.tool.risk, serverName: g.tool.server.name } : null,
          kind: g?.kind ?? null,
          actions: g?.actions ?? [],
          resourcePatterns: g?.resourcePatterns ?? [],
          createdAt: g?.createdAt.toISOString() ?? null,
          expiresAt: g?.expiresAt?.toISOString() ?? null,
          revokedAt: g?.revokedAt?.toISOString() ?? null,
        },
        reviewers: toolOwners.map((id) => ({ id, email: email(id) ?? id })),
        verdict: i.verdict,
        note: i.note,
        decidedBy: email(i.decidedById),
        decidedAt: i.decidedAt?.toISOString() ?? null,
        autoRevoked: i.verdict === 'revoke' && i.decidedById === null,
        canDecide: false,
      } as ReviewItemView,
    };
  });
}

export async function getReviewCampaign(ctx: ServiceContext, id: string) {
  requirePermission(ctx, 'grants.read');
  const c = await loadCampaign(db(), ctx, id);
  const rows = await campaignItems(ctx, c.id);
  const open = c.status === 'open' && c.deadline > new Date();
  const items = rows.map((r) => ({ ...r.view, canDecide: open && r.item.verdict === null && mayDecide(ctx, r.toolOwners) }));

  // progress per reviewer: the items of the tools they own (and who decided them);
  // items of tools nobody owns go to security
  const reviewers = new Map<string, { reviewer: string; assigned: number; decided: number }>();
  const bump = (key: string, label: string, decided: boolean) => {
    const r = reviewers.get(key) ?? { reviewer: label, assigned: 0, decided: 0 };
    r.assigned++;
    if (decided) r.decided++;
    reviewers.set(key, r);
  };
  for (const i of items) {
    if (i.reviewers.length === 0) bump('security', 'Security (tools without an owner)', i.verdict !== null);
    for (const r of i.reviewers) bump(r.id, r.email, i.verdict !== null);
  }
  const creator = c.createdById ? await db().user.findUnique({ where: { id: c.createdById }, select: { email: true } }) : null;
  return {
    id: c.id,
    name: c.name,
    scope: scopeOf(c.scope),
    scopeText: describeScope(scopeOf(c.scope)),
    deadline: c.deadline.toISOString(),
    status: c.status,
    open,
    createdAt: c.createdAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
    createdBy: creator?.email ?? null,
    ...count(rows.map((r) => r.item)),
    progress: [...reviewers.values()].sort((a, b) => a.reviewer.localeCompare(b.reviewer)),
    items,
  };
}

export async function decideReviewItem(ctx: ServiceContext, campaignId: string, itemId: string, input: unknown) {
  const { verdict, note } = parseInput(decideItemSchema, input);
  if (ctx.actor.type !== 'user' || !ctx.actor.id) throw forbidden('Review items are decided by people');
  const me = ctx.actor.id;
  return inTx(async (tx) => {
    const c = await loadCampaign(tx, ctx, campaignId);
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "ReviewItem" WHERE id = ${itemId} AND "campaignId" = ${c.id} AND "tenantId" = ${ctx.tenantId} FOR UPDATE`;
    if (locked.length === 0) throw notFound('Review item');
    const now = new Date();
    if (c.status !== 'open') throw conflict('This campaign is closed: its items can no longer be decided');
    if (c.deadline <= now) throw conflict('This campaign is past its deadline: unreviewed grants are being revoked');
    const item = await tx.reviewItem.findFirstOrThrow({ where: { id: itemId, tenantId: ctx.tenantId } });
    const grant = await tx.grant.findFirst({ where: { id: item.grantId, tenantId: ctx.tenantId }, select: { id: true, toolId: true, revokedAt: true, agent: { select: { name: true } }, tool: { select: { name: true } } } });
    const owners = grant ? (await tx.toolOwner.findMany({ where: { tenantId: ctx.tenantId, toolId: grant.toolId }, select: { userId: true } })).map((o) => o.userId) : [];
    if (!mayDecide(ctx, owners)) throw forbidden(`Only the owners of ${grant?.tool.name ?? 'this tool'} (or security) review this grant`);
    if (item.verdict !== null) throw conflict(`This grant was already reviewed (${item.verdict})`);
    await tx.reviewItem.update({ where: { id: item.id }, data: { verdict, note, decidedById: me, decidedAt: now } });
    let revoked = false;
    if (verdict === 'revoke' && grant) revoked = await endGrantInTx(tx, ctx, grant.id, `Access review "${c.name}": ${note}`, now);
    await recordAudit(tx, ctx, {
      event: 'review.item_decided',
      targetType: 'review_item',
      targetId: item.id,
      before: { verdict: null },
      after: { campaignId: c.id, grantId: item.grantId, agent: grant?.agent.name ?? null, tool: grant?.tool.name ?? null, verdict, note, grantRevoked: revoked },
    });
    return { id: item.id, verdict, note, decidedAt: now.toISOString(), grantRevoked: revoked };
  });
}

/** The campaign's report: one line per grant reviewed, with its verdict, who gave it and why. */
export async function exportReviewCampaignCsv(ctx: ServiceContext, id: string): Promise<{ filename: string; csv: string }> {
  if (!can(ctx.role, 'audit.export') && !can(ctx.role, 'reviews.manage') && ctx.actor.type !== 'system') throw forbidden();
  const c = await loadCampaign(db(), ctx, id);
  const rows = await campaignItems(ctx, c.id);
  const csv = toCsv(
    ['campaign', 'deadline', 'item_id', 'grant_id', 'agent', 'tool', 'server', 'risk', 'grant_kind', 'actions', 'resources', 'grant_created_at', 'grant_expires_at', 'reviewers', 'verdict', 'note', 'decided_by', 'decided_at', 'auto_revoked'],
    rows.map(({ view: i }) => [
      c.name,
      c.deadline,
      i.id,
      i.grant.id,
      i.grant.agent?.name ?? '(deleted)',
      i.grant.tool?.name ?? '(deleted)',
      i.grant.tool?.serverName ?? '',
      i.grant.tool?.risk ?? '',
      i.grant.kind ?? '',
      i.grant.actions,
      i.grant.resourcePatterns.length ? i.grant.resourcePatterns : '*',
      i.grant.createdAt,
      i.grant.expiresAt,
      i.reviewers.map((r) => r.email),
      i.verdict ?? 'pending',
      i.note,
      i.autoRevoked ? 'system (deadline)' : i.decidedBy,
      i.decidedAt,
      i.autoRevoked ? 'yes' : 'no',
    ]),
  );
  const safeName = c.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'campaign';
  // recorded before the report is handed out: no record, no report
  await recordExport(ctx, { event: 'review.campaign_exported', targetType: 'review_campaign', targetId: c.id, format: 'csv', rows: rows.length, outcome: 'completed' });
  return { filename: `access-review-${safeName}-${c.id}.csv`, csv };
}
