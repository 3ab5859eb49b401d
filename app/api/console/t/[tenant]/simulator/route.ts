import { consoleRoute } from '@/lib/console/route';
import { simulateDecision } from '@/lib/decisions/simulate';

type P = { tenant: string };

/** what the decision API would answer, and why; nothing is logged and no use is spent (200) */
export const POST = consoleRoute<P>(async ({ session, body }) => Response.json(await simulateDecision(session.ctx, body)));
