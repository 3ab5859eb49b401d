import { consoleRoute } from '@/lib/console/route';
import { deleteAgent, getAgent, updateAgent } from '@/lib/agents/service';

type P = { tenant: string; id: string };

export const GET = consoleRoute<P>(({ session, params }) => getAgent(session.ctx, params.id));

export const PATCH = consoleRoute<P>(({ session, params, body }) => updateAgent(session.ctx, params.id, body));

export const DELETE = consoleRoute<P>(({ session, params }) => deleteAgent(session.ctx, params.id));
