import { consoleRoute } from '@/lib/console/route';
import { classifyTool } from '@/lib/tools/service';

type P = { tenant: string; id: string };

/** { risk, defaultAction, sensitivity }: an unclassified tool becomes active */
export const POST = consoleRoute<P>(async ({ session, params, body }) => Response.json(await classifyTool(session.ctx, params.id, body)));
