import { consoleRoute } from '@/lib/console/route';
import { createGrant, listGrants } from '@/lib/grants/service';

type P = { tenant: string };

/** ?agentId&toolId&serverId&risk&kind&status&expiringWithinHours&cursor&limit — newest first */
export const GET = consoleRoute<P>(({ session, query }) => listGrants(session.ctx, query));

/** a standing grant, under the guardrails of the tool's risk */
export const POST = consoleRoute<P>(({ session, body }) => createGrant(session.ctx, body));
