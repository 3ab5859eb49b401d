import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportJWK } from 'jose';
import { JWKS_FETCH_TIMEOUT_MS } from './fetch-jwks';
import { createKeyResolver } from './key-resolver';
import { KeyResolutionError } from './key-set';
import { verifyAgentToken } from './verify-token';
import { baseClaims, expectDenied, identity, lookups, AUDIENCE, NOW_MS, makeKey, sign, trustDomain, type TestKey } from './testing/fixtures';
import { startJwksServer, type JwksServer } from './testing/jwks-server';
import type { TrustDomainKeys } from './types';

let k1: TestKey;
let k2: TestKey;
let rsa: TestKey;
beforeAll(async () => {
  k1 = await makeKey('ES256', 'k1');
  k2 = await makeKey('ES256', 'k2');
  rsa = await makeKey('RS256', 'rsa');
});

describe('inline JWKS', () => {
  const td = (overrides: Partial<TrustDomainKeys> = {}) =>
    trustDomain({ id: 'td_a', name: 'acme.test', jwks: { keys: [k1.publicJwk, { ...rsa.publicJwk }] }, allowedAlgs: ['ES256', 'RS256', 'PS256'], ...overrides });

  it('imports each key once per allowed algorithm that fits it', async () => {
    const set = await createKeyResolver().getKeys(td());
    expect(set.keys.map((k) => [k.kid, k.kty, [...k.byAlg.keys()]])).toEqual([
      ['k1', 'EC', ['ES256']],
      ['rsa', 'RSA', ['RS256', 'PS256']],
    ]);
  });

  it('caches per trust domain; an equal JWKS (other object, other member order) hits the cache', async () => {
    const resolver = createKeyResolver();
    const first = await resolver.getKeys(td());
    const reordered = { keys: [Object.fromEntries(Object.entries(k1.publicJwk).reverse()), { ...rsa.publicJwk }] };
    expect(await resolver.getKeys(td())).toBe(first);
    expect(await resolver.getKeys(td({ jwks: reordered }))).toBe(first);
    expect(await resolver.getKeys(td({ id: 'td_b' }))).not.toBe(first);
  });

  it('an edited JWKS or allowlist invalidates the cache', async () => {
    const resolver = createKeyResolver();
    const first = await resolver.getKeys(td());
    const edited = await resolver.getKeys(td({ jwks: { keys: [k1.publicJwk, k2.publicJwk] } }));
    expect(edited).not.toBe(first);
    expect(edited.keys.map((k) => k.kid)).toEqual(['k1', 'k2']);
    const narrowed = await resolver.getKeys(td({ jwks: { keys: [k1.publicJwk, k2.publicJwk] }, allowedAlgs: ['ES256'] }));
    expect(narrowed).not.toBe(edited);
  });

  it('refuses a JWKS that carries a private key (d), importing none of it', async () => {
    const priv = { ...(await exportJWK(k2.privateKey)), kid: 'k2' };
    const resolver = createKeyResolver();
    const bad = td({ jwks: { keys: [k1.publicJwk, priv] } });
    await expect(resolver.getKeys(bad)).rejects.toThrow(KeyResolutionError);
    await expect(resolver.getKeys(bad)).rejects.toThrow(/"d"/);
    // Even the public key beside it is not used.
    const token = await sign(k1, baseClaims({ sub: 'spiffe://acme.test/a' }));
    const result = await verifyAgentToken(token, {
      trustDomains: [bad], ...lookups([], []), audience: AUDIENCE, now: NOW_MS, keyResolver: resolver,
    });
    expectDenied(result, 'token_signature_invalid');
  });

  it('refuses symmetric (oct) keys', async () => {
    await expect(createKeyResolver().getKeys(td({ jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 's' }] } }))).rejects.toThrow(/symmetric|"k"/);
  });

  it('skips keys it cannot use and says why', async () => {
    const set = await createKeyResolver().getKeys(td({ jwks: { keys: [k1.publicJwk, { ...k2.publicJwk, use: 'enc' }, { kty: 'EC', crv: 'P-256', kid: 'bad', x: 'AA', y: 'AA' }] } }));
    expect(set.keys.map((k) => k.kid)).toEqual(['k1']);
    expect(set.skipped).toHaveLength(2);
    expect(set.skipped[0]).toMatch(/k2.*use/);
    expect(set.skipped[1]).toMatch(/bad.*not importable/);
  });

  it('a trust domain without any keys is an error', async () => {
    await expect(createKeyResolver().getKeys(td({ jwks: null }))).rejects.toThrow(/neither/);
  });
});

describe('remote JWKS over real HTTP', () => {
  let server: JwksServer;
  let clock: number;
  const now = () => clock;

  beforeAll(async () => {
    server = await startJwksServer({ keys: [k1.publicJwk] });
  });
  afterEach(() => {
    server.serve({ keys: [k1.publicJwk] });
  });
  afterAll(async () => {
    await server.close();
  });

  let n = 0;
  /** A fresh path per test so request counts are per test. */
  function remoteTd(path = `/jwks-${++n}`): TrustDomainKeys & { path: string } {
    return { ...trustDomain({ id: `td_remote_${n}`, name: 'acme.test', jwksUrl: `${server.url}${path}` }), path };
  }
  function world(td: TrustDomainKeys, resolver = createKeyResolver({ now })) {
    const sub = 'spiffe://acme.test/agents/billing';
    const l = lookups([identity('wid', td.id, 'spiffe_jwt', sub, 'agt')], [{ id: 'agt', name: 'a', status: 'active' }]);
    return {
      resolver,
      verify: async (key: TestKey, kid = key.kid) =>
        verifyAgentToken(await sign(key, baseClaims({ sub }), { kid }), {
          trustDomains: [td], ...l, audience: AUDIENCE, now: NOW_MS, keyResolver: resolver,
        }),
    };
  }

  it('fetches once, then serves verifications from the cache', async () => {
    clock = 0;
    const td = remoteTd();
    const { verify } = world(td);
    expect(await verify(k1)).toMatchObject({ ok: true, identityId: 'wid' });
    expect(await verify(k1)).toMatchObject({ ok: true });
    expect(server.hits(td.path)).toBe(1);
  });

  it('concurrent first verifications share one fetch', async () => {
    clock = 0;
    const td = remoteTd();
    const { verify } = world(td);
    const results = await Promise.all(Array.from({ length: 10 }, () => verify(k1)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.hits(td.path)).toBe(1);
  });

  it('an unknown kid refreshes at most once per 30 s per trust domain', async () => {
    clock = 0;
    const td = remoteTd();
    const { verify } = world(td);
    expect((await verify(k1)).ok).toBe(true);
    expect(server.hits(td.path)).toBe(1);

    clock = 31_000;
    expectDenied(await verify(k2), 'token_signature_invalid');
    expect(server.hits(td.path)).toBe(2);

    // A burst of forged kids, sequential and parallel, inside the interval: no further fetch.
    for (const kid of ['x1', 'x2', '../../etc/passwd']) expectDenied(await verify(k2, kid), 'token_signature_invalid');
    await Promise.all(Array.from({ length: 20 }, (_, i) => verify(k2, `p${i}`)));
    clock = 60_999;
    expectDenied(await verify(k2, 'x3'), 'token_signature_invalid');
    expect(server.hits(td.path)).toBe(2);

    clock = 61_000;
    expectDenied(await verify(k2, 'x4'), 'token_signature_invalid');
    expect(server.hits(td.path)).toBe(3);
  });

  it('picks up a rotated key through the unknown-kid refresh', async () => {
    clock = 0;
    const td = remoteTd();
    const { verify } = world(td);
    expect((await verify(k1)).ok).toBe(true);
    server.serve({ keys: [k1.publicJwk, k2.publicJwk] });
    clock = 30_000;
    expect(await verify(k2)).toMatchObject({ ok: true });
    expect(server.hits(td.path)).toBe(2);
  });

  it('the refresh limit is per trust domain', async () => {
    clock = 0;
    const a = remoteTd();
    const b = remoteTd();
    const resolver = createKeyResolver({ now });
    await world(a, resolver).verify(k1);
    await world(b, resolver).verify(k1);
    clock = 40_000;
    await world(a, resolver).verify(k2);
    await world(b, resolver).verify(k2);
    expect([server.hits(a.path), server.hits(b.path)]).toEqual([2, 2]);
  });

  it('re-fetches after the cache max age so removed keys stop working', async () => {
    clock = 0;
    const td = remoteTd();
    const { verify } = world(td, createKeyResolver({ now, cacheMaxAgeMs: 60_000 }));
    expect((await verify(k1)).ok).toBe(true);
    server.serve({ keys: [k2.publicJwk] });
    clock = 59_000;
    expect((await verify(k1)).ok).toBe(true);
    clock = 60_000;
    expectDenied(await verify(k1), 'token_signature_invalid');
    expect(server.hits(td.path)).toBeGreaterThanOrEqual(2);
  });

  it('refuses a remote JWKS that carries a private key', async () => {
    clock = 0;
    server.serve({ keys: [{ ...(await exportJWK(k1.privateKey)), kid: 'k1' }] });
    const td = remoteTd();
    const { verify, resolver } = world(td);
    expectDenied(await verify(k1), 'token_signature_invalid');
    await expect(resolver.getKeys(td)).rejects.toThrow(/private/);
  });

  it('an HTTP error fails closed, and callers inside the backoff do not re-fetch', async () => {
    clock = 0;
    server.respond((_req, res) => res.writeHead(500).end('oops'));
    const td = remoteTd();
    const { verify, resolver } = world(td);
    expectDenied(await verify(k1), 'token_signature_invalid');
    await expect(resolver.getKeys(td)).rejects.toThrow(/HTTP 500/);
    expect(server.hits(td.path)).toBe(1);
    server.serve({ keys: [k1.publicJwk] });
    clock = 5_000;
    expect((await verify(k1)).ok).toBe(true);
    expect(server.hits(td.path)).toBe(2);
  });

  it('does not follow redirects', async () => {
    clock = 0;
    server.respond((_req, res) => res.writeHead(302, { location: '/elsewhere' }).end());
    const td = remoteTd();
    await expect(createKeyResolver({ now }).getKeys(td)).rejects.toThrow(KeyResolutionError);
    expect(server.hits('/elsewhere')).toBe(0);
  });

  it('refuses an oversized response', async () => {
    clock = 0;
    server.respond((_req, res) => res.writeHead(200).end(JSON.stringify({ keys: [k1.publicJwk], pad: 'x'.repeat(300_000) })));
    await expect(createKeyResolver({ now }).getKeys(remoteTd())).rejects.toThrow(/too large/);
  });

  it('refuses a response that is not JSON', async () => {
    clock = 0;
    server.respond((_req, res) => res.writeHead(200).end('<html>'));
    await expect(createKeyResolver({ now }).getKeys(remoteTd())).rejects.toThrow(/not JSON/);
  });

  it('times out a server that never answers (configurable)', async () => {
    clock = 0;
    server.respond(() => undefined);
    const started = Date.now();
    await expect(createKeyResolver({ now, fetchTimeoutMs: 200 }).getKeys(remoteTd())).rejects.toThrow(/timed out after 200 ms/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('times out after 2 s by default', async () => {
    expect(JWKS_FETCH_TIMEOUT_MS).toBe(2_000);
    clock = 0;
    server.respond(() => undefined);
    const td = remoteTd();
    const { verify } = world(td);
    const started = Date.now();
    expectDenied(await verify(k1), 'token_signature_invalid');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(4_000);
  }, 10_000);

  it('refuses plain http to a non-loopback host without fetching', async () => {
    const fetchSpy = vi.fn();
    const td = trustDomain({ id: 'td_http', name: 'acme.test', jwksUrl: 'http://jwks.acme.test/keys' });
    await expect(createKeyResolver({ fetch: fetchSpy as unknown as typeof fetch }).getKeys(td)).rejects.toThrow(/https/);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('unions an inline JWKS with a remote one', async () => {
    clock = 0;
    const td = { ...remoteTd(), jwks: { keys: [k2.publicJwk] } };
    const set = await createKeyResolver({ now }).getKeys(td);
    expect(set.keys.map((k) => k.kid).sort()).toEqual(['k1', 'k2']);
  });
});
