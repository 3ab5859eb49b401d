import { consoleRoute } from '@/lib/console/route';
import { getGrant, updateGrant } from '@/lib/grants/service';

type P = { tenant: string; id: string };

export const GET = consoleRoute<P>(({ session, params }) => getGrant(session.ctx, params.id));

export const PATCH = consoleRoute<P>(({ session, params, body }) => updateGrant(session.ctx, params.id, body));
