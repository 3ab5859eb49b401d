// Who the token says the agent is. Three token shapes, in this order of precedence:
//  1. RFC 8693 delegation (`act.sub`): the actor is the agent, token `sub` is the user it acts for.
//     Nested `act.act` records earlier actors in the chain; they are history, not the caller.
//  2. RFC 9068 OAuth access token (`typ: at+jwt` or a `client_id` claim): the agent is the
//     client; a different `sub` is the user who delegated to it.
//  3. SPIFFE JWT-SVID: `sub` is the workload's SPIFFE ID.

import { parseSpiffeId } from './spiffe-id';
import type { AuthnReason, IdentityKind } from './types';

export interface TokenSubject {
  subject: string;
  kind: Exclude<IdentityKind, 'spiffe_asserted'>;
  onBehalfOf: string | null;
}

export type SubjectResult = { ok: true; value: TokenSubject } | { ok: false; reason: AuthnReason; detail: string };

function optionalString(value: unknown): string | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function isOAuthAccessTokenType(typ: unknown): boolean {
  if (typeof typ !== 'string') return false;
  const t = typ.toLowerCase();
  return t === 'at+jwt' || t === 'application/at+jwt';
}

export function tokenSubject(header: { typ?: unknown }, payload: Record<string, unknown>): SubjectResult {
  const malformed = (detail: string): SubjectResult => ({ ok: false, reason: 'token_malformed', detail });
  const sub = optionalString(payload.sub);
  const clientId = optionalString(payload.client_id);
  if (sub === null) return malformed('sub must be a non-empty string');
  if (clientId === null) return malformed('client_id must be a non-empty string');

  if (payload.act !== undefined) {
    const act = payload.act;
    if (typeof act !== 'object' || act === null || Array.isArray(act)) return malformed('act must be an object');
    const actor = optionalString((act as Record<string, unknown>).sub);
    if (actor === undefined || actor === null) return malformed('act must carry a non-empty sub');
    if (sub === undefined) return malformed('a delegated token (act) must name the delegating user in sub');
    const actorIsSpiffe = parseSpiffeId(actor).kind !== 'not_spiffe';
    return {
      ok: true,
      value: {
        subject: actor,
        kind: actorIsSpiffe ? 'spiffe_jwt' : 'oauth_client',
        onBehalfOf: sub,
      },
    };
  }

  if (clientId !== undefined || isOAuthAccessTokenType(header.typ)) {
    if (clientId === undefined) return malformed('an at+jwt access token must carry client_id (RFC 9068)');
    return {
      ok: true,
      value: {
        subject: clientId,
        kind: 'oauth_client',
        // sub equal to client_id is a client-credentials token: the client acting for itself.
        onBehalfOf: sub !== undefined && sub !== clientId ? sub : null,
      },
    };
  }

  if (sub === undefined) return malformed('token has no sub');
  if (parseSpiffeId(sub).kind === 'not_spiffe') {
    // A bare sub that is neither a SPIFFE ID nor accompanied by client_id could be any
    // principal of the issuer, including a user whose name collides with a client: refuse to guess.
    return { ok: false, reason: 'identity_unknown', detail: 'sub is not a SPIFFE ID and the token has no client_id' };
  }
  return { ok: true, value: { subject: sub, kind: 'spiffe_jwt', onBehalfOf: null } };
}
