import { consoleRoute } from '@/lib/console/route';
import { createBreakGlassGrant, listBreakGlassGrants } from '@/lib/requests/break-glass';

type P = { tenant: string };

/** ?view=pending (not reviewed yet, default) | all */
export const GET = consoleRoute<P>(({ session, query }) => listBreakGlassGrants(session.ctx, query));

export const POST = consoleRoute<P>(({ session, body }) => createBreakGlassGrant(session.ctx, body));
