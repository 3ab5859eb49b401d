import { consoleRoute } from '@/lib/console/route';
import { getTool, updateTool } from '@/lib/tools/service';

type P = { tenant: string; id: string };

export const GET = consoleRoute<P>(({ session, params }) => getTool(session.ctx, params.id));

export const PATCH = consoleRoute<P>(({ session, params, body }) => updateTool(session.ctx, params.id, body));
