import { describe, expect, it } from 'vitest';
import { canonicalJson, stableHash } from './stable-hash';

describe('stableHash', () => {
  it('does not depend on key order, at any depth', () => {
    expect(stableHash({ a: 1, b: { c: [1, { d: 2, e: 3 }] } })).toBe(stableHash({ b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
  });
  it('tells different values apart, including types and array order', () => {
    expect(stableHash({ amount: 1 })).not.toBe(stableHash({ amount: '1' }));
    expect(stableHash([1, 2])).not.toBe(stableHash([2, 1]));
    expect(stableHash({ a: null })).not.toBe(stableHash({}));
  });
  it('drops undefined members like JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson([undefined])).toBe('[null]');
  });
});
