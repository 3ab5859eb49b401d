import { consoleRoute } from '@/lib/console/route';
import { postReviewBreakGlass } from '@/lib/requests/break-glass';

type P = { tenant: string; id: string };

/** { note, revoke? } — by a second person */
export const POST = consoleRoute<P>(async ({ session, params, body }) => Response.json(await postReviewBreakGlass(session.ctx, params.id, body), { status: 200 }));
