import { z } from 'zod';
import type { Risk } from '../policy';

// MCP tool annotations (spec 2025-06-18, ToolAnnotations). They are hints from the server, not
// guarantees: they only *suggest* a risk level; an owner classifies the tool. Nulls are accepted
// (some SDKs serialise absent hints as null) and mean the same as absent.
// No transforms here: the schema also describes the request body in the OpenAPI document.
const hint = z.boolean().nullish();

export const toolAnnotationsSchema = z
  .object({
    title: z.string().max(200).nullish(),
    readOnlyHint: hint,
    destructiveHint: hint,
    idempotentHint: hint,
    openWorldHint: hint,
  })
  .describe('MCP tool annotations (hints). Missing hints take the MCP defaults: readOnly=false, destructive=true, idempotent=false, openWorld=true.');

export type ToolAnnotations = z.output<typeof toolAnnotationsSchema>;

/** Drops null and absent hints, so `{}`, `{ readOnlyHint: null }` and no annotations are one definition. */
export function normalizeAnnotations(a: ToolAnnotations | null | undefined): Record<string, string | boolean> | null {
  if (!a) return null;
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(a)) if (v !== null && v !== undefined) out[k] = v;
  return Object.keys(out).length ? out : null;
}

/** The MCP spec's defaults for hints a server did not send. */
export const ANNOTATION_DEFAULTS = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: true,
} as const;

/**
 * Suggested risk from annotations, with the spec defaults for missing hints — so a tool that says
 * nothing about itself is assumed destructive, non-idempotent and open-world: critical.
 */
export function suggestRisk(annotations: Partial<Record<keyof typeof ANNOTATION_DEFAULTS, boolean | null | undefined>> | null | undefined): Risk {
  const a = annotations ?? {};
  const readOnly = a.readOnlyHint ?? ANNOTATION_DEFAULTS.readOnlyHint;
  if (readOnly) return 'low';
  const destructive = a.destructiveHint ?? ANNOTATION_DEFAULTS.destructiveHint;
  if (!destructive) return 'medium';
  const idempotent = a.idempotentHint ?? ANNOTATION_DEFAULTS.idempotentHint;
  const openWorld = a.openWorldHint ?? ANNOTATION_DEFAULTS.openWorldHint;
  return openWorld && !idempotent ? 'critical' : 'high';
}
