import { consoleRoute } from '@/lib/console/route';
import { can } from '@/lib/auth/permissions';
import { listAgentGrants } from '@/lib/grants/service';

type P = { tenant: string; id: string };

/**
 * The agent's grants, with the grants list's filters (?status&cursor&limit…). `viewer` tells
 * the agent page whether to offer revoking (the service checks again when it is used).
 */
export const GET = consoleRoute<P>(async ({ session, params, query }) => ({
  ...(await listAgentGrants(session.ctx, params.id, query)),
  viewer: { canManage: can(session.role, 'grants.manage') },
}));
