import { consoleRoute } from '@/lib/console/route';
import { listTrustDomainOptions } from '@/lib/agents/trust-domain-options';

type P = { tenant: string };

export const GET = consoleRoute<P>(({ session }) => listTrustDomainOptions(session.ctx));
