import { z } from 'zod';
import { ACTIONS } from '../policy';
import { toolNameSchema } from '../tools/schemas';

// Access requests filed by an agent through its MCP server (API.md "Access requests"). The
// `subject` (the agent's credential) is authenticated by the API layer and is not part of this.

export const MAX_REQUEST_DURATION_SECONDS = 30 * 86_400;

export const agentAccessRequestSchema = z.object({
  tool: toolNameSchema,
  actions: z
    .array(z.enum(ACTIONS))
    .min(1, 'Ask for at least one action')
    .max(ACTIONS.length)
    .refine((a) => new Set(a).size === a.length, 'Each action may appear once'),
  resource: z.string().min(1).max(512).optional(),
  durationSeconds: z
    .number()
    .int()
    .min(60, 'At least 60 seconds')
    .max(MAX_REQUEST_DURATION_SECONDS, `At most ${MAX_REQUEST_DURATION_SECONDS} seconds (30 days)`),
  justification: z
    .string()
    .trim()
    .min(10, 'Say in at least 10 characters why the access is needed')
    .max(2000, 'At most 2,000 characters'),
  taskId: z.string().min(1).max(200).optional(),
});
export type AgentAccessRequestInput = z.input<typeof agentAccessRequestSchema>;

export const REQUEST_STATUSES = ['pending', 'approved', 'denied', 'expired', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const agentAccessRequestCreatedSchema = z.object({
  id: z.string(),
  status: z.enum(REQUEST_STATUSES),
  expiresAt: z.string().describe('When the request expires if nobody decides it (ISO 8601).'),
  existing: z.boolean().describe('true when a pending request for the same agent, tool and task already existed and is returned instead of a new one.'),
});
export type AgentAccessRequestCreated = z.output<typeof agentAccessRequestCreatedSchema>;

export const accessRequestStateSchema = z.object({
  id: z.string(),
  status: z.enum(REQUEST_STATUSES),
  expiresAt: z.string(),
  decidedAt: z.string().optional(),
  grantId: z.string().optional(),
  grantExpiresAt: z.string().optional().describe('When the grant produced by the approval expires.'),
  grantRevokedAt: z.string().optional().describe('Set once that grant was revoked (task completed, or by a person).'),
  completedAt: z.string().optional().describe('When the task was reported complete.'),
});
export type AccessRequestState = z.output<typeof accessRequestStateSchema>;
