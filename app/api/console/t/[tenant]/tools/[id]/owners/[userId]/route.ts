import { consoleRoute } from '@/lib/console/route';
import { removeToolOwner } from '@/lib/tools/service';

type P = { tenant: string; id: string; userId: string };

export const DELETE = consoleRoute<P>(({ session, params }) => removeToolOwner(session.ctx, params.id, params.userId));
