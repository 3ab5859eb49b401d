import { consoleRoute } from '@/lib/console/route';
import { toolGrantPolicy } from '@/lib/grants/options';

type P = { tenant: string; toolId: string };

/** the guardrails a grant on this tool must respect, for the form */
export const GET = consoleRoute<P>(({ session, params }) => toolGrantPolicy(session.ctx, params.toolId));
