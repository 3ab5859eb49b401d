import { consoleRoute } from '@/lib/console/route';
import { listAgentDecisions } from '@/lib/overview/agent-activity';

type P = { tenant: string; id: string };

/** the agent's last 50 decisions, newest first */
export const GET = consoleRoute<P>(({ session, params }) => listAgentDecisions(session.ctx, params.id));
