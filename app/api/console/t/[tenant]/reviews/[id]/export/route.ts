import { consoleRoute } from '@/lib/console/route';
import { exportReviewCampaignCsv } from '@/lib/reviews/service';

type P = { tenant: string; id: string };

/** the campaign report as CSV (security/admin and auditors) */
export const GET = consoleRoute<P>(async ({ session, params }) => {
  const { filename, csv } = await exportReviewCampaignCsv(session.ctx, params.id);
  return new Response(csv, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    },
  });
});
