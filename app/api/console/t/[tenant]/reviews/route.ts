import { consoleRoute } from '@/lib/console/route';
import { createReviewCampaign, listReviewCampaigns } from '@/lib/reviews/service';

type P = { tenant: string };

export const GET = consoleRoute<P>(({ session }) => listReviewCampaigns(session.ctx));

/** { name, scope: { elevated?, standingOlderThanDays? }, deadline } */
export const POST = consoleRoute<P>(({ session, body }) => createReviewCampaign(session.ctx, body));
