import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, matchGlob } from './glob';

// An independent reference: the same semantics expressed as an escaped, anchored regex.
function reference(pattern: string, input: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*');
  return new RegExp(`^${source}$`).test(input);
}

const match = (pattern: string, input: string) => matchGlob(compileGlob(pattern), input);

describe('glob', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything:at/all', true],
    ['account:1', 'account:1', true],
    ['account:1', 'account:12', false],
    ['account:*', 'account:', true],
    ['account:*', 'xaccount:1', false],
    ['*:draft', 'invoice:draft', true],
    ['*:draft', 'invoice:draft:x', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'acb', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['ab*bc', 'abc', false],
    ['a*bc*c', 'axbc', false],
    ['a*bc*c', 'axbcc', true],
    ['a**b', 'ab', true],
    ['x.y', 'xzy', false],
    ['(a|b)', 'a', false],
  ])('%s matches %s: %s', (pattern, input, expected) => {
    expect(match(pattern, input)).toBe(expected);
  });

  it.each([
    ['a small alphabet (overlapping pieces)', ['a', 'b', '*']],
    ['regex metacharacters', ['a', ':', '*', '.', '(', '\\', '$']],
  ])('agrees with an escaped-regex reference on %s', (_, chars) => {
    const text = fc.array(fc.constantFrom(...chars), { maxLength: 9 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(text, text, (pattern, input) => {
        expect(match(pattern, input)).toBe(reference(pattern, input));
      }),
      { numRuns: 3000 },
    );
  });
});
