import { z } from 'zod';
import { RISKS } from '../policy';
import { toolAnnotationsSchema } from './suggest-risk';

// POST /api/v1/tools/sync — the server's `tools/list`. Also the OpenAPI description of that body,
// so keep it free of transforms.

export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_.:/-]+$/;
export const MAX_SYNC_TOOLS = 1000;

export const toolNameSchema = z
  .string()
  .min(1, 'Tool name is required')
  .max(128, 'Tool name must be at most 128 characters')
  .regex(TOOL_NAME_PATTERN, 'Use letters, digits and _ . : / -');

export const syncedToolSchema = z.object({
  name: toolNameSchema,
  title: z.string().max(200).nullish(),
  description: z.string().max(10_000, 'Description must be at most 10,000 characters').nullish(),
  inputSchema: z.record(z.string(), z.unknown()).nullish().describe('The tool’s JSON Schema for its arguments, as in tools/list.'),
  annotations: toolAnnotationsSchema.nullish(),
});
export type SyncedToolInput = z.input<typeof syncedToolSchema>;

export const toolSyncInputSchema = z
  .object({
    tools: z.array(syncedToolSchema).max(MAX_SYNC_TOOLS, `At most ${MAX_SYNC_TOOLS} tools per sync`),
  })
  .superRefine((v, ctx) => {
    const seen = new Map<string, number>();
    v.tools.forEach((t, i) => {
      const first = seen.get(t.name);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['tools', i, 'name'], message: `Duplicate tool name "${t.name}" (also at tools.${first})` });
      } else seen.set(t.name, i);
    });
  });
export type ToolSyncInput = z.input<typeof toolSyncInputSchema>;

const riskSchema = z.enum(RISKS);

export const toolSyncResultSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  missing: z.array(z.string()).describe('Tools of this server that the sync did not list. They are left as they are.'),
  tools: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.enum(['unclassified', 'active', 'disabled']),
      risk: riskSchema.nullable(),
      suggestedRisk: riskSchema.nullable(),
    }),
  ),
});
export type ToolSyncResult = z.output<typeof toolSyncResultSchema>;
