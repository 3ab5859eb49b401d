import { consoleRoute } from '@/lib/console/route';
import { decisionStats } from '@/lib/decision-log/stats';

type P = { tenant: string };

/** the charts for the current filter: per-hour counts by outcome, top deny reasons */
export const GET = consoleRoute<P>(({ session, query }) => decisionStats(session.ctx, query));
