import { AppError } from '../../errors';
import type { ServiceContext } from '../../context';
import type { Role } from '../../auth/permissions';
import { db } from '../../db/client';
import { bearer, secretMatches } from '../../servers/key-format';

const TOKEN_RE = /^twp_([a-f0-9]{24})_([A-Za-z0-9_-]{32,100})$/;
const invalid = () => new AppError('unauthenticated', 'Missing, invalid, expired or revoked personal API token');

/** `Authorization: Bearer twp_…` → the token owner's context in the token's tenant, current role. */
export async function authenticatePersonalToken(authorization: string | null | undefined, meta: { requestId: string; ip: string | null; userAgent: string | null }): Promise<ServiceContext> {
  const m = TOKEN_RE.exec(bearer(authorization) ?? '');
  if (!m) throw invalid();
  const token = await db().apiToken.findUnique({ where: { id: m[1] } });
  if (!token || !secretMatches(m[2], token.secretHash)) throw invalid();
  if (token.revokedAt || (token.expiresAt && token.expiresAt <= new Date())) throw invalid();
  const membership = await db().membership.findUnique({
    where: { tenantId_userId: { tenantId: token.tenantId, userId: token.userId } },
    include: { user: { select: { email: true, disabledAt: true } } },
  });
  if (!membership || membership.user.disabledAt) throw invalid();
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) {
    await db().apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  }
  return {
    tenantId: token.tenantId,
    actor: { type: 'user', id: token.userId, label: `${membership.user.email} (token ${token.name})` },
    role: membership.role as Role,
    requestMeta: meta,
  };
}
