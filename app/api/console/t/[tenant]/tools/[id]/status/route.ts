import { consoleRoute } from '@/lib/console/route';
import { setToolStatus } from '@/lib/tools/service';

type P = { tenant: string; id: string };

/** { status: 'active' | 'disabled' } */
export const POST = consoleRoute<P>(async ({ session, params, body }) => Response.json(await setToolStatus(session.ctx, params.id, body)));
