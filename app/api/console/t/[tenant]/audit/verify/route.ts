import { consoleRoute } from '@/lib/console/route';
import { auditChainStatus } from '@/lib/audit/chain-status';

type P = { tenant: string };

/** recomputes the tenant's hash chain; names the first broken link */
export const GET = consoleRoute<P>(({ session }) => auditChainStatus(session.ctx));
