import { z } from 'zod';
import { ACTIONS, RISKS } from '../policy';
import { environmentSchema } from '../agents/schemas';

// Grants: the one explicit statement that an agent may call a tool. Shapes shared by the
// console's handlers, the bulk form and createGrantInTx (approvals create jit grants with it).

export const GRANT_KINDS = ['standing', 'jit', 'break_glass'] as const;
export type GrantKindName = (typeof GRANT_KINDS)[number];
export const DELEGATION_MODES = ['required', 'allowed', 'forbidden'] as const;
export const GRANT_STATUSES = ['active', 'expired', 'revoked'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

export const MAX_RESOURCE_PATTERNS = 20;
export const MAX_ENVIRONMENTS = 10;
export const MAX_DELEGATION_USERS = 50;
export const MAX_BULK_AGENTS = 100;
export const MAX_CONDITION_LENGTH = 2000;

const unique = <T>(list: T[]) => new Set(list).size === list.length;

const actionsSchema = z
  .array(z.enum(ACTIONS, { message: 'Actions are read, write, admin and export' }))
  .min(1, 'Choose at least one action')
  .max(ACTIONS.length)
  .refine(unique, 'Each action may appear once');

// `*` is the only wildcard; whitespace inside a pattern is almost always a paste error, and a
// grant must never cover more than it spells out, so it is refused rather than trimmed away.
const resourcePatternSchema = z
  .string()
  .trim()
  .min(1, 'A resource pattern cannot be empty')
  .max(256, 'A resource pattern must be at most 256 characters')
  .regex(/^\S+$/, 'A resource pattern cannot contain spaces');

const delegationUserSchema = z.string().trim().min(1).max(320, 'At most 320 characters');

/** ISO 8601 in, Date out; null clears the bound */
const instantSchema = z
  .union([z.iso.datetime({ offset: true, message: 'Use an ISO 8601 date and time' }), z.date()])
  .transform((v) => (v instanceof Date ? v : new Date(v)))
  .nullish();

const conditionSchema = z
  .string()
  .max(MAX_CONDITION_LENGTH, `A condition must be at most ${MAX_CONDITION_LENGTH} characters`)
  .nullish()
  .transform((v) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim()));

/** The scope of a grant: everything except who and which tool. */
const scopeFields = {
  actions: actionsSchema,
  resourcePatterns: z
    .array(resourcePatternSchema)
    .max(MAX_RESOURCE_PATTERNS, `At most ${MAX_RESOURCE_PATTERNS} resource patterns`)
    .refine(unique, 'Each resource pattern may appear once')
    .default([]),
  environments: z
    .array(environmentSchema)
    .max(MAX_ENVIRONMENTS, `At most ${MAX_ENVIRONMENTS} environments`)
    .refine(unique, 'Each environment may appear once')
    .default([]),
  notBefore: instantSchema,
  expiresAt: instantSchema,
  maxUses: z.number().int('Use a whole number').min(1, 'At least 1 use').max(1_000_000, 'At most 1,000,000 uses').nullish(),
  condition: conditionSchema,
  delegation: z.enum(DELEGATION_MODES).default('allowed'),
  delegationUsers: z
    .array(delegationUserSchema)
    .max(MAX_DELEGATION_USERS, `At most ${MAX_DELEGATION_USERS} users`)
    .refine(unique, 'Each user may appear once')
    .default([]),
  justification: z.string().trim().max(2000, 'At most 2,000 characters').nullish(),
};

type ScopeShape = {
  notBefore?: Date | null;
  expiresAt?: Date | null;
  delegation?: (typeof DELEGATION_MODES)[number];
  delegationUsers?: string[];
};

function checkScope(v: ScopeShape, ctx: z.RefinementCtx) {
  if (v.notBefore && v.expiresAt && v.expiresAt <= v.notBefore) {
    ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'The grant must end after it starts' });
  }
  if (v.delegation === 'forbidden' && (v.delegationUsers?.length ?? 0) > 0) {
    ctx.addIssue({ code: 'custom', path: ['delegationUsers'], message: 'Allowed users only apply when delegation is required or allowed' });
  }
}

const idSchema = (what: string) => z.string().trim().min(1, `Choose ${what}`).max(64);

export const createGrantSchema = z
  .object({
    agentId: idSchema('an agent'),
    toolId: idSchema('a tool'),
    ...scopeFields,
  })
  .superRefine(checkScope);
export type CreateGrantInput = z.input<typeof createGrantSchema>;
export type CreateGrantData = z.output<typeof createGrantSchema>;

export const bulkGrantSchema = z
  .object({
    agentIds: z
      .array(idSchema('an agent'))
      .min(1, 'Choose at least one agent')
      .max(MAX_BULK_AGENTS, `At most ${MAX_BULK_AGENTS} agents at once`)
      .refine(unique, 'Each agent may appear once'),
    toolId: idSchema('a tool'),
    ...scopeFields,
  })
  .superRefine(checkScope);
export type BulkGrantInput = z.input<typeof bulkGrantSchema>;

/** Who and which tool never change: a different agent or tool is a different grant. */
export const updateGrantSchema = z
  .object({
    actions: scopeFields.actions.optional(),
    resourcePatterns: scopeFields.resourcePatterns.unwrap().optional(),
    environments: scopeFields.environments.unwrap().optional(),
    notBefore: scopeFields.notBefore,
    expiresAt: scopeFields.expiresAt,
    maxUses: scopeFields.maxUses,
    condition: scopeFields.condition,
    delegation: scopeFields.delegation.unwrap().optional(),
    delegationUsers: scopeFields.delegationUsers.unwrap().optional(),
    justification: scopeFields.justification,
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Nothing to change');
export type UpdateGrantInput = z.input<typeof updateGrantSchema>;

export const revokeGrantSchema = z.object({
  reason: z
    .string({ message: 'Say why the grant is revoked' })
    .trim()
    .min(3, 'Say why the grant is revoked (at least 3 characters)')
    .max(500, 'At most 500 characters'),
});

const booleanish = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');

export const grantListQuerySchema = z.object({
  agentId: z.string().max(64).optional(),
  toolId: z.string().max(64).optional(),
  serverId: z.string().max(64).optional(),
  risk: z.enum(RISKS).optional(),
  kind: z.enum(GRANT_KINDS).optional(),
  status: z.enum(GRANT_STATUSES).optional(),
  /** live grants ending within this many hours from now */
  expiringWithinHours: z.coerce.number().int('Use whole hours').min(1, 'At least 1 hour').max(24 * 365, 'At most a year').optional(),
  /** on the agent page: include revoked grants too */
  includeRevoked: booleanish.optional(),
});
export type GrantListQuery = z.output<typeof grantListQuerySchema>;

export const grantMatrixQuerySchema = z.object({
  serverId: z.string().max(64).optional(),
});

export const validateConditionSchema = z.object({
  condition: z.string().max(MAX_CONDITION_LENGTH, `A condition must be at most ${MAX_CONDITION_LENGTH} characters`),
});
