import { z } from 'zod';
import { environmentSchema, nameSchema } from '../agents/schemas';

// An MCP server registration. The audience is what agent tokens must be issued for (`aud`), so
// it is compared exactly and must be unique in the tenant: two servers sharing one would accept
// each other's tokens.

export const audienceSchema = z
  .string()
  .trim()
  .min(3, 'Audience must be at least 3 characters')
  .max(400, 'Audience must be at most 400 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._~:/?#@!$&'()*+,;=%-]*$/, 'Use a URL or URI without spaces, e.g. https://billing.mcp.example.com');

export const createServerSchema = z.object({
  name: nameSchema,
  description: z.string().trim().max(500, 'Description must be at most 500 characters').default(''),
  audience: audienceSchema,
  environment: environmentSchema.default('prod'),
  mayAssertIdentity: z.boolean().default(false),
});
export type CreateServerInput = z.input<typeof createServerSchema>;

export const updateServerSchema = z
  .object({
    name: nameSchema.optional(),
    description: z.string().trim().max(500, 'Description must be at most 500 characters').optional(),
    audience: audienceSchema.optional(),
    environment: environmentSchema.optional(),
    mayAssertIdentity: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Nothing to change');
export type UpdateServerInput = z.input<typeof updateServerSchema>;

export const serverListQuerySchema = z.object({
  q: z.string().trim().max(80).optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

export const serverStatusSchema = z.object({ status: z.enum(['active', 'disabled']) });
