import { z } from 'zod';
import { ASYMMETRIC_ALGS, isAsymmetricAlg } from '../identity';

// A trust domain's settings as the console and the management API send them. The JWKS may come
// as a JSON object or as the text pasted into the form; either way the service validates the
// keys themselves (validateJwks) once it knows the allowed algorithms.

export const MIN_TOKEN_LIFETIME_SECONDS = 60;
export const MAX_TOKEN_LIFETIME_SECONDS = 86_400;

export const trustDomainNameSchema = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(255, 'Name must be at most 255 characters')
  // a SPIFFE trust domain name (lower-case letters, digits, dots, dashes, underscores): SPIFFE
  // IDs are matched to their trust domain by this name
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'Use lower-case letters, digits, dots, dashes and underscores, e.g. acme.test');

/** "" and null both mean "no issuer" (SPIFFE JWT-SVIDs without iss) */
const issuerSchema = z
  .string()
  .trim()
  .max(400, 'Issuer must be at most 400 characters')
  .regex(/^\S*$/, 'Issuer cannot contain spaces')
  .nullish()
  .transform((v) => (v === undefined ? undefined : v ? v : null));

const jwksSchema = z
  .union([z.string().max(200_000, 'JWKS is too large'), z.record(z.string(), z.unknown())])
  .nullish()
  .transform((v, ctx) => {
    if (v === undefined || v === null) return v;
    if (typeof v !== 'string') return v;
    if (v.trim() === '') return null;
    try {
      const parsed: unknown = JSON.parse(v);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'JWKS must be a JSON object like {"keys": [ … ]}' });
    return z.NEVER;
  });

const jwksUrlSchema = z
  .string()
  .trim()
  .max(2000, 'JWKS URL must be at most 2000 characters')
  .nullish()
  .transform((v) => (v === undefined ? undefined : v ? v : null));

export const allowedAlgsSchema = z
  .array(z.string(), { error: 'Choose the algorithms tokens may be signed with' })
  .min(1, 'Choose at least one algorithm')
  .max(ASYMMETRIC_ALGS.length)
  .superRefine((algs, ctx) => {
    const refused = algs.filter((a) => !isAsymmetricAlg(a));
    if (refused.length) {
      ctx.addIssue({ code: 'custom', message: `Not accepted: ${refused.join(', ')}. Only asymmetric algorithms (RS*, PS*, ES*, EdDSA); never none or HS*` });
    }
  })
  .transform((algs) => [...new Set(algs)]);

const lifetimeSchema = z.coerce
  .number({ error: 'Enter a number of seconds' })
  .int('Use whole seconds')
  .min(MIN_TOKEN_LIFETIME_SECONDS, `At least ${MIN_TOKEN_LIFETIME_SECONDS} seconds`)
  .max(MAX_TOKEN_LIFETIME_SECONDS, `At most ${MAX_TOKEN_LIFETIME_SECONDS} seconds (24 h)`);

const fields = {
  name: trustDomainNameSchema,
  description: z.string().trim().max(500, 'Description must be at most 500 characters'),
  issuer: issuerSchema,
  jwks: jwksSchema,
  jwksUrl: jwksUrlSchema,
  allowedAlgs: allowedAlgsSchema,
  maxTokenLifetimeSeconds: lifetimeSchema,
};

export const createTrustDomainSchema = z.object({
  name: fields.name,
  description: fields.description.default(''),
  issuer: fields.issuer,
  jwks: fields.jwks,
  jwksUrl: fields.jwksUrl,
  allowedAlgs: fields.allowedAlgs.default(['RS256', 'ES256']),
  maxTokenLifetimeSeconds: lifetimeSchema.default(3600),
});
export type CreateTrustDomainInput = z.input<typeof createTrustDomainSchema>;

export const updateTrustDomainSchema = z
  .object({
    name: fields.name.optional(),
    description: fields.description.optional(),
    issuer: fields.issuer,
    jwks: fields.jwks,
    jwksUrl: fields.jwksUrl,
    allowedAlgs: fields.allowedAlgs.optional(),
    maxTokenLifetimeSeconds: lifetimeSchema.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Nothing to change');
export type UpdateTrustDomainInput = z.input<typeof updateTrustDomainSchema>;

export const trustDomainListQuerySchema = z.object({
  q: z.string().trim().max(80).optional(),
});

export const testJwksUrlSchema = z.object({
  jwksUrl: z.string().trim().min(1, 'Enter a JWKS URL').max(2000),
  allowedAlgs: allowedAlgsSchema.default(['RS256', 'ES256']),
});
