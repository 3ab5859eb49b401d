import { consoleRoute } from '@/lib/console/route';
import { listAccessRequests } from '@/lib/requests/console-requests';

type P = { tenant: string };

/** the acting person's inbox: pending requests they may approve now */
export const GET = consoleRoute<P>(({ session, query }) => listAccessRequests(session.ctx, { ...query, view: 'waiting' }));
