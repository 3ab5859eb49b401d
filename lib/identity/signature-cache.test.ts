import { describe, expect, it } from 'vitest';
import { SignatureCache } from './signature-cache';
import type { KeyResolver } from './key-set';
import { createKeyResolver } from './key-resolver';
import { verifyAgentToken } from './verify-token';
import { baseClaims, NOW_MS, sign } from './testing/fixtures';
import { BILLING, makeWorld } from './testing/world';

// A resolver that counts how often keys are asked for: a cache hit must not verify again.
function countingResolver(): KeyResolver & { calls: number } {
  const inner = createKeyResolver();
  const r = {
    calls: 0,
    getKeys: (td: Parameters<KeyResolver['getKeys']>[0]) => {
      r.calls++;
      return inner.getKeys(td);
    },
    refreshKeys: (td: Parameters<KeyResolver['refreshKeys']>[0]) => inner.refreshKeys(td),
  };
  return r;
}

describe('signature cache', () => {
  it('verifies a token once, then re-checks only claims and identity', async () => {
    const resolver = countingResolver();
    const w = await makeWorld(resolver);
    const cache = new SignatureCache();
    const token = await sign(w.keys.es1, baseClaims({ sub: BILLING }));
    for (let i = 0; i < 3; i++) expect((await verifyAgentToken(token, { ...w.options(), signatureCache: cache })).ok).toBe(true);
    expect(resolver.calls).toBe(1);
    // the cached signature does not rescue an expired token
    const late = await verifyAgentToken(token, { ...w.options({ now: NOW_MS + 3_600_000 }), signatureCache: cache });
    expect(late).toMatchObject({ ok: false, reason: 'token_expired' });
  });

  it('is bound to the trust domain keys it was verified with', async () => {
    const resolver = countingResolver();
    const w = await makeWorld(resolver);
    const cache = new SignatureCache();
    const token = await sign(w.keys.es1, baseClaims({ sub: BILLING }));
    expect((await verifyAgentToken(token, { ...w.options(), signatureCache: cache })).ok).toBe(true);
    // a policy rebuild hands new trust-domain objects: here, with the signing key removed
    const rebuilt = w.options().trustDomains.map((td) => (td.id === w.tdSvid.id ? { ...td, jwks: { keys: [w.keys.ed1.publicJwk] } } : td));
    const res = await verifyAgentToken(token, { ...w.options(), trustDomains: rebuilt, signatureCache: cache });
    expect(res.ok).toBe(false);
  });

  it('never caches a failed verification', async () => {
    const w = await makeWorld();
    const cache = new SignatureCache();
    const forged = await sign(w.keys.attackerEs, baseClaims({ sub: BILLING }));
    expect((await verifyAgentToken(forged, { ...w.options(), signatureCache: cache })).ok).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('stays bounded', () => {
    const cache = new SignatureCache(100);
    const td = { id: 't', name: 't', issuer: null, jwks: null, jwksUrl: null, allowedAlgs: [], maxTokenLifetimeSeconds: 60 };
    const tds = [td];
    const verified = { trustDomain: td, claims: {}, who: { ok: false as const, reason: 'token_malformed' as const, detail: 'x' } };
    for (let i = 0; i < 1000; i++) cache.set(`tok${i}`, tds, verified, 0);
    expect(cache.size).toBeLessThanOrEqual(100);
    expect(cache.get('tok999', tds, 0)).toBe(verified);
    // another list (a policy rebuild), even with the same trust domain in it, misses
    expect(cache.get('tok999', [td], 0)).toBeUndefined();
  });
});
