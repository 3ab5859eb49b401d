import { consoleRoute } from '@/lib/console/route';
import { listToolVersions } from '@/lib/tools/history';

type P = { tenant: string; id: string };

/** ?cursor&limit: newest first, each with a line diff against the version before it */
export const GET = consoleRoute<P>(({ session, params, query }) => listToolVersions(session.ctx, params.id, query));
