import { consoleRoute } from '@/lib/console/route';
import { createServer, listServers } from '@/lib/servers/service';

type P = { tenant: string };

/** ?q&status&cursor&limit: keyset pagination, newest first */
export const GET = consoleRoute<P>(({ session, query }) => listServers(session.ctx, query));

export const POST = consoleRoute<P>(({ session, body }) => createServer(session.ctx, body));
