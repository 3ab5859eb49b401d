// The forged-token matrix: every way a caller might try to authenticate as an agent without
// holding a trust domain's private key. Each case asserts the exact reason and that nothing of a
// success leaks into the answer.

import { exportSPKI, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createKeyResolver } from './key-resolver';
import { verifyAgentToken } from './verify-token';
import { AUDIENCE, b64url, baseClaims, expectDenied, makeKey, NOW_S, sign, trustDomain, type TestKey } from './testing/fixtures';
import { BILLING, makeWorld, type World } from './testing/world';
import type { TrustDomainKeys } from './types';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

const svid = (extra = {}) => baseClaims({ sub: BILLING, ...extra });

function resign(token: string, parts: { header?: unknown; payload?: unknown; signature?: string }): string {
  const [h, p, s] = token.split('.');
  return [
    parts.header === undefined ? h : b64url(parts.header),
    parts.payload === undefined ? p : b64url(parts.payload),
    parts.signature ?? s,
  ].join('.');
}

describe('unsigned and symmetric tokens', () => {
  it('alg none (jose UnsecuredJWT) → algorithm_not_allowed', async () => {
    const token = new UnsecuredJWT(svid()).encode();
    expectDenied(await verifyAgentToken(token, w.options()), 'algorithm_not_allowed');
  });

  it.each(['none', 'None', 'NONE', 'nOnE', '', null])('alg %j with any signature → algorithm_not_allowed', async (alg) => {
    const valid = await sign(w.keys.es1, svid());
    const token = resign(valid, { header: { alg, kid: 'es-1', typ: 'JWT' } });
    expectDenied(await verifyAgentToken(token, w.options()), 'algorithm_not_allowed');
  });

  it('a header without alg → algorithm_not_allowed', async () => {
    const token = resign(await sign(w.keys.es1, svid()), { header: { kid: 'es-1' } });
    expectDenied(await verifyAgentToken(token, w.options()), 'algorithm_not_allowed');
  });

  it('HS256 signed with the public key bytes (PEM and JWK JSON) → algorithm_not_allowed', async () => {
    const pem = new TextEncoder().encode(await exportSPKI(w.keys.rsa1.publicKey));
    const jwkJson = new TextEncoder().encode(JSON.stringify(w.keys.rsa1.publicJwk));
    for (const secret of [pem, jwkJson]) {
      const token = await new SignJWT(baseClaims({ iss: 'https://idp.acme.test', client_id: 'billing-bot' }))
        .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
        .sign(secret);
      expectDenied(await verifyAgentToken(token, w.options()), 'algorithm_not_allowed');
    }
  });

  it.each(['HS384', 'HS512'])('%s is refused even when a trust domain lists it', async (alg) => {
    const td = { ...w.tdIdp, allowedAlgs: [alg, 'RS256'] };
    const token = await new SignJWT(baseClaims({ iss: 'https://idp.acme.test', client_id: 'billing-bot' }))
      .setProtectedHeader({ alg, kid: 'rsa-1' })
      .sign(new TextEncoder().encode('k'.repeat(64)));
    expectDenied(await verifyAgentToken(token, w.options({ trustDomains: [td] })), 'algorithm_not_allowed');
  });
});

describe('keys smuggled in through the header', () => {
  const jwksUrl = 'https://jwks.acme.test/keys';
  let remoteTd: TrustDomainKeys;
  let fetchSpy: ReturnType<typeof vi.fn>;
  let attacker: TestKey;

  beforeAll(async () => {
    attacker = await makeKey('ES256', 'evil');
    fetchSpy = vi.fn(async () => new Response(JSON.stringify({ keys: [w.keys.es1.publicJwk] }), { status: 200 }));
    remoteTd = { ...w.tdSvid, jwks: null, jwksUrl };
  });

  const options = () =>
    w.options({ trustDomains: [remoteTd], keyResolver: createKeyResolver({ fetch: fetchSpy as unknown as typeof fetch }) });

  it.each([
    ['jku', () => ({ jku: 'https://evil.test/jwks.json' })],
    ['x5u', () => ({ x5u: 'https://evil.test/cert.pem' })],
    ['jwk', () => ({ jwk: { kty: attacker.publicJwk.kty, crv: attacker.publicJwk.crv, x: attacker.publicJwk.x, y: attacker.publicJwk.y } })],
    ['x5c', () => ({ x5c: ['MIIBszCCAVmgAwIBAgIUaaaa'] })],
  ])('%s header → token_malformed, and nothing is fetched', async (_name, extra) => {
    fetchSpy.mockClear();
    const token = await sign(attacker, svid(), { kid: 'evil', ...extra() });
    expectDenied(await verifyAgentToken(token, options()), 'token_malformed');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('a jku pointing at the real JWKS URL is still refused', async () => {
    const token = await sign(w.keys.es1, svid(), { jku: jwksUrl });
    expectDenied(await verifyAgentToken(token, options()), 'token_malformed');
  });

  it('crit header extensions → token_malformed', async () => {
    const token = resign(await sign(w.keys.es1, svid()), { header: { alg: 'ES256', kid: 'es-1', crit: ['exp'], exp: 1 } });
    expectDenied(await verifyAgentToken(token, w.options()), 'token_malformed');
  });

  it.each([
    '../../../../etc/passwd',
    '/dev/null',
    "es-1' OR '1'='1",
    'es-1"; DROP TABLE trust_domains; --',
    'https://evil.test/jwks.json',
    'es-1\u0000',
    'ES-1',
  ])('kid %j is just an unknown kid → token_signature_invalid, fetching only the configured URL', async (kid) => {
    fetchSpy.mockClear();
    const token = await sign(w.keys.es1, svid(), { kid });
    expectDenied(await verifyAgentToken(token, options()), 'token_signature_invalid');
    for (const call of fetchSpy.mock.calls) expect(String(call[0])).toBe(jwksUrl);
  });

  it('an oversized kid → token_malformed', async () => {
    const token = await sign(w.keys.es1, svid(), { kid: 'k'.repeat(257) });
    expectDenied(await verifyAgentToken(token, w.options()), 'token_malformed');
  });

  it('a non-string kid → token_malformed', async () => {
    const token = resign(await sign(w.keys.es1, svid()), { header: { alg: 'ES256', kid: { $ne: null } } });
    expectDenied(await verifyAgentToken(token, w.options()), 'token_malformed');
  });
});

describe('unknown keys and tampering', () => {
  it('unknown kid → token_signature_invalid', async () => {
    const stranger = await makeKey('ES256', 'never-published');
    const token = await sign(stranger, svid());
    expectDenied(await verifyAgentToken(token, w.options()), 'token_signature_invalid');
  });

  it('a known kid signed by an attacker key → token_signature_invalid', async () => {
    const token = await sign(w.keys.attackerEs, svid());
    expectDenied(await verifyAgentToken(token, w.options()), 'token_signature_invalid');
    const rsa = await sign(w.keys.attackerRsa, baseClaims({ iss: 'https://idp.acme.test', client_id: 'billing-bot' }));
    expectDenied(await verifyAgentToken(rsa, w.options()), 'token_signature_invalid');
  });

  it('no kid with a multi-key trust domain → token_signature_invalid', async () => {
    const token = await sign(w.keys.es1, svid(), { kid: undefined });
    expectDenied(await verifyAgentToken(token, w.options()), 'token_signature_invalid');
  });

  it('tampered payload (another agent, later exp, extra audience) → token_signature_invalid', async () => {
    const valid = await sign(w.keys.es1, svid({ aud: 'mcp://elsewhere' }));
    for (const payload of [
      svid({ sub: 'spiffe://acme.test/agents/ed', aud: 'mcp://elsewhere' }),
      svid({ aud: AUDIENCE }),
      svid({ aud: 'mcp://elsewhere', exp: NOW_S + 3000 }),
    ]) {
      expectDenied(await verifyAgentToken(resign(valid, { payload }), w.options()), 'token_signature_invalid');
    }
  });

  it('tampered signature (bit flip, truncation, all-zero "psychic" ECDSA) → token_signature_invalid', async () => {
    const valid = await sign(w.keys.es1, svid());
    const sig = Buffer.from(valid.split('.')[2]!, 'base64url');
    const flipped = Buffer.from(sig);
    flipped[10] = flipped[10]! ^ 0x01;
    for (const signature of [flipped, sig.subarray(0, 40), Buffer.alloc(64), Buffer.alloc(0)]) {
      const token = resign(valid, { signature: signature.toString('base64url') });
      expectDenied(await verifyAgentToken(token, w.options()), 'token_signature_invalid');
    }
  });
});

describe("another tenant's trust domain", () => {
  it("a token from another tenant's issuer → issuer_unknown", async () => {
    const token = await sign(w.keys.other1, baseClaims({ iss: 'https://idp.other.test', sub: 'spiffe://other.test/agents/x' }));
    expectDenied(await verifyAgentToken(token, w.options()), 'issuer_unknown');
  });

  it("an SVID of another tenant's SPIFFE trust domain → issuer_unknown", async () => {
    const token = await sign(w.keys.other1, baseClaims({ sub: 'spiffe://other.test/agents/x' }));
    expectDenied(await verifyAgentToken(token, w.options()), 'issuer_unknown');
  });

  it("our SPIFFE subject signed with another tenant's key (its own kid, or ours) → token_signature_invalid", async () => {
    for (const kid of ['other-1', 'es-1']) {
      const token = await sign(w.keys.other1, svid(), { kid });
      expectDenied(await verifyAgentToken(token, w.options()), 'token_signature_invalid');
    }
  });

  it('our issuer may not mint SVIDs for another SPIFFE trust domain (sub or act.sub) → issuer_unknown', async () => {
    const asSub = await sign(w.keys.sts1, baseClaims({ iss: 'https://sts.acme.test', sub: 'spiffe://other.test/agents/x' }));
    const asActor = await sign(
      w.keys.sts1,
      baseClaims({ iss: 'https://sts.acme.test', sub: 'alice', act: { sub: 'spiffe://other.test/agents/x' } }),
    );
    expectDenied(await verifyAgentToken(asSub, w.options()), 'issuer_unknown');
    expectDenied(await verifyAgentToken(asActor, w.options()), 'issuer_unknown');
  });

  it('two trust domains claiming one issuer are not guessed between → issuer_unknown', async () => {
    const twin = { ...w.tdIdp, id: 'td_twin' };
    const token = await sign(w.keys.rsa1, baseClaims({ iss: 'https://idp.acme.test', client_id: 'billing-bot' }));
    expectDenied(await verifyAgentToken(token, w.options({ trustDomains: [w.tdIdp, twin] })), 'issuer_unknown');
  });
});

describe('algorithm confusion across key types', () => {
  let mixed: TrustDomainKeys;
  let rsaSigner: TestKey;
  let psSigner: TestKey;
  let es384Signer: TestKey;
  let edSigner: TestKey;

  beforeAll(async () => {
    mixed = trustDomain({
      id: 'td_mixed',
      name: 'acme.test',
      issuer: 'https://mixed.acme.test',
      jwks: { keys: [w.keys.es1.publicJwk, w.keys.ed1.publicJwk, { ...w.keys.rsa1.publicJwk, alg: 'RS256' }] },
      allowedAlgs: ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'],
    });
    rsaSigner = await makeKey('RS256', 'x');
    psSigner = await makeKey('PS256', 'x');
    es384Signer = await makeKey('ES384', 'x');
    edSigner = await makeKey('EdDSA', 'x');
  });

  const claims = () => baseClaims({ iss: 'https://mixed.acme.test', sub: BILLING });
  const opts = () => w.options({ trustDomains: [mixed] });

  it.each([
    ['RS256 header naming the EC key', () => rsaSigner, 'es-1'],
    ['PS256 header naming the EC key', () => psSigner, 'es-1'],
    ['EdDSA header naming the EC key', () => edSigner, 'es-1'],
    ['ES384 header naming the P-256 key', () => es384Signer, 'es-1'],
    ['RS256 header naming the Ed25519 key', () => rsaSigner, 'ed-1'],
    ['ES384 header naming the RSA key', () => es384Signer, 'rsa-1'],
    ['PS256 header naming an RSA key pinned to RS256', () => psSigner, 'rsa-1'],
  ])('%s → algorithm_not_allowed', async (_label, signer, kid) => {
    const token = await sign(signer(), claims(), { kid });
    expectDenied(await verifyAgentToken(token, opts()), 'algorithm_not_allowed');
  });

  it('the same keys still verify under their own algorithms', async () => {
    const es = await sign(w.keys.es1, claims());
    const ed = await sign(w.keys.ed1, claims());
    const rs = await sign(w.keys.rsa1, claims());
    for (const token of [es, ed, rs]) {
      // Authenticated; no identity registered in td_mixed, so the first failing step is lookup.
      expectDenied(await verifyAgentToken(token, opts()), 'identity_unknown');
    }
  });
});

describe('claims on an otherwise valid signature', () => {
  it('wrong issuer → issuer_unknown', async () => {
    const token = await sign(w.keys.sts1, baseClaims({ iss: 'https://sts.acme.test.evil', sub: BILLING }));
    expectDenied(await verifyAgentToken(token, w.options()), 'issuer_unknown');
  });

  it('wrong audience → audience_mismatch', async () => {
    const token = await sign(w.keys.es1, svid({ aud: 'mcp://payroll.acme.test' }));
    expectDenied(await verifyAgentToken(token, w.options()), 'audience_mismatch');
  });

  it('audience array: wrong first member but right second is allowed; all wrong is denied', async () => {
    const second = await sign(w.keys.es1, svid({ aud: ['mcp://payroll.acme.test', AUDIENCE] }));
    const none = await sign(w.keys.es1, svid({ aud: ['mcp://payroll.acme.test', `${AUDIENCE}/`] }));
    expect(await verifyAgentToken(second, w.options())).toMatchObject({ ok: true, agentId: 'agt_billing' });
    expectDenied(await verifyAgentToken(none, w.options()), 'audience_mismatch');
  });

  it('expired → token_expired; not yet valid → token_not_yet_valid; over-long → token_lifetime_too_long', async () => {
    const expired = await sign(w.keys.es1, svid({ iat: NOW_S - 7200, nbf: NOW_S - 7200, exp: NOW_S - 3600 }));
    const future = await sign(w.keys.es1, svid({ iat: NOW_S + 600, nbf: NOW_S + 600, exp: NOW_S + 1200 }));
    const longLived = await sign(w.keys.es1, svid({ exp: NOW_S + 365 * 24 * 3600 }));
    expectDenied(await verifyAgentToken(expired, w.options()), 'token_expired');
    expectDenied(await verifyAgentToken(future, w.options()), 'token_not_yet_valid');
    expectDenied(await verifyAgentToken(longLived, w.options()), 'token_lifetime_too_long');
  });
});
