import { consoleRoute } from '@/lib/console/route';
import { simulatorOptions } from '@/lib/grants/options';

type P = { tenant: string };

export const GET = consoleRoute<P>(({ session }) => simulatorOptions(session.ctx));
