import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/hash';

/** What a tool promises to do: a change of any part under live grants is worth a second look. */
export function toolDefinitionHash(def: { description?: string | null; inputSchema?: unknown; annotations?: unknown }): string {
  return createHash('sha256')
    .update(canonicalJson({ description: def.description ?? '', inputSchema: def.inputSchema ?? null, annotations: def.annotations ?? null }))
    .digest('hex');
}
