import { consoleRoute } from '@/lib/console/route';
import { listTrustDomainOptions } from '@/lib/agents/trust-domain-options';
import { createTrustDomain, listTrustDomains } from '@/lib/trust-domains/service';

type P = { tenant: string };

/**
 * Without `view`: the id/name options for the identity form (agents.read), a plain array.
 * `?view=manage&q&cursor&limit`: the settings list with keys and issuers (trust_domains.manage),
 * keyset-paginated.
 */
export const GET = consoleRoute<P>(({ session, query }) => (query.view === 'manage' ? listTrustDomains(session.ctx, query) : listTrustDomainOptions(session.ctx)));

export const POST = consoleRoute<P>(({ session, body }) => createTrustDomain(session.ctx, body));
