import { consoleRoute } from '@/lib/console/route';
import { decisionFilterOptions } from '@/lib/decision-log/options';

type P = { tenant: string };

export const GET = consoleRoute<P>(({ session }) => decisionFilterOptions(session.ctx));
