import { consoleRoute } from '@/lib/console/route';
import { addToolOwner } from '@/lib/tools/service';

type P = { tenant: string; id: string };

/** { userId }: a member of this tenant */
export const POST = consoleRoute<P>(({ session, params, body }) => addToolOwner(session.ctx, params.id, body));
