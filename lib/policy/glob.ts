// Resource patterns use `*` as the only wildcard (any run of characters, including none) and
// must match the whole string. Patterns are compiled once into plain string operations, so an
// attacker-controlled pattern or resource can never be interpreted as a regular expression and
// matching stays linear in the resource length.

export type GlobMatcher =
  | { readonly kind: 'any' }
  | { readonly kind: 'exact'; readonly text: string }
  | { readonly kind: 'prefix'; readonly text: string }
  | { readonly kind: 'suffix'; readonly text: string }
  | {
      readonly kind: 'segments';
      readonly head: string;
      readonly tail: string;
      /** literal pieces between the first and the last `*`, in order */
      readonly middle: readonly string[];
      /** head + middle + tail lengths: a shorter input can never match */
      readonly minLength: number;
    }
  | { readonly kind: 'anyOf'; readonly matchers: readonly GlobMatcher[] };

const ANY: GlobMatcher = { kind: 'any' };

export function compileGlob(pattern: string): GlobMatcher {
  const parts = pattern.split('*');
  if (parts.length === 1) return { kind: 'exact', text: pattern };
  const head = parts[0] ?? '';
  const tail = parts[parts.length - 1] ?? '';
  // `a**b` means the same as `a*b`: empty pieces between stars carry no constraint.
  const middle = parts.slice(1, -1).filter((p) => p.length > 0);
  if (middle.length === 0) {
    if (head === '' && tail === '') return ANY;
    if (tail === '') return { kind: 'prefix', text: head };
    if (head === '') return { kind: 'suffix', text: tail };
  }
  let minLength = head.length + tail.length;
  for (const piece of middle) minLength += piece.length;
  return { kind: 'segments', head, tail, middle, minLength };
}

/**
 * One matcher for a list of patterns: a grant with a single pattern (the common case) then
 * costs one object on the hot path instead of an array, its backing store and the matcher.
 */
export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  const matchers = patterns.map(compileGlob);
  if (matchers.some((m) => m.kind === 'any')) return ANY;
  return matchers.length === 1 ? matchers[0]! : { kind: 'anyOf', matchers };
}

export function matchGlob(m: GlobMatcher, input: string): boolean {
  switch (m.kind) {
    case 'any':
      return true;
    case 'exact':
      return input === m.text;
    case 'prefix':
      return input.startsWith(m.text);
    case 'suffix':
      return input.endsWith(m.text);
    case 'segments': {
      if (input.length < m.minLength) return false;
      if (!input.startsWith(m.head) || !input.endsWith(m.tail)) return false;
      // Greedy leftmost placement of each middle piece is optimal for `*`-only globs: taking the
      // earliest occurrence leaves the most room for the pieces after it.
      let from = m.head.length;
      const end = input.length - m.tail.length;
      for (const piece of m.middle) {
        const at = input.indexOf(piece, from);
        if (at < 0 || at + piece.length > end) return false;
        from = at + piece.length;
      }
      return true;
    }
    case 'anyOf':
      for (let i = 0; i < m.matchers.length; i++) {
        if (matchGlob(m.matchers[i]!, input)) return true;
      }
      return false;
  }
}
