import { consoleRoute } from '@/lib/console/route';
import { markToolDefinitionReviewed } from '@/lib/tools/service';

type P = { tenant: string; id: string };

export const POST = consoleRoute<P>(async ({ session, params }) => Response.json(await markToolDefinitionReviewed(session.ctx, params.id)));
