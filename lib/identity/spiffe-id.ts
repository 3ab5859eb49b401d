// SPIFFE ID parsing per the SPIFFE-ID spec (lowercase trust domain, no port/userinfo/query,
// path segments of [A-Za-z0-9._-] that are neither empty nor `.`/`..`).
//
// Strict on purpose: the trust-domain part decides which keys may vouch for the subject, so
// anything that a looser parser might read differently (upper case, `%2F`, `@`, `:port`) is
// treated as malformed rather than normalised.

const TRUST_DOMAIN = /^[a-z0-9._-]+$/;
const SEGMENT = /^[A-Za-z0-9._-]+$/;
const MAX_LENGTH = 2048;

export type SpiffeIdParse =
  | { kind: 'not_spiffe' }
  | { kind: 'invalid'; message: string }
  | { kind: 'spiffe'; trustDomain: string; path: string };

/** Anything that starts like a SPIFFE ID (any case) is judged as one, so `SPIFFE://x` cannot slip past the trust-domain check. */
export function parseSpiffeId(value: string): SpiffeIdParse {
  if (!/^spiffe:/i.test(value)) return { kind: 'not_spiffe' };
  if (value.length > MAX_LENGTH) return { kind: 'invalid', message: 'SPIFFE ID longer than 2048 characters' };
  if (!value.startsWith('spiffe://')) return { kind: 'invalid', message: 'SPIFFE ID must start with lowercase spiffe://' };
  const rest = value.slice('spiffe://'.length);
  const slash = rest.indexOf('/');
  const trustDomain = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash);
  if (!TRUST_DOMAIN.test(trustDomain)) {
    return { kind: 'invalid', message: 'SPIFFE trust domain may only hold lowercase letters, digits, ".", "-", "_"' };
  }
  // A workload SVID names a workload, never the bare trust domain.
  if (path === '' || path === '/') return { kind: 'invalid', message: 'SPIFFE ID has no workload path' };
  for (const segment of path.slice(1).split('/')) {
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..') {
      return { kind: 'invalid', message: 'SPIFFE ID path has an empty, dot or non-permitted segment' };
    }
  }
  return { kind: 'spiffe', trustDomain, path };
}
