import { describe, expect, it } from 'vitest';
import { parseSpiffeId } from './spiffe-id';

describe('parseSpiffeId', () => {
  it('parses a workload SPIFFE ID', () => {
    expect(parseSpiffeId('spiffe://acme.test/ns/prod/sa/billing')).toEqual({
      kind: 'spiffe',
      trustDomain: 'acme.test',
      path: '/ns/prod/sa/billing',
    });
  });

  it.each(['alice@acme.test', 'billing-bot', 'https://acme.test/x', ''])('%j is not a SPIFFE ID', (value) => {
    expect(parseSpiffeId(value)).toEqual({ kind: 'not_spiffe' });
  });

  it.each([
    'SPIFFE://acme.test/a',
    'spiffe:acme.test/a',
    'spiffe://Acme.test/a',
    'spiffe://acme.test:8443/a',
    'spiffe://user@acme.test/a',
    'spiffe://acme.test',
    'spiffe://acme.test/',
    'spiffe://acme.test/a//b',
    'spiffe://acme.test/a/./b',
    'spiffe://acme.test/a/../b',
    'spiffe://acme.test/a%2Fb',
    'spiffe://acme.test/a?x=1',
    'spiffe://acme.test/a#f',
    'spiffe:///a',
    `spiffe://acme.test/${'a'.repeat(2100)}`,
  ])('%j is an invalid SPIFFE ID, not a non-SPIFFE subject', (value) => {
    expect(parseSpiffeId(value).kind).toBe('invalid');
  });
});
