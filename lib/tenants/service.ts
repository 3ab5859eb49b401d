import { z } from 'zod';
import { db } from '../db/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { hashPassword, passwordSchemaRules } from '../auth/passwords';
import { systemContext } from '../context';
import { conflict } from '../errors';
import { newId } from '../ids';
import { parseInput } from '../validation';
import { emailSchema } from '../members/schemas';
import { DEFAULT_APPROVAL_POLICIES } from './default-policies';

export const slugSchema = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'Use 2–40 lower-case letters, digits and dashes');

const bootstrapSchema = z.object({
  slug: slugSchema,
  name: z.string().trim().min(1).max(120),
  adminEmail: emailSchema,
  adminName: z.string().trim().min(1).max(120).optional(),
  adminPassword: z.string().min(passwordSchemaRules.min, `Password must be at least ${passwordSchemaRules.min} characters`).max(passwordSchemaRules.max),
});

/**
 * Creates a tenant (with the default approval policies) and its first admin. Used by the CLI's
 * `create-admin` on a fresh production database and by the demo seed. If the tenant exists,
 * the user is added as admin to it.
 */
export async function bootstrapTenantAdmin(input: z.input<typeof bootstrapSchema>) {
  const data = parseInput(bootstrapSchema, input);
  return inTx(async (tx) => {
    let tenant = await tx.tenant.findUnique({ where: { slug: data.slug } });
    const ctx = () => systemContext(tenant!.id, 'bootstrap');
    if (!tenant) {
      tenant = await tx.tenant.create({ data: { id: newId('tenant'), slug: data.slug, name: data.name } });
      await recordAudit(tx, ctx(), { event: 'tenant.created', targetType: 'tenant', targetId: tenant.id, after: tenant });
      for (const p of DEFAULT_APPROVAL_POLICIES) {
        await tx.approvalPolicy.create({ data: { id: newId('approvalPolicy'), tenantId: tenant.id, ...p } });
      }
    }
    let user = await tx.user.findUnique({ where: { email: data.adminEmail } });
    if (!user) {
      user = await tx.user.create({
        data: { id: newId('user'), email: data.adminEmail, name: data.adminName ?? data.adminEmail.split('@')[0], passwordHash: await hashPassword(data.adminPassword) },
      });
    }
    const existing = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: tenant.id, userId: user.id } } });
    if (existing) throw conflict(`${data.adminEmail} is already a member of ${data.slug}`);
    const membership = await tx.membership.create({ data: { id: newId('membership'), tenantId: tenant.id, userId: user.id, role: 'admin' } });
    await recordAudit(tx, ctx(), { event: 'member.added', targetType: 'membership', targetId: membership.id, after: { email: user.email, role: 'admin' } });
    return { tenant, user: { id: user.id, email: user.email } };
  });
}

export async function findTenantBySlug(slug: string) {
  return db().tenant.findUnique({ where: { slug } });
}
