import { consoleRoute } from '@/lib/console/route';
import { revokeServerKey } from '@/lib/servers/keys';

type P = { tenant: string; id: string };

/** takes effect on the machine API within a second (policy version bump by trigger) */
export const POST = consoleRoute<P>(async ({ session, params }) => Response.json(await revokeServerKey(session.ctx, params.id)));
