import { consoleRoute } from '@/lib/console/route';
import { createGrantsBulk } from '@/lib/grants/service';

type P = { tenant: string };

/** one tool to several agents: one grant each, one transaction */
export const POST = consoleRoute<P>(({ session, body }) => createGrantsBulk(session.ctx, body));
