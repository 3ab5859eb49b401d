import { randomUUID } from 'node:crypto';
import { db } from '../db/client';
import type { ServiceContext } from '../context';
import { AppError, notFound } from '../errors';
import type { Role } from './permissions';
import { auth } from './config';
import { sessionUser } from './sessions';
import { CLIENT_IP_HEADER } from './client-ip';

export interface ConsoleSession {
  ctx: ServiceContext;
  tenant: { id: string; slug: string; name: string };
  user: { id: string; email: string; name: string };
  role: Role;
}

export async function currentUser() {
  const session = await auth();
  const id = (session?.user as { id?: string } | undefined)?.id;
  // the cookie alone is not enough: its server-side session must still be open
  return sessionUser((session as { sid?: string } | null)?.sid, id);
}

export async function userTenants(userId: string) {
  const rows = await db().membership.findMany({ where: { userId }, include: { tenant: { select: { slug: true, name: true } } }, orderBy: { createdAt: 'asc' } });
  return rows.map((m) => ({ slug: m.tenant.slug, name: m.tenant.name, role: m.role }));
}

/**
 * The signed-in user's context in the tenant named by the URL. No session → 401; not a member
 * of that tenant (or no such tenant) → 404, so tenant names do not leak.
 */
export async function consoleSession(tenantSlug: string, headers: Headers): Promise<ConsoleSession> {
  const user = await currentUser();
  if (!user) throw new AppError('unauthenticated', 'Sign in to continue');
  const membership = await db().membership.findFirst({ where: { userId: user.id, tenant: { slug: tenantSlug } }, include: { tenant: true } });
  if (!membership) throw notFound('Tenant');
  const role = membership.role as Role;
  return {
    tenant: { id: membership.tenant.id, slug: membership.tenant.slug, name: membership.tenant.name },
    user: { id: user.id, email: user.email, name: user.name },
    role,
    ctx: {
      tenantId: membership.tenantId,
      actor: { type: 'user', id: user.id, label: user.email },
      role,
      requestMeta: {
        ip: headers.get(CLIENT_IP_HEADER),
        userAgent: headers.get('user-agent'),
        requestId: headers.get('x-request-id') ?? randomUUID(),
      },
    },
  };
}
