import { beforeAll, describe, expect, it } from 'vitest';
import { AUTHN_REASONS, type AuthnReason, type IdentityRecord } from './types';
import { verifyAgentToken } from './verify-token';
import { AUDIENCE, b64url, baseClaims, expectDenied, NOW_MS, NOW_S, sign } from './testing/fixtures';
import { BILLING, makeWorld, type World } from './testing/world';
import type { KeyResolver } from './key-set';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

const svid = (extra = {}) => baseClaims({ sub: BILLING, ...extra });

describe('verified tokens', () => {
  it('accepts a JWT-SVID (ES256, no iss) and maps it to its identity and agent', async () => {
    const token = await sign(w.keys.es1, svid());
    expect(await verifyAgentToken(token, w.options())).toEqual({
      ok: true,
      identityId: 'wid_billing',
      agentId: 'agt_billing',
      subject: BILLING,
      onBehalfOf: null,
      trustDomainId: 'td_svid',
    });
  });

  it('accepts an EdDSA-signed SVID from the same trust domain', async () => {
    const token = await sign(w.keys.ed1, baseClaims({ sub: 'spiffe://acme.test/agents/ed' }));
    const result = await verifyAgentToken(token, w.options());
    expect(result).toMatchObject({ ok: true, identityId: 'wid_ed', trustDomainId: 'td_svid' });
  });

  it('accepts an OAuth client-credentials access token (RS256, at+jwt): the agent is client_id', async () => {
    const token = await sign(
      w.keys.rsa1,
      baseClaims({ iss: 'https://idp.acme.test', client_id: 'billing-bot', sub: 'billing-bot' }),
      { typ: 'at+jwt' },
    );
    expect(await verifyAgentToken(token, w.options())).toEqual({
      ok: true,
      identityId: 'wid_bot',
      agentId: 'agt_bot',
      subject: 'billing-bot',
      onBehalfOf: null,
      trustDomainId: 'td_idp',
    });
  });

  it('OAuth token with a user sub: the client is the agent, the user is onBehalfOf', async () => {
    const token = await sign(
      w.keys.rsa1,
      baseClaims({ iss: 'https://idp.acme.test', client_id: 'billing-bot', sub: 'alice@acme.test' }),
      { typ: 'application/at+jwt' },
    );
    const result = await verifyAgentToken(token, w.options());
    expect(result).toMatchObject({ ok: true, agentId: 'agt_bot', subject: 'billing-bot', onBehalfOf: 'alice@acme.test' });
  });

  it('a plain JWT with client_id is treated as an OAuth access token', async () => {
    const token = await sign(
      w.keys.rsa1,
      baseClaims({ iss: 'https://idp.acme.test', client_id: 'billing-bot', sub: 'bob@acme.test' }),
    );
    expect(await verifyAgentToken(token, w.options())).toMatchObject({ ok: true, onBehalfOf: 'bob@acme.test' });
  });

  it('RFC 8693 act: the actor is the agent, sub is the delegating user; nested act is history', async () => {
    const token = await sign(
      w.keys.sts1,
      baseClaims({
        iss: 'https://sts.acme.test',
        sub: 'alice@acme.test',
        act: { sub: BILLING, act: { sub: 'spiffe://acme.test/agents/planner' } },
      }),
    );
    expect(await verifyAgentToken(token, w.options())).toEqual({
      ok: true,
      identityId: 'wid_sts',
      agentId: 'agt_billing',
      subject: BILLING,
      onBehalfOf: 'alice@acme.test',
      trustDomainId: 'td_sts',
    });
  });

  it('act rules win over client_id in an OAuth token', async () => {
    const token = await sign(
      w.keys.rsa1,
      baseClaims({ iss: 'https://idp.acme.test', client_id: 'token-exchanger', sub: 'alice@acme.test', act: { sub: 'billing-bot' } }),
      { typ: 'at+jwt' },
    );
    expect(await verifyAgentToken(token, w.options())).toMatchObject({
      ok: true,
      identityId: 'wid_bot',
      subject: 'billing-bot',
      onBehalfOf: 'alice@acme.test',
    });
  });

  it('a token without kid is verified with the only key of a single-key trust domain', async () => {
    const token = await sign(w.keys.sts1, baseClaims({ iss: 'https://sts.acme.test', sub: BILLING }), { kid: undefined });
    expect(await verifyAgentToken(token, w.options())).toMatchObject({ ok: true, identityId: 'wid_sts' });
  });

  it('tolerates 60 s of clock skew on exp, nbf and iat', async () => {
    const late = await sign(w.keys.es1, svid({ exp: NOW_S - 59, iat: NOW_S - 600, nbf: NOW_S - 600 }));
    const early = await sign(w.keys.es1, svid({ nbf: NOW_S + 59, iat: NOW_S + 59, exp: NOW_S + 600 }));
    expect(await verifyAgentToken(late, w.options())).toMatchObject({ ok: true });
    expect(await verifyAgentToken(early, w.options())).toMatchObject({ ok: true });
  });

  it('accepts an audience array that holds the server audience in any position', async () => {
    const token = await sign(w.keys.es1, svid({ aud: ['mcp://other', AUDIENCE] }));
    expect(await verifyAgentToken(token, w.options())).toMatchObject({ ok: true });
  });
});

describe('every authentication reason', () => {
  it.each([undefined, '', '   '])('token_missing for %j', async (token) => {
    expectDenied(await verifyAgentToken(token, w.options()), 'token_missing');
  });

  it.each([
    ['one segment', 'abc'],
    ['two segments', 'abc.def'],
    ['a compact JWE', 'a.b.c.d.e'],
    ['a header that is not JSON', `${b64url('not json')}.${b64url({ sub: 'x' })}.sig`],
    ['a payload that is not JSON', `${b64url({ alg: 'ES256' })}.${b64url('nope')}.sig`],
    ['a payload that is a JSON array', `${b64url({ alg: 'ES256' })}.${b64url([1, 2])}.sig`],
    ['an oversized token', `${b64url({ alg: 'ES256' })}.${'A'.repeat(20_000)}.sig`],
  ])('token_malformed for %s', async (_label, token) => {
    expectDenied(await verifyAgentToken(token, w.options()), 'token_malformed');
  });

  it('token_malformed when exp is missing', async () => {
    const token = await sign(w.keys.es1, { sub: BILLING, aud: AUDIENCE, iat: NOW_S });
    expectDenied(await verifyAgentToken(token, w.options()), 'token_malformed');
  });

  it('token_malformed when exp is not a number', async () => {
    const token = await sign(w.keys.es1, { ...svid(), exp: '9999999999' } as never);
    expectDenied(await verifyAgentToken(token, w.options()), 'token_malformed');
  });

  it('token_malformed for act without sub, and for an at+jwt without client_id', async () => {
    const noActor = await sign(w.keys.sts1, baseClaims({ iss: 'https://sts.acme.test', sub: 'alice', act: { iss: 'x' } }));
    const noClient = await sign(w.keys.rsa1, baseClaims({ iss: 'https://idp.acme.test', sub: 'billing-bot' }), { typ: 'at+jwt' });
    expectDenied(await verifyAgentToken(noActor, w.options()), 'token_malformed');
    expectDenied(await verifyAgentToken(noClient, w.options()), 'token_malformed');
  });

  it('token_malformed for a SPIFFE-looking sub that is not a valid SPIFFE ID', async () => {
    for (const sub of ['SPIFFE://acme.test/agents/billing', 'spiffe://ACME.test/a', 'spiffe://acme.test/a/../b', 'spiffe://acme.test']) {
      const token = await sign(w.keys.es1, svid({ sub }));
      expectDenied(await verifyAgentToken(token, w.options()), 'token_malformed');
    }
  });

  it('token_signature_invalid for a signature by another key', async () => {
    const token = await sign(w.keys.attackerEs, svid());
    expectDenied(await verifyAgentToken(token, w.options()), 'token_signature_invalid');
  });

  it('token_expired beyond 60 s of skew', async () => {
    const token = await sign(w.keys.es1, svid({ iat: NOW_S - 700, nbf: NOW_S - 700, exp: NOW_S - 61 }));
    const result = await verifyAgentToken(token, w.options());
    expectDenied(result, 'token_expired');
    // The signature was verified, so the subject may be reported for the log.
    expect(result.ok ? null : result.subject).toBe(BILLING);
  });

  it('token_not_yet_valid for nbf or iat beyond 60 s in the future', async () => {
    const nbf = await sign(w.keys.es1, svid({ nbf: NOW_S + 61, iat: NOW_S, exp: NOW_S + 600 }));
    const iat = await sign(w.keys.es1, svid({ nbf: undefined, iat: NOW_S + 61, exp: NOW_S + 600 }));
    expectDenied(await verifyAgentToken(nbf, w.options()), 'token_not_yet_valid');
    expectDenied(await verifyAgentToken(iat, w.options()), 'token_not_yet_valid');
  });

  it('token_lifetime_too_long when exp - iat exceeds the trust domain maximum', async () => {
    const token = await sign(w.keys.es1, svid({ iat: NOW_S, nbf: undefined, exp: NOW_S + 3601 }));
    expectDenied(await verifyAgentToken(token, w.options()), 'token_lifetime_too_long');
  });

  it('token_lifetime_too_long uses nbf when iat is missing', async () => {
    const token = await sign(w.keys.es1, svid({ iat: undefined, nbf: NOW_S - 10, exp: NOW_S + 3600 }));
    expectDenied(await verifyAgentToken(token, w.options()), 'token_lifetime_too_long');
  });

  it('without iat and nbf, exp may be at most the maximum lifetime from now', async () => {
    const tooFar = await sign(w.keys.es1, svid({ iat: undefined, nbf: undefined, exp: NOW_S + 3601 }));
    const fine = await sign(w.keys.es1, svid({ iat: undefined, nbf: undefined, exp: NOW_S + 3600 }));
    expectDenied(await verifyAgentToken(tooFar, w.options()), 'token_lifetime_too_long');
    expect(await verifyAgentToken(fine, w.options())).toMatchObject({ ok: true });
  });

  it('issuer_unknown for an unknown iss', async () => {
    const token = await sign(w.keys.rsa1, baseClaims({ iss: 'https://idp.evil.test', client_id: 'billing-bot' }));
    expectDenied(await verifyAgentToken(token, w.options()), 'issuer_unknown');
  });

  it('issuer_unknown for no iss and a non-SPIFFE sub, and for a SPIFFE trust domain nobody configured', async () => {
    const plain = await sign(w.keys.es1, baseClaims({ sub: 'billing-bot' }));
    const unknownTd = await sign(w.keys.es1, baseClaims({ sub: 'spiffe://nowhere.test/agents/x' }));
    expectDenied(await verifyAgentToken(plain, w.options()), 'issuer_unknown');
    expectDenied(await verifyAgentToken(unknownTd, w.options()), 'issuer_unknown');
  });

  it('issuer_unknown when a trust domain with an issuer gets a token without iss', async () => {
    // Only td_svid (issuer null) may be found by SPIFFE name; remove it and td_sts must not be.
    const token = await sign(w.keys.sts1, baseClaims({ sub: BILLING }));
    expectDenied(await verifyAgentToken(token, w.options({ trustDomains: [w.tdSts] })), 'issuer_unknown');
  });

  it('audience_mismatch for a wrong, missing or all-wrong array audience', async () => {
    for (const aud of ['mcp://other', undefined, ['mcp://a', 'mcp://b'], [], [AUDIENCE.toUpperCase()]]) {
      const token = await sign(w.keys.es1, svid({ aud }));
      expectDenied(await verifyAgentToken(token, w.options()), 'audience_mismatch');
    }
  });

  it('audience_mismatch when the verifier has no audience configured, even for aud ""', async () => {
    const token = await sign(w.keys.es1, svid({ aud: '' }));
    expectDenied(await verifyAgentToken(token, w.options({ audience: '' })), 'audience_mismatch');
  });

  it('algorithm_not_allowed for an asymmetric algorithm outside the trust domain allowlist', async () => {
    const token = await sign(w.keys.rsa1, baseClaims({ iss: 'https://sts.acme.test', sub: BILLING }), { kid: 'sts-1' });
    expectDenied(await verifyAgentToken(token, w.options()), 'algorithm_not_allowed');
  });

  it('identity_unknown for an unregistered subject', async () => {
    const token = await sign(w.keys.es1, svid({ sub: 'spiffe://acme.test/agents/stranger' }));
    const result = await verifyAgentToken(token, w.options());
    expectDenied(result, 'identity_unknown');
    expect(result.ok ? null : result.subject).toBe('spiffe://acme.test/agents/stranger');
  });

  it('identity_unknown for a plain JWT whose sub is neither SPIFFE nor accompanied by client_id', async () => {
    const token = await sign(w.keys.rsa1, baseClaims({ iss: 'https://idp.acme.test', sub: 'billing-bot' }));
    expectDenied(await verifyAgentToken(token, w.options()), 'identity_unknown');
  });

  it('identity_unknown when the identity is bound to an agent that does not exist', async () => {
    const token = await sign(w.keys.es1, svid({ sub: 'spiffe://acme.test/agents/orphan' }));
    expectDenied(await verifyAgentToken(token, w.options()), 'identity_unknown');
  });

  it('identity_unknown when a lookup answers with another trust domain or kind', async () => {
    const token = await sign(w.keys.es1, svid());
    const loose: IdentityRecord = { ...w.identities[0]!, trustDomainId: 'td_idp' };
    expectDenied(await verifyAgentToken(token, w.options({ identities: () => loose })), 'identity_unknown');
    const wrongKind: IdentityRecord = { ...w.identities[0]!, kind: 'spiffe_asserted' };
    expectDenied(await verifyAgentToken(token, w.options({ identities: () => wrongKind })), 'identity_unknown');
  });

  it('identity_disabled for a disabled identity', async () => {
    const token = await sign(w.keys.es1, svid({ sub: 'spiffe://acme.test/agents/old' }));
    expectDenied(await verifyAgentToken(token, w.options()), 'identity_disabled');
  });

  it('agent_suspended for a suspended agent', async () => {
    const token = await sign(w.keys.es1, svid({ sub: 'spiffe://acme.test/agents/paused' }));
    expectDenied(await verifyAgentToken(token, w.options()), 'agent_suspended');
  });

  it('covers every reason code of the contract', () => {
    // Guards against a reason being added to the contract without a test above.
    const covered: AuthnReason[] = [
      'token_missing', 'token_malformed', 'token_signature_invalid', 'token_expired', 'token_not_yet_valid',
      'token_lifetime_too_long', 'issuer_unknown', 'audience_mismatch', 'algorithm_not_allowed',
      'identity_unknown', 'identity_disabled', 'agent_suspended',
    ];
    expect([...covered].sort()).toEqual([...AUTHN_REASONS].sort());
  });
});

describe('fails closed instead of throwing', () => {
  it('a throwing identity lookup is a denial, not an exception', async () => {
    const token = await sign(w.keys.es1, svid());
    const result = await verifyAgentToken(token, w.options({ identities: () => { throw new Error('db down'); } }));
    expectDenied(result, 'identity_unknown');
  });

  it('a throwing agent lookup is a denial', async () => {
    const token = await sign(w.keys.es1, svid());
    const result = await verifyAgentToken(token, w.options({ agents: () => { throw new Error('db down'); } }));
    expectDenied(result, 'identity_unknown');
  });

  it('a failing key resolver is token_signature_invalid', async () => {
    const broken: KeyResolver = {
      getKeys: () => Promise.reject(new Error('boom')),
      refreshKeys: () => Promise.reject(new Error('boom')),
    };
    const token = await sign(w.keys.es1, svid());
    expectDenied(await verifyAgentToken(token, w.options({ keyResolver: broken })), 'token_signature_invalid');
  });

  it('a non-numeric clock denies instead of skipping the expiry check', async () => {
    const token = await sign(w.keys.es1, svid());
    expectDenied(await verifyAgentToken(token, w.options({ now: Number.NaN })), 'token_expired');
  });

  it('a trust domain without a positive maximum lifetime accepts nothing', async () => {
    const token = await sign(w.keys.es1, svid());
    const td = { ...w.tdSvid, maxTokenLifetimeSeconds: 0 };
    expectDenied(await verifyAgentToken(token, w.options({ trustDomains: [td] })), 'token_lifetime_too_long');
  });

  it('a non-string token is token_missing', async () => {
    expectDenied(await verifyAgentToken(42 as unknown as string, w.options()), 'token_missing');
  });

  it('uses opts.now, not the wall clock', async () => {
    const token = await sign(w.keys.es1, svid());
    expectDenied(await verifyAgentToken(token, w.options({ now: NOW_MS + 3600_000 })), 'token_expired');
  });
});
