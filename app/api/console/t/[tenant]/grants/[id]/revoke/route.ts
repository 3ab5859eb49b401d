import { consoleRoute } from '@/lib/console/route';
import { revokeGrant } from '@/lib/grants/service';

type P = { tenant: string; id: string };

/** { reason } — mandatory */
export const POST = consoleRoute<P>(async ({ session, params, body }) => Response.json(await revokeGrant(session.ctx, params.id, body)));
