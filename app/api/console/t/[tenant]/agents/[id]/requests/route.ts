import { consoleRoute } from '@/lib/console/route';
import { listAgentPendingRequests } from '@/lib/overview/agent-activity';

type P = { tenant: string; id: string };

/** access requests for the agent still waiting for a decision (read-only) */
export const GET = consoleRoute<P>(({ session, params }) => listAgentPendingRequests(session.ctx, params.id));
