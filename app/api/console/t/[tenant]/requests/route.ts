import { consoleRoute } from '@/lib/console/route';
import { createConsoleAccessRequest, listAccessRequests } from '@/lib/requests/console-requests';

type P = { tenant: string };

/** ?view=waiting|all|mine&status&agentId&toolId&cursor&limit */
export const GET = consoleRoute<P>(({ session, query }) => listAccessRequests(session.ctx, query));

export const POST = consoleRoute<P>(({ session, body }) => createConsoleAccessRequest(session.ctx, body));
