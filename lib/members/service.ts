import type { ServiceContext } from '../context';
import { db } from '../db/client';
import type { Tx } from '../db/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { requirePermission } from '../auth/require';
import { hashPassword } from '../auth/passwords';
import { conflict, invalid, notFound } from '../errors';
import { newId, randomSecret } from '../ids';
import { parseInput } from '../validation';
import { addMemberSchema, changeRoleSchema } from './schemas';

export async function listMembers(ctx: ServiceContext) {
  requirePermission(ctx, 'tenant.read');
  const rows = await db().membership.findMany({
    where: { tenantId: ctx.tenantId },
    include: { user: { select: { id: true, email: true, name: true, disabledAt: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((m) => ({ id: m.id, role: m.role, createdAt: m.createdAt, user: m.user }));
}

/**
 * Adds a user to the tenant. A new user gets a random initial password, returned once for the
 * admin to hand over (no e-mail delivery in this deployment); an existing user keeps theirs.
 */
export async function addMember(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, 'members.manage');
  const data = parseInput(addMemberSchema, input);
  return inTx(async (tx) => {
    let user = await tx.user.findUnique({ where: { email: data.email } });
    let initialPassword: string | null = null;
    if (!user) {
      initialPassword = randomSecret(12);
      user = await tx.user.create({
        data: { id: newId('user'), email: data.email, name: data.name ?? data.email.split('@')[0], passwordHash: await hashPassword(initialPassword) },
      });
    }
    const existing = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: ctx.tenantId, userId: user.id } } });
    if (existing) throw conflict(`${data.email} is already a member`);
    const membership = await tx.membership.create({ data: { id: newId('membership'), tenantId: ctx.tenantId, userId: user.id, role: data.role } });
    await recordAudit(tx, ctx, { event: 'member.added', targetType: 'membership', targetId: membership.id, after: { email: user.email, role: data.role, newUser: initialPassword !== null } });
    return { membership, user: { id: user.id, email: user.email, name: user.name }, initialPassword };
  });
}

async function loadMembership(tx: Tx, ctx: ServiceContext, id: string) {
  const m = await tx.membership.findFirst({ where: { id, tenantId: ctx.tenantId }, include: { user: { select: { email: true } } } });
  if (!m) throw notFound('Member');
  return m;
}

/** the last admin cannot be demoted or removed: a tenant with no admin cannot be governed */
async function assertNotLastAdmin(tx: Tx, ctx: ServiceContext, m: { role: string }) {
  if (m.role !== 'admin') return;
  // lock the tenant's admin rows so two concurrent demotions cannot both pass the check
  const admins = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Membership" WHERE "tenantId" = ${ctx.tenantId} AND role = 'admin' FOR UPDATE`;
  if (admins.length <= 1) throw invalid('A tenant must keep at least one admin');
}

export async function changeMemberRole(ctx: ServiceContext, id: string, input: unknown) {
  requirePermission(ctx, 'members.manage');
  const { role } = parseInput(changeRoleSchema, input);
  return inTx(async (tx) => {
    const before = await loadMembership(tx, ctx, id);
    if (before.role === role) return before;
    await assertNotLastAdmin(tx, ctx, before);
    const after = await tx.membership.update({ where: { id }, data: { role } });
    await recordAudit(tx, ctx, { event: 'member.role_changed', targetType: 'membership', targetId: id, before: { email: before.user.email, role: before.role }, after: { email: before.user.email, role } });
    return after;
  });
}

export async function removeMember(ctx: ServiceContext, id: string) {
  requirePermission(ctx, 'members.manage');
  return inTx(async (tx) => {
    const before = await loadMembership(tx, ctx, id);
    await assertNotLastAdmin(tx, ctx, before);
    await tx.membership.delete({ where: { id } });
    await recordAudit(tx, ctx, { event: 'member.removed', targetType: 'membership', targetId: id, before: { email: before.user.email, role: before.role } });
    return { id };
  });
}
