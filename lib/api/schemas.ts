import { z } from '@hono/zod-openapi';
import { ACTIONS, AUTHZ_REASONS } from '../policy';
import { AUTHN_REASONS } from '../identity';

// The machine API's request and response shapes (API.md). Handlers validate with these and the
// OpenAPI document is generated from them, so the two cannot drift apart.

export const ProblemSchema = z
  .object({
    type: z.literal('about:blank'),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(['invalid_request', 'server_key_invalid', 'not_found', 'payload_too_large', 'unsupported_media_type', 'rate_limited', 'unavailable', 'internal', 'conflict', 'forbidden', 'unauthenticated']),
    detail: z.string(),
    requestId: z.string(),
    invalidParams: z.array(z.object({ name: z.string(), reason: z.string() })).optional(),
  })
  .openapi('Problem');

export const ActionSchema = z.enum(ACTIONS).openapi('Action');

export const SubjectSchema = z
  .object({
    token: z.string().max(16_384).optional().openapi({ description: 'The agent’s credential: a compact JWS (JWT-SVID or OAuth JWT access token).' }),
    spiffeId: z.string().max(2048).optional().openapi({ description: 'Only for servers allowed to assert identities they verified by mTLS.' }),
  })
  .openapi('Subject');

export const ContextSchema = z
  .object({
    environment: z.string().max(64).optional(),
    onBehalfOf: z.string().max(320).optional(),
    taskId: z.string().max(200).optional(),
    arguments: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('DecisionContext');

export const CheckSchema = z.object({
  tool: z.string().min(1).max(256),
  action: ActionSchema.optional(),
  resource: z.string().max(1024).optional(),
  context: ContextSchema.optional(),
});

export const DecisionRequestSchema = CheckSchema.extend({ subject: SubjectSchema }).openapi('DecisionRequest');

export const BatchRequestSchema = z
  .object({
    subject: SubjectSchema,
    checks: z.array(CheckSchema).min(1).max(100),
  })
  .openapi('BatchDecisionRequest');

export const AuthenticationSchema = z
  .object({
    status: z.enum(['verified', 'failed']),
    reason: z.enum(AUTHN_REASONS).nullable(),
    detail: z.string().nullable(),
    identityId: z.string().nullable(),
    agentId: z.string().nullable(),
    subject: z.string().nullable(),
    onBehalfOf: z.string().nullable(),
  })
  .openapi('Authentication');

export const AuthorizationSchema = z
  .object({
    decision: z.enum(['allow', 'deny']),
    reason: z.enum(AUTHZ_REASONS),
    explanation: z.string(),
    grantId: z.string().nullable(),
    expiresAt: z.string().datetime().nullable(),
    approval: z.object({ required: z.boolean(), requestUrl: z.string().nullable() }),
  })
  .openapi('Authorization');

export const DecisionResponseSchema = z
  .object({
    decisionId: z.string(),
    allow: z.boolean(),
    authentication: AuthenticationSchema,
    authorization: AuthorizationSchema,
    cacheTtlSeconds: z.number().int().min(0),
  })
  .openapi('DecisionResponse');

export const BatchResponseSchema = z
  .object({
    authentication: AuthenticationSchema,
    results: z.array(z.object({ decisionId: z.string(), allow: z.boolean(), authorization: AuthorizationSchema, cacheTtlSeconds: z.number().int() })),
  })
  .openapi('BatchDecisionResponse');

export const LocalDecisionSchema = z.object({
  decisionId: z.string().regex(/^dec_[0-9A-Z]{26}$/, 'decisionId must be a dec_ ULID'),
  time: z.string().datetime({ offset: true }),
  tool: z.string().min(1).max(256),
  action: ActionSchema.optional(),
  resource: z.string().max(1024).optional(),
  allow: z.boolean(),
  reason: z.enum(AUTHZ_REASONS),
  authnReason: z.enum(AUTHN_REASONS).optional(),
  explanation: z.string().max(1000).optional(),
  identityId: z.string().max(64).optional(),
  agentId: z.string().max(64).optional(),
  subject: z.string().max(2048).optional(),
  onBehalfOf: z.string().max(320).optional(),
  grantId: z.string().max(64).optional(),
  taskId: z.string().max(200).optional(),
  latencyUs: z.number().int().min(0).max(60_000_000).optional(),
});

export const DecisionLogUploadSchema = z.object({ entries: z.array(LocalDecisionSchema).min(1).max(1000) }).openapi('DecisionLogUpload');
export const DecisionLogUploadResponseSchema = z.object({ received: z.number().int(), stored: z.number().int(), duplicates: z.number().int() }).openapi('DecisionLogUploadResult');

export const serverKeySecurity = [{ serverKey: [] as string[] }];
