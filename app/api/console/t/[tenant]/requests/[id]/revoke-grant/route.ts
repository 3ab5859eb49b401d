import { consoleRoute } from '@/lib/console/route';
import { revokeRequestGrant } from '@/lib/requests/console-requests';

type P = { tenant: string; id: string };

export const POST = consoleRoute<P>(({ session, params, body }) => revokeRequestGrant(session.ctx, params.id, body));
