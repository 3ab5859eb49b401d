import { z } from 'zod';
import { environmentSchema } from '../agents/schemas';

// Deny rules: an explicit "never", for an agent, a tool, or an agent on a tool, optionally
// narrowed to a resource pattern or an environment. Deny wins over every grant.

const optionalId = z
  .string()
  .trim()
  .max(64)
  .nullish()
  .transform((v) => (v ? v : null));

export const createDenyRuleSchema = z
  .object({
    agentId: optionalId,
    toolId: optionalId,
    resourcePattern: z
      .string()
      .trim()
      .max(256, 'At most 256 characters')
      .regex(/^\S*$/, 'A resource pattern cannot contain spaces')
      .nullish()
      .transform((v) => (v ? v : null)),
    environment: z
      .union([environmentSchema, z.literal('')])
      .nullish()
      .transform((v) => (v ? v : null)),
    reason: z.string({ message: 'Say why this is denied' }).trim().min(3, 'Say why this is denied (at least 3 characters)').max(500, 'At most 500 characters'),
  })
  .superRefine((v, ctx) => {
    // a rule naming neither would deny every call of the tenant: that is what disabling is for
    if (!v.agentId && !v.toolId) ctx.addIssue({ code: 'custom', path: ['agentId'], message: 'Choose an agent, a tool, or both' });
  });
export type CreateDenyRuleInput = z.input<typeof createDenyRuleSchema>;

export const denyRuleListQuerySchema = z.object({
  agentId: z.string().max(64).optional(),
  toolId: z.string().max(64).optional(),
});
