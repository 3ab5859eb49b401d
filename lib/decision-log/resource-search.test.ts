import { describe, expect, it } from 'vitest';
import { pickIndexToken, searchTokens } from './resource-search';

describe('resource search token', () => {
  it('splits into runs of letters/digits with the separators before them', () => {
    expect(searchTokens('invoice:4242')).toEqual(['invoice', ':4242']);
    expect(searchTokens('s3://bucket/k-1')).toEqual(['s3', '://bucket', '/k', '-1']);
    expect(searchTokens('_50%')).toEqual(['_50', '%']);
    expect(searchTokens('Überweisung/77a')).toEqual(['Überweisung', '/77a']);
  });

  const sample = ['invoice:1', 'invoice:20', 'invoice:4013', 'invoice:99', 'account:7', 'invoice:5555'];

  it('looks up the token the fewest sampled resources contain', () => {
    expect(pickIndexToken('invoice:4242', sample)).toBe(':4242');
    expect(pickIndexToken('INVOICE:4242', sample)).toBe(':4242');
    // among equally rare tokens, the longest (more trigrams, fewer candidates)
    expect(pickIndexToken('acct:12345/abc', sample)).toBe(':12345');
  });

  it('searches the whole text when nothing better can be said', () => {
    expect(pickIndexToken('invoice', sample)).toBeNull(); // one token
    expect(pickIndexToken('invoice:42', sample)).toBeNull(); // ":42" is too short for a trigram of its own
    expect(pickIndexToken('invoice:4242', [])).toBeNull(); // no statistics
    expect(pickIndexToken('a:b', sample)).toBeNull();
  });
});
