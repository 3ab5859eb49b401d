import { createHash } from 'node:crypto';

// A digest of JSON-like values that does not depend on key order, for cache keys and tool-list
// fingerprints: {a:1,b:2} and {b:2,a:1} are the same arguments.

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // undefined (and functions, symbols) have no JSON form; `null` keeps positions in arrays
    const json = JSON.stringify(value);
    return json === undefined ? 'null' : json;
  }
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonical((value as { toJSON: () => unknown }).toJSON());
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function canonicalJson(value: unknown): string {
  return canonical(value);
}

export function stableHash(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('base64url');
}
