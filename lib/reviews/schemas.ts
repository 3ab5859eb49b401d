import { z } from 'zod';

// Access review campaigns: which grants are recertified, by when, and each item's verdict.

export const MAX_CAMPAIGN_ITEMS = 5_000;

export const campaignScopeSchema = z
  .object({
    /** grants on high and critical tools */
    elevated: z.boolean().default(false),
    /** standing grants created more than this many days ago */
    standingOlderThanDays: z.number({ message: 'Use a number of days' }).int('Use whole days').min(0, 'At least 0 days').max(3650, 'At most 10 years').nullable().default(null),
  })
  .refine((s) => s.elevated || s.standingOlderThanDays !== null, { message: 'Choose what to review: grants on high/critical tools, old standing grants, or both', path: ['elevated'] });
export type CampaignScope = z.output<typeof campaignScopeSchema>;

export const createCampaignSchema = z.object({
  name: z.string({ message: 'Name the campaign' }).trim().min(3, 'At least 3 characters').max(200, 'At most 200 characters'),
  scope: campaignScopeSchema,
  deadline: z
    .union([z.iso.datetime({ offset: true, message: 'Use an ISO 8601 date and time' }), z.date()])
    .transform((v) => (v instanceof Date ? v : new Date(v))),
});

export const decideItemSchema = z
  .object({
    verdict: z.enum(['keep', 'revoke'], { message: 'Keep or revoke' }),
    note: z.string().trim().max(2000, 'At most 2,000 characters').default(''),
  })
  .refine((v) => v.verdict === 'keep' || v.note.length >= 3, { message: 'Say why the grant is revoked (at least 3 characters)', path: ['note'] });

/** The campaign's scope in words, for lists, the report and notifications. */
export function describeScope(scope: CampaignScope): string {
  const parts: string[] = [];
  if (scope.elevated) parts.push('grants on high and critical tools');
  if (scope.standingOlderThanDays !== null) parts.push(`standing grants older than ${scope.standingOlderThanDays} days`);
  return parts.join(' and ');
}
