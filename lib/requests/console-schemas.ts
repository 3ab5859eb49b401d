import { z } from 'zod';
import { ACTIONS } from '../policy/types';
import { MAX_REQUEST_DURATION_SECONDS, REQUEST_STATUSES } from './schemas';

// Inputs of the console's side of access requests: filing one, deciding one, break-glass.

const unique = <T>(list: T[]) => new Set(list).size === list.length;

const actionsSchema = z
  .array(z.enum(ACTIONS, { message: 'Actions are read, write, admin and export' }))
  .min(1, 'Choose at least one action')
  .max(ACTIONS.length)
  .refine(unique, 'Each action may appear once');

// `*` is the only wildcard; a space is almost always a paste error, and access must never cover
// more than it spells out, so it is refused rather than trimmed away
const resourceSchema = z
  .string()
  .trim()
  .min(1, 'A resource cannot be empty')
  .max(512, 'At most 512 characters')
  .regex(/^\S+$/, 'A resource cannot contain spaces');

const optionalResource = z
  .union([resourceSchema, z.literal('').transform(() => undefined), z.null().transform(() => undefined)])
  .optional();

const idSchema = (what: string) => z.string({ message: `Choose ${what}` }).trim().min(1, `Choose ${what}`).max(64);

export const consoleAccessRequestSchema = z.object({
  agentId: idSchema('an agent'),
  toolId: idSchema('a tool'),
  actions: actionsSchema,
  resource: optionalResource,
  durationSeconds: z
    .number({ message: 'Say for how long' })
    .int('Use whole seconds')
    .min(60, 'At least 1 minute')
    .max(MAX_REQUEST_DURATION_SECONDS, 'At most 30 days'),
  justification: z
    .string({ message: 'Say why the access is needed' })
    .trim()
    .min(10, 'Say in at least 10 characters why the access is needed')
    .max(2000, 'At most 2,000 characters'),
  taskId: z
    .union([z.string().trim().min(1).max(200, 'At most 200 characters'), z.literal('').transform(() => undefined)])
    .optional(),
});
export type ConsoleAccessRequestInput = z.input<typeof consoleAccessRequestSchema>;

/** The shortest access an approver may approve: the agent asks for at least a minute. */
export const MIN_APPROVED_SECONDS = 1;

export const decideRequestSchema = z
  .object({
    verdict: z.enum(['approve', 'deny'], { message: 'Approve or deny' }),
    comment: z.string().trim().max(2000, 'At most 2,000 characters').default(''),
    durationSeconds: z.number({ message: 'Use a number of seconds' }).int('Use whole seconds').min(MIN_APPROVED_SECONDS, 'At least 1 second').optional(),
    actions: actionsSchema.optional(),
    resource: resourceSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.verdict === 'deny' && v.comment.length < 3) ctx.addIssue({ code: 'custom', path: ['comment'], message: 'Say why the request is denied (at least 3 characters)' });
    if (v.verdict === 'deny' && (v.durationSeconds !== undefined || v.actions !== undefined || v.resource !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['verdict'], message: 'A denial has no scope: leave duration, actions and resource out' });
    }
  });
export type DecideRequestInput = z.input<typeof decideRequestSchema>;

export const REQUEST_VIEWS = ['waiting', 'all', 'mine'] as const;
export const requestListQuerySchema = z.object({
  view: z.enum(REQUEST_VIEWS).default('all'),
  status: z.enum(REQUEST_STATUSES).optional(),
  agentId: z.string().max(64).optional(),
  toolId: z.string().max(64).optional(),
});

export const cancelRequestSchema = z.object({
  reason: z.string().trim().max(500, 'At most 500 characters').default(''),
});

export const revokeRequestGrantSchema = z.object({
  reason: z.string({ message: 'Say why the grant is revoked' }).trim().min(3, 'Say why the grant is revoked (at least 3 characters)').max(500, 'At most 500 characters'),
});

export const BREAK_GLASS_MAX_SECONDS = 3_600;
export const BREAK_GLASS_MIN_JUSTIFICATION = 20;

export const breakGlassSchema = z.object({
  agentId: idSchema('an agent'),
  toolId: idSchema('a tool'),
  actions: actionsSchema,
  resource: optionalResource,
  durationSeconds: z
    .number({ message: 'Say for how long' })
    .int('Use whole seconds')
    .min(60, 'At least 1 minute')
    .max(BREAK_GLASS_MAX_SECONDS, 'Break-glass access lasts at most 1 hour'),
  justification: z
    .string({ message: 'Say why break-glass access is needed' })
    .trim()
    .min(BREAK_GLASS_MIN_JUSTIFICATION, `Break-glass access needs a justification of at least ${BREAK_GLASS_MIN_JUSTIFICATION} characters: what is broken and why normal approval cannot wait`)
    .max(2000, 'At most 2,000 characters'),
});

export const postReviewSchema = z.object({
  note: z.string({ message: 'Add a review note' }).trim().min(3, 'Add a review note (at least 3 characters)').max(2000, 'At most 2,000 characters'),
  /** end the grant now, when the review finds it was not warranted */
  revoke: z.boolean().default(false),
});

export const breakGlassListQuerySchema = z.object({
  /** pending: not reviewed yet (the review queue); all: every break-glass grant */
  view: z.enum(['pending', 'all']).default('pending'),
});
