import { consoleRoute } from '@/lib/console/route';
import { getOverview } from '@/lib/overview/service';

type P = { tenant: string };

/** ?range=24h|7d&tz=<IANA zone> */
export const GET = consoleRoute<P>(({ session, query }) => getOverview(session.ctx, query));
