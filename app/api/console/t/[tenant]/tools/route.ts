import { consoleRoute } from '@/lib/console/route';
import { createTool, listTools } from '@/lib/tools/service';

type P = { tenant: string };

/** ?q&serverId&status&risk&changed&cursor&limit: keyset pagination, newest first */
export const GET = consoleRoute<P>(({ session, query }) => listTools(session.ctx, query));

export const POST = consoleRoute<P>(({ session, body }) => createTool(session.ctx, body));
