import { consoleRoute } from '@/lib/console/route';
import { getDecision } from '@/lib/decision-log/detail';

type P = { tenant: string; id: string };

export const GET = consoleRoute<P>(({ session, params }) => getDecision(session.ctx, params.id));
