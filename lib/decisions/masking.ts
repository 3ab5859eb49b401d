// Arguments are stored only when the tenant turned capture on, with configured fields masked
// at any depth (e.g. "card_number", "password").
export function maskArguments(args: unknown, masked: readonly string[], depth = 0): unknown {
  if (depth > 8) return '[truncated]';
  if (Array.isArray(args)) return args.slice(0, 50).map((v) => maskArguments(v, masked, depth + 1));
  if (args && typeof args === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args as Record<string, unknown>)) {
      out[k] = masked.includes(k.toLowerCase()) ? '[masked]' : maskArguments(v, masked, depth + 1);
    }
    return out;
  }
  if (typeof args === 'string' && args.length > 500) return args.slice(0, 500) + '…';
  return args;
}
