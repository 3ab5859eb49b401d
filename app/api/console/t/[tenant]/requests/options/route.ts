import { consoleRoute } from '@/lib/console/route';
import { accessRequestOptions } from '@/lib/requests/console-requests';

type P = { tenant: string };

/** the agents this person may file for, and the tools with their approval policy in words */
export const GET = consoleRoute<P>(({ session }) => accessRequestOptions(session.ctx));
