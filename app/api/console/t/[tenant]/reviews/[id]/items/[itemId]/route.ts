import { consoleRoute } from '@/lib/console/route';
import { decideReviewItem } from '@/lib/reviews/service';

type P = { tenant: string; id: string; itemId: string };

/** { verdict: 'keep' | 'revoke', note } */
export const POST = consoleRoute<P>(async ({ session, params, body }) => Response.json(await decideReviewItem(session.ctx, params.id, params.itemId, body), { status: 200 }));
