import { consoleRoute } from '@/lib/console/route';
import { checkCondition } from '@/lib/grants/condition-check';

type P = { tenant: string };

/** checks a CEL condition as saving would; changes nothing, so it answers 200 */
export const POST = consoleRoute<P>(async ({ session, body }) => Response.json(checkCondition(session.ctx, body)));
