import { consoleRoute } from '@/lib/console/route';
import { grantMatrix } from '@/lib/grants/matrix';

type P = { tenant: string };

/** ?serverId — agents × that server's tools, live grants only */
export const GET = consoleRoute<P>(({ session, query }) => grantMatrix(session.ctx, query));
