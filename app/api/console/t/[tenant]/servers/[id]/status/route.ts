import { consoleRoute } from '@/lib/console/route';
import { setServerStatus } from '@/lib/servers/service';

type P = { tenant: string; id: string };

/** { status: 'active' | 'disabled' } */
export const POST = consoleRoute<P>(async ({ session, params, body }) => Response.json(await setServerStatus(session.ctx, params.id, body)));
