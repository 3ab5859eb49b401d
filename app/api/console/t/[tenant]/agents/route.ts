import { consoleRoute } from '@/lib/console/route';
import { createAgent, listAgents } from '@/lib/agents/service';

type P = { tenant: string };

/** ?q&status&cursor&limit: keyset pagination, newest first */
export const GET = consoleRoute<P>(({ session, query }) => listAgents(session.ctx, query));

export const POST = consoleRoute<P>(({ session, body }) => createAgent(session.ctx, body));
