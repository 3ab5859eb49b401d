import { consoleRoute } from '@/lib/console/route';
import { getReviewCampaign } from '@/lib/reviews/service';

type P = { tenant: string; id: string };

export const GET = consoleRoute<P>(({ session, params }) => getReviewCampaign(session.ctx, params.id));
