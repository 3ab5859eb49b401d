import { z } from 'zod';

export const nameSchema = z
  .string()
  .trim()
  .min(2, 'Name must be at least 2 characters')
  .max(80, 'Name must be at most 80 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'Use lower-case letters, digits, dots, dashes and underscores, starting with a letter or digit');

export const environmentSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9_-]+$/, 'Use lower-case letters, digits, dashes and underscores');

export const createAgentSchema = z.object({
  name: nameSchema,
  description: z.string().trim().max(500).default(''),
  environment: environmentSchema.default('prod'),
  ownerUserId: z.string().max(64).nullish(),
});
export type CreateAgentInput = z.input<typeof createAgentSchema>;

export const updateAgentSchema = createAgentSchema.partial().refine((v) => Object.keys(v).length > 0, 'Nothing to change');
export type UpdateAgentInput = z.input<typeof updateAgentSchema>;

export const agentListQuerySchema = z.object({
  q: z.string().trim().max(80).optional(),
  status: z.enum(['active', 'suspended']).optional(),
});

export const identityKindSchema = z.enum(['spiffe_jwt', 'oauth_client', 'spiffe_asserted']);

export const createIdentitySchema = z
  .object({
    trustDomainId: z.string().min(1, 'Choose a trust domain').max(64),
    kind: identityKindSchema,
    subject: z.string().trim().min(1, 'Subject is required').max(400),
  })
  .superRefine((v, ctx) => {
    if (v.kind !== 'oauth_client' && !/^spiffe:\/\/[a-z0-9.-]+\/\S+$/.test(v.subject)) {
      ctx.addIssue({ code: 'custom', path: ['subject'], message: 'A SPIFFE ID looks like spiffe://trust-domain/path' });
    }
  });
export type CreateIdentityInput = z.input<typeof createIdentitySchema>;
