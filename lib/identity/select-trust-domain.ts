// Which trust domain vouches for a token, decided from its (not yet verified) claims. Picking the
// trust domain only chooses which keys to verify against; an attacker who lies here just fails
// the signature check against keys they do not hold.

import { parseSpiffeId } from './spiffe-id';
import type { AuthnReason, TrustDomainKeys } from './types';

export type TrustDomainSelection =
  | { ok: true; trustDomain: TrustDomainKeys }
  | { ok: false; reason: AuthnReason; detail: string };

function fail(reason: AuthnReason, detail: string): TrustDomainSelection {
  return { ok: false, reason, detail };
}

function only(matches: TrustDomainKeys[], what: string): TrustDomainSelection {
  const [first] = matches;
  if (first === undefined) return fail('issuer_unknown', `no trust domain for ${what}`);
  // Two trust domains claiming one issuer is a configuration error; picking either could verify
  // against the wrong tenant's idea of that issuer, so neither is used.
  if (matches.length > 1) return fail('issuer_unknown', `more than one trust domain for ${what}`);
  return { ok: true, trustDomain: first };
}

/** sub and act.sub, when they are strings: the subjects whose SPIFFE trust domain is checked. */
function assertedSubjects(payload: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof payload.sub === 'string') out.push(payload.sub);
  const act = payload.act;
  if (typeof act === 'object' && act !== null && !Array.isArray(act)) {
    const actor = (act as Record<string, unknown>).sub;
    if (typeof actor === 'string') out.push(actor);
  }
  return out;
}

export function selectTrustDomain(
  payload: Record<string, unknown>,
  trustDomains: readonly TrustDomainKeys[],
): TrustDomainSelection {
  const iss = payload.iss;
  let selected: TrustDomainSelection;
  if (iss !== undefined) {
    if (typeof iss !== 'string' || iss.length === 0) return fail('token_malformed', 'iss must be a non-empty string');
    selected = only(
      trustDomains.filter((td) => td.issuer !== null && td.issuer === iss),
      `issuer ${JSON.stringify(iss)}`,
    );
  } else {
    // JWT-SVIDs need not carry iss: the trust domain is the authority named in the SPIFFE ID —
    // of the actor when the token is delegated (RFC 8693 act), since sub is then the user.
    const subjects = assertedSubjects(payload);
    const basis = subjects.length > 1 ? subjects[1] : subjects[0];
    const sub = typeof basis === 'string' ? parseSpiffeId(basis) : ({ kind: 'not_spiffe' } as const);
    if (sub.kind === 'invalid') return fail('token_malformed', `sub: ${sub.message}`);
    if (sub.kind === 'not_spiffe') return fail('issuer_unknown', 'token has no iss and its sub is not a SPIFFE ID');
    // A trust domain configured with an issuer expects every token to carry it.
    selected = only(
      trustDomains.filter((td) => td.issuer === null && td.name === sub.trustDomain),
      `SPIFFE trust domain ${sub.trustDomain}`,
    );
  }
  if (!selected.ok) return selected;

  // A trust domain may only mint SVIDs for itself: acme.test's keys cannot speak for
  // spiffe://other.test/..., even when the token's iss is acme.test's.
  const name = selected.trustDomain.name;
  for (const subject of assertedSubjects(payload)) {
    const parsed = parseSpiffeId(subject);
    if (parsed.kind === 'invalid') return fail('token_malformed', `SPIFFE ID ${JSON.stringify(subject)}: ${parsed.message}`);
    if (parsed.kind === 'spiffe' && parsed.trustDomain !== name) {
      return fail('issuer_unknown', `trust domain ${name} may not issue for SPIFFE trust domain ${parsed.trustDomain}`);
    }
  }
  return selected;
}
