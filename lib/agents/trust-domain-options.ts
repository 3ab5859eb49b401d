import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { requirePermission } from '../auth/require';

/**
 * The tenant's trust domains as choices for the identity form. Only id and name: keys, issuers
 * and JWKS are settings data and stay behind trust_domains.manage.
 */
export async function listTrustDomainOptions(ctx: ServiceContext): Promise<{ id: string; name: string }[]> {
  requirePermission(ctx, 'agents.read');
  return db().trustDomain.findMany({
    where: { tenantId: ctx.tenantId },
    select: { id: true, name: true },
    orderBy: { name: 'asc' },
  });
}
