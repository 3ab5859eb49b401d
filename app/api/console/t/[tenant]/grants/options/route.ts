import { consoleRoute } from '@/lib/console/route';
import { grantFormOptions } from '@/lib/grants/options';

type P = { tenant: string };

export const GET = consoleRoute<P>(({ session }) => grantFormOptions(session.ctx));
