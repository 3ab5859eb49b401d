import { consoleRoute } from '@/lib/console/route';
import { deleteTrustDomain, getTrustDomain, updateTrustDomain } from '@/lib/trust-domains/service';

type P = { tenant: string; id: string };

export const GET = consoleRoute<P>(({ session, params }) => getTrustDomain(session.ctx, params.id));

export const PATCH = consoleRoute<P>(({ session, params, body }) => updateTrustDomain(session.ctx, params.id, body));

export const DELETE = consoleRoute<P>(({ session, params }) => deleteTrustDomain(session.ctx, params.id));
