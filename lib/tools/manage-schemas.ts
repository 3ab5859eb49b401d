import { z } from 'zod';
import { ACTIONS, RISKS } from '../policy';
import { toolNameSchema } from './schemas';
import { toolAnnotationsSchema } from './suggest-risk';

// Console / management API input for the tool catalog (sync has its own schema in schemas.ts).

export const SENSITIVITIES = ['public', 'internal', 'confidential', 'restricted'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/** A JSON Schema object, sent as an object or as the text typed into the form. */
const inputSchemaField = z
  .union([z.string().max(100_000, 'Input schema is too large'), z.record(z.string(), z.unknown())])
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
    ctx.addIssue({ code: 'custom', message: 'Input schema must be a JSON object, e.g. {"type": "object", "properties": {…}}' });
    return z.NEVER;
  });

const titleField = z
  .string()
  .trim()
  .max(200, 'Title must be at most 200 characters')
  .nullish()
  .transform((v) => (v === undefined ? undefined : v ? v : null));

const descriptionField = z.string().max(10_000, 'Description must be at most 10,000 characters');

export const createToolSchema = z.object({
  serverId: z.string().min(1, 'Choose a server').max(64),
  name: toolNameSchema,
  title: titleField,
  description: descriptionField.default(''),
  inputSchema: inputSchemaField,
  annotations: toolAnnotationsSchema.nullish(),
});
export type CreateToolInput = z.input<typeof createToolSchema>;

export const updateToolSchema = z
  .object({
    title: titleField,
    description: descriptionField.optional(),
    inputSchema: inputSchemaField,
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Nothing to change');
export type UpdateToolInput = z.input<typeof updateToolSchema>;

export const classifyToolSchema = z.object({
  risk: z.enum(RISKS, { error: 'Choose a risk level' }),
  defaultAction: z.enum(ACTIONS, { error: 'Choose the default action' }),
  sensitivity: z.enum(SENSITIVITIES, { error: 'Choose the data sensitivity' }),
});
export type ClassifyToolInput = z.input<typeof classifyToolSchema>;

export const toolStatusSchema = z.object({ status: z.enum(['active', 'disabled']) });

export const toolOwnerSchema = z.object({ userId: z.string().min(1, 'Choose a member').max(64) });

export const toolListQuerySchema = z.object({
  q: z.string().trim().max(128).optional(),
  serverId: z.string().max(64).optional(),
  status: z.enum(['unclassified', 'active', 'disabled']).optional(),
  risk: z.enum(RISKS).optional(),
  /** only tools whose definition changed and has not been reviewed since */
  changed: z.enum(['1', 'true']).optional(),
});
