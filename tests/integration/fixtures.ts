import { randomBytes } from 'node:crypto';
import { db } from '../../lib/db/client';
import { newId } from '../../lib/ids';
import type { ServiceContext } from '../../lib/context';
import type { Role } from '../../lib/auth/permissions';
import { DEFAULT_APPROVAL_POLICIES } from '../../lib/tenants/default-policies';

// Tenants for integration tests, created through Prisma on the run's fresh database. Each call
// makes a new tenant with a unique slug, so tests never see each other's rows.

export interface TenantFixture {
  tenantId: string;
  slug: string;
  users: Record<Role, { id: string; email: string }>;
  ctx: (role: Role) => ServiceContext;
}

export async function createTenantFixture(label = 't'): Promise<TenantFixture> {
  const suffix = randomBytes(4).toString('hex');
  const slug = `${label}-${suffix}`;
  const tenant = await db().tenant.create({ data: { id: newId('tenant'), slug, name: `Tenant ${slug}` } });
  for (const p of DEFAULT_APPROVAL_POLICIES) await db().approvalPolicy.create({ data: { id: newId('approvalPolicy'), tenantId: tenant.id, ...p } });
  const users = {} as TenantFixture['users'];
  for (const role of ['admin', 'security', 'member', 'auditor'] as Role[]) {
    const email = `${role}-${suffix}@example.test`;
    const user = await db().user.create({ data: { id: newId('user'), email, name: role } });
    await db().membership.create({ data: { id: newId('membership'), tenantId: tenant.id, userId: user.id, role } });
    users[role] = { id: user.id, email };
  }
  return {
    tenantId: tenant.id,
    slug,
    users,
    ctx: (role) => ({
      tenantId: tenant.id,
      actor: { type: 'user', id: users[role].id, label: users[role].email },
      role,
      requestMeta: { ip: '127.0.0.1', userAgent: 'vitest', requestId: `test-${randomBytes(4).toString('hex')}` },
    }),
  };
}

export async function auditEventsFor(tenantId: string, targetId?: string) {
  return db().auditEvent.findMany({ where: { tenantId, ...(targetId ? { targetId } : {}) }, orderBy: { seq: 'asc' } });
}
