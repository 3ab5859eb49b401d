import { consoleRoute } from '@/lib/console/route';
import { createIdentity } from '@/lib/agents/identities';

type P = { tenant: string; id: string };

export const POST = consoleRoute<P>(({ session, params, body }) => createIdentity(session.ctx, params.id, body));
