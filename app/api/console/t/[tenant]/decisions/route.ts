import { consoleRoute } from '@/lib/console/route';
import { listDecisions } from '@/lib/decision-log/query';

type P = { tenant: string };

/** ?<filters>&cursor&limit: newest first, keyset pagination on (time desc, id desc) */
export const GET = consoleRoute<P>(({ session, query }) => listDecisions(session.ctx, query));
