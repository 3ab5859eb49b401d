import { describe, expect, it } from 'vitest';
import { DecisionCache, decisionCacheKey } from './decision-cache';
import type { ToolDecision } from './types';

const allow = (over: Partial<ToolDecision> = {}): ToolDecision => ({
  allow: true,
  decisionId: 'dec_X',
  source: 'remote',
  authentication: null,
  reason: 'granted',
  explanation: 'ok',
  grantId: 'gnt_1',
  expiresAt: null,
  approvalRequired: false,
  action: 'read',
  cacheTtlSeconds: 30,
  ...over,
});

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('decisionCacheKey', () => {
  const check = { tool: 'get_invoice', action: 'read' as const, resource: 'invoice:1', context: { arguments: { id: '1' } } };
  it('covers token, tool, action, resource and arguments', () => {
    const base = decisionCacheKey('tok', check);
    expect(decisionCacheKey('tok', { ...check })).toBe(base);
    expect(decisionCacheKey('tok2', check)).not.toBe(base);
    expect(decisionCacheKey('tok', { ...check, tool: 'x' })).not.toBe(base);
    expect(decisionCacheKey('tok', { ...check, action: 'write' })).not.toBe(base);
    expect(decisionCacheKey('tok', { ...check, resource: 'invoice:2' })).not.toBe(base);
    expect(decisionCacheKey('tok', { ...check, context: { arguments: { id: '2' } } })).not.toBe(base);
    expect(decisionCacheKey('tok', { ...check, context: { arguments: { id: '1' }, onBehalfOf: 'bob' } })).not.toBe(base);
  });
  it('does not contain the token', () => {
    expect(decisionCacheKey('secret-token-value', check)).not.toContain('secret');
  });
});

describe('DecisionCache', () => {
  it('reuses an allow for its cacheTtlSeconds, not longer', () => {
    const c = clock();
    const cache = new DecisionCache(100, 60, c.now);
    cache.set('k', allow({ cacheTtlSeconds: 10 }), cache.generation, null);
    expect(cache.get('k')?.allow).toBe(true);
    c.advance(9_999);
    expect(cache.get('k')).toBeDefined();
    c.advance(1);
    expect(cache.get('k')).toBeUndefined();
  });

  it('never stores denies or zero TTLs', () => {
    const cache = new DecisionCache();
    cache.set('deny', allow({ allow: false, cacheTtlSeconds: 30 }), cache.generation, null);
    cache.set('zero', allow({ cacheTtlSeconds: 0 }), cache.generation, null);
    expect(cache.size).toBe(0);
  });

  it('ends an entry with the token, the grant, or its own cap, whichever is first', () => {
    const c = clock();
    const cache = new DecisionCache(100, 5, c.now);
    cache.set('capped', allow({ cacheTtlSeconds: 60 }), cache.generation, null);
    cache.set('token', allow({ cacheTtlSeconds: 60 }), cache.generation, c.now() + 2_000);
    cache.set('grant', allow({ cacheTtlSeconds: 60, expiresAt: new Date(c.now() + 1_000).toISOString() }), cache.generation, null);
    cache.set('expired-token', allow(), cache.generation, c.now() - 1);
    expect(cache.get('expired-token')).toBeUndefined();
    c.advance(1_000);
    expect(cache.get('grant')).toBeUndefined();
    expect(cache.get('token')).toBeDefined();
    c.advance(1_000);
    expect(cache.get('token')).toBeUndefined();
    expect(cache.get('capped')).toBeDefined();
    c.advance(3_000);
    expect(cache.get('capped')).toBeUndefined();
  });

  it('clear() drops everything, and an answer requested before it is not stored after it', () => {
    const cache = new DecisionCache();
    cache.set('a', allow(), cache.generation, null);
    const before = cache.generation;
    cache.clear();
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', allow(), before, null);
    expect(cache.get('b')).toBeUndefined();
  });

  it('stays bounded', () => {
    const cache = new DecisionCache(50);
    for (let i = 0; i < 500; i++) cache.set(`k${i}`, allow(), cache.generation, null);
    expect(cache.size).toBeLessThanOrEqual(50);
    expect(cache.get('k499')).toBeDefined();
  });
});
