import { consoleRoute } from '@/lib/console/route';
import { deleteIdentity } from '@/lib/agents/identities';

type P = { tenant: string; id: string };

export const DELETE = consoleRoute<P>(({ session, params }) => deleteIdentity(session.ctx, params.id));
