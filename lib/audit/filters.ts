import { z } from 'zod';
import { AUDIT_EVENTS } from './events';

// The audit trail's filters as they appear in the console URL, shared by the list and exports.

export const AUDIT_RANGES = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '90d': 90 * 86_400_000, '365d': 365 * 86_400_000 } as const;
export type AuditRangeKey = keyof typeof AUDIT_RANGES;
export const AUDIT_RANGE_KEYS = Object.keys(AUDIT_RANGES) as AuditRangeKey[];

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <S extends z.ZodType>(s: S) => z.preprocess(blankToUndefined, s.optional());

const isoDate = z
  .string()
  .trim()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'Use an ISO 8601 date-time, e.g. 2026-11-24T10:00:00Z')
  .transform((s) => new Date(s));

export const auditFilterSchema = z
  .object({
    range: opt(z.enum(AUDIT_RANGE_KEYS as [AuditRangeKey, ...AuditRangeKey[]])),
    from: opt(isoDate),
    to: opt(isoDate),
    /** a user/server id, or part of the actor's label (e-mail, server name) */
    actor: opt(z.string().trim().min(1).max(320)),
    actorType: opt(z.enum(['user', 'server', 'system'])),
    event: opt(z.enum(AUDIT_EVENTS)),
    targetType: opt(z.string().trim().min(1).max(64).regex(/^[a-z_]+$/, 'A target type looks like grant or server_key')),
    targetId: opt(z.string().trim().min(1).max(64)),
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.from >= v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: '"to" must be after "from"' });
  });

export type AuditFilters = z.output<typeof auditFilterSchema>;

export const auditPageSchema = z.object({
  /** the seq of the last event on the previous page */
  cursor: opt(z.string().regex(/^\d{1,19}$/, 'Invalid cursor')),
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(200).default(50)),
});

export function auditTimeWindow(f: AuditFilters, now = Date.now()): { from: Date | null; to: Date | null } {
  let from = f.from ?? null;
  if (f.range) {
    const rel = new Date(now - AUDIT_RANGES[f.range]);
    from = from && from > rel ? from : rel;
  }
  return { from, to: f.to ?? null };
}
