// One tenant's authentication world for the verifier tests: three trust domains (SPIFFE SVIDs
// without iss, an OAuth IdP, a token-exchange STS), their identities and agents, plus a second
// tenant's trust domain whose keys must never verify anything here.

import { createKeyResolver } from '../key-resolver';
import type { KeyResolver } from '../key-set';
import type { AgentRecord, IdentityRecord, TrustDomainKeys } from '../types';
import type { VerifyAgentTokenOptions } from '../verify-token';
import { AUDIENCE, identity, lookups, makeKey, NOW_MS, trustDomain, type TestKey } from './fixtures';

export const BILLING = 'spiffe://acme.test/agents/billing';

export interface World {
  keys: Record<'es1' | 'ed1' | 'rsa1' | 'sts1' | 'other1' | 'attackerEs' | 'attackerRsa', TestKey>;
  tdSvid: TrustDomainKeys;
  tdIdp: TrustDomainKeys;
  tdSts: TrustDomainKeys;
  tdOther: TrustDomainKeys;
  identities: IdentityRecord[];
  agents: AgentRecord[];
  options(overrides?: Partial<VerifyAgentTokenOptions>): VerifyAgentTokenOptions;
}

export async function makeWorld(resolver: KeyResolver = createKeyResolver()): Promise<World> {
  const keys = {
    es1: await makeKey('ES256', 'es-1'),
    ed1: await makeKey('EdDSA', 'ed-1'),
    rsa1: await makeKey('RS256', 'rsa-1'),
    sts1: await makeKey('ES256', 'sts-1'),
    other1: await makeKey('ES256', 'other-1'),
    attackerEs: await makeKey('ES256', 'es-1'),
    attackerRsa: await makeKey('RS256', 'rsa-1'),
  };
  const tdSvid = trustDomain({
    id: 'td_svid',
    name: 'acme.test',
    jwks: { keys: [keys.es1.publicJwk, keys.ed1.publicJwk] },
    allowedAlgs: ['ES256', 'EdDSA'],
  });
  const tdIdp = trustDomain({
    id: 'td_idp',
    name: 'acme-idp',
    issuer: 'https://idp.acme.test',
    jwks: { keys: [{ ...keys.rsa1.publicJwk, alg: 'RS256', use: 'sig' }] },
    allowedAlgs: ['RS256', 'PS256'],
  });
  const tdSts = trustDomain({
    id: 'td_sts',
    name: 'acme.test',
    issuer: 'https://sts.acme.test',
    jwks: { keys: [keys.sts1.publicJwk] },
  });
  const tdOther = trustDomain({
    id: 'td_other',
    name: 'other.test',
    issuer: 'https://idp.other.test',
    jwks: { keys: [keys.other1.publicJwk] },
  });
  // one list, as a tenant's snapshot holds it: the signature cache is bound to the list
  const trustDomains = [tdSvid, tdIdp, tdSts];
  const identities = [
    identity('wid_billing', 'td_svid', 'spiffe_jwt', BILLING, 'agt_billing'),
    identity('wid_ed', 'td_svid', 'spiffe_jwt', 'spiffe://acme.test/agents/ed', 'agt_billing'),
    identity('wid_old', 'td_svid', 'spiffe_jwt', 'spiffe://acme.test/agents/old', 'agt_billing', 'disabled'),
    identity('wid_paused', 'td_svid', 'spiffe_jwt', 'spiffe://acme.test/agents/paused', 'agt_paused'),
    identity('wid_orphan', 'td_svid', 'spiffe_jwt', 'spiffe://acme.test/agents/orphan', 'agt_gone'),
    identity('wid_bot', 'td_idp', 'oauth_client', 'billing-bot', 'agt_bot'),
    identity('wid_sts', 'td_sts', 'spiffe_jwt', BILLING, 'agt_billing'),
    // Registered in the other tenant only: must stay unreachable from this tenant.
    identity('wid_other', 'td_other', 'spiffe_jwt', 'spiffe://other.test/agents/x', 'agt_other'),
  ];
  const agents: AgentRecord[] = [
    { id: 'agt_billing', name: 'billing', status: 'active' },
    { id: 'agt_bot', name: 'billing-bot', status: 'active' },
    { id: 'agt_paused', name: 'paused', status: 'suspended' },
    { id: 'agt_other', name: 'other tenant agent', status: 'active' },
  ];
  const lookup = lookups(identities, agents);
  return {
    keys,
    tdSvid,
    tdIdp,
    tdSts,
    tdOther,
    identities,
    agents,
    options: (overrides = {}) => ({
      trustDomains,
      identities: lookup.identities,
      agents: lookup.agents,
      audience: AUDIENCE,
      now: NOW_MS,
      keyResolver: resolver,
      ...overrides,
    }),
  };
}
