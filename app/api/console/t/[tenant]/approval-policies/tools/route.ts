import { consoleRoute } from '@/lib/console/route';
import { listPolicyToolOptions, setToolPolicy } from '@/lib/approval-policies/service';

type P = { tenant: string };

/** tools an override can be set for */
export const GET = consoleRoute<P>(({ session }) => listPolicyToolOptions(session.ctx));

/** sets (creates or replaces) a tool's own rule */
export const POST = consoleRoute<P>(({ session, body }) => setToolPolicy(session.ctx, body));
