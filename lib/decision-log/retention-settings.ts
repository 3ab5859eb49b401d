import { z } from 'zod';
import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { requirePermission } from '../auth/require';
import { can } from '../auth/permissions';
import { forbidden, notFound } from '../errors';
import { parseInput } from '../validation';

// How long a tenant keeps its decision log (Tenant.decisionRetentionDays, default 90). The
// audit trail is never pruned: it is the record of who changed what, and its chain must verify.

export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 3650;

export const retentionSettingsSchema = z.object({
  decisionRetentionDays: z.coerce
    .number()
    .int('Use a whole number of days')
    .min(MIN_RETENTION_DAYS, `At least ${MIN_RETENTION_DAYS} day`)
    .max(MAX_RETENTION_DAYS, `At most ${MAX_RETENTION_DAYS} days (10 years)`),
});

export interface RetentionSettings {
  decisionRetentionDays: number;
  /** the audit trail is kept forever */
  auditRetention: 'forever';
}

export async function getRetentionSettings(ctx: ServiceContext): Promise<RetentionSettings> {
  // readable by whoever may read either log
  if (ctx.actor.type !== 'system' && !can(ctx.role, 'audit.read') && !can(ctx.role, 'decisions.read')) throw forbidden();
  const tenant = await db().tenant.findUnique({ where: { id: ctx.tenantId }, select: { decisionRetentionDays: true } });
  if (!tenant) throw notFound('Tenant');
  return { decisionRetentionDays: tenant.decisionRetentionDays, auditRetention: 'forever' };
}

/** admin only (settings.manage); audited as tenant.updated with the before/after value */
export async function updateRetentionSettings(ctx: ServiceContext, input: unknown): Promise<RetentionSettings> {
  requirePermission(ctx, 'settings.manage');
  const { decisionRetentionDays } = parseInput(retentionSettingsSchema, input);
  return inTx(async (tx) => {
    const before = await tx.tenant.findUnique({ where: { id: ctx.tenantId }, select: { decisionRetentionDays: true } });
    if (!before) throw notFound('Tenant');
    if (before.decisionRetentionDays !== decisionRetentionDays) {
      await tx.tenant.update({ where: { id: ctx.tenantId }, data: { decisionRetentionDays } });
      await recordAudit(tx, ctx, {
        event: 'tenant.updated',
        targetType: 'tenant',
        targetId: ctx.tenantId,
        before: { decisionRetentionDays: before.decisionRetentionDays },
        after: { decisionRetentionDays },
      });
    }
    return { decisionRetentionDays, auditRetention: 'forever' as const };
  });
}
