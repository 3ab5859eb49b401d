import { consoleRoute } from '@/lib/console/route';
import { createDenyRule, listDenyRules } from '@/lib/deny-rules/service';

type P = { tenant: string };

/** ?agentId&toolId&cursor&limit — newest first */
export const GET = consoleRoute<P>(({ session, query }) => listDenyRules(session.ctx, query));

export const POST = consoleRoute<P>(({ session, body }) => createDenyRule(session.ctx, body));
