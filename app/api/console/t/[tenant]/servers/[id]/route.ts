import { consoleRoute } from '@/lib/console/route';
import { getServer, updateServer } from '@/lib/servers/service';

type P = { tenant: string; id: string };

export const GET = consoleRoute<P>(({ session, params }) => getServer(session.ctx, params.id));

export const PATCH = consoleRoute<P>(({ session, params, body }) => updateServer(session.ctx, params.id, body));
