import { consoleRoute } from '@/lib/console/route';
import { cancelAccessRequest } from '@/lib/requests/console-requests';

type P = { tenant: string; id: string };

export const POST = consoleRoute<P>(({ session, params, body }) => cancelAccessRequest(session.ctx, params.id, body ?? {}));
