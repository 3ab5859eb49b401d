import { systemContext } from '../context';
import { db } from '../db/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { endGrantInTx } from '../requests/jit-grant';

// The deadline of an access review: every item nobody reviewed is revoked (a grant nobody
// vouches for is a grant nobody needs), and the campaign closes. Runs at start-up, so deadlines
// that passed while no server was running are honoured too, and then on an interval.

export const AUTO_REVOKE_NOTE = 'Not reviewed by the deadline: revoked automatically';

/**
 * Closes every open campaign past its deadline, in every tenant. Each campaign closes in one
 * transaction with its row locked, so instances running this at once close it exactly once.
 * Returns how many campaigns closed and how many grants were revoked.
 */
export async function closeDueReviewCampaigns(now: Date = new Date()): Promise<{ closed: number; revoked: number }> {
  const due = await db().reviewCampaign.findMany({ where: { status: 'open', deadline: { lte: now } }, select: { id: true, tenantId: true }, orderBy: { deadline: 'asc' }, take: 100 });
  let closed = 0;
  let revoked = 0;
  for (const c of due) {
    const ctx = systemContext(c.tenantId, 'close-review-campaigns');
    const result = await inTx(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string; status: string; name: string }[]>`SELECT id, status::text AS status, name FROM "ReviewCampaign" WHERE id = ${c.id} AND "tenantId" = ${c.tenantId} FOR UPDATE`;
      const campaign = locked[0];
      if (!campaign || campaign.status !== 'open') return null;
      const open = await tx.reviewItem.findMany({ where: { tenantId: c.tenantId, campaignId: c.id, verdict: null }, select: { id: true, grantId: true } });
      let ended = 0;
      for (const item of open) {
        const { count } = await tx.reviewItem.updateMany({
          where: { id: item.id, verdict: null },
          data: { verdict: 'revoke', note: AUTO_REVOKE_NOTE, decidedById: null, decidedAt: now },
        });
        if (count !== 1) continue;
        const grantRevoked = await endGrantInTx(tx, ctx, item.grantId, `Access review "${campaign.name}": ${AUTO_REVOKE_NOTE.toLowerCase()}`, now);
        if (grantRevoked) ended++;
        await recordAudit(tx, ctx, {
          event: 'review.item_decided',
          targetType: 'review_item',
          targetId: item.id,
          before: { verdict: null },
          after: { campaignId: c.id, grantId: item.grantId, verdict: 'revoke', note: AUTO_REVOKE_NOTE, automatic: true, grantRevoked },
        });
      }
      await tx.reviewCampaign.update({ where: { id: c.id }, data: { status: 'closed', closedAt: now } });
      const items = await tx.reviewItem.groupBy({ by: ['verdict'], where: { tenantId: c.tenantId, campaignId: c.id }, _count: { _all: true } });
      await recordAudit(tx, ctx, {
        event: 'review.campaign_closed',
        targetType: 'review_campaign',
        targetId: c.id,
        before: { status: 'open' },
        after: {
          status: 'closed',
          closedAt: now,
          kept: items.find((i) => i.verdict === 'keep')?._count._all ?? 0,
          revoked: items.find((i) => i.verdict === 'revoke')?._count._all ?? 0,
          unreviewedRevoked: open.length,
        },
      });
      return ended;
    });
    if (result !== null) {
      closed++;
      revoked += result;
    }
  }
  return { closed, revoked };
}
