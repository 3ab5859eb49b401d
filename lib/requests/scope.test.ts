import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileGlob, matchGlob } from '../policy/glob';
import { narrowScope, patternCovers } from './scope';

describe('patternCovers', () => {
  it.each([
    [null, 'anything', true],
    ['account:*', 'account:42', true],
    ['account:*', 'account:4*', true],
    ['account:*', 'account:*', true],
    ['*', 'x*y', true],
    ['account:42', 'account:42', true],
    ['account:42', 'account:*', false],
    ['account:*', 'invoice:1', false],
    ['account:*', '*', false],
    ['*ab*', '*a*b*', false],
    ['a*c', 'abc', true],
    ['a*c', 'a*bc', true],
    ['a*c', 'a*b', false],
  ])('%s covers %s: %s', (outer, inner, expected) => {
    expect(patternCovers(outer, inner)).toBe(expected);
  });

  // sound: whenever it says an approved pattern is within the requested one, every resource the
  // approved one matches is matched by the requested one (the grant can never be wider)
  it('never claims coverage that does not hold', () => {
    const piece = fc.stringMatching(/^[ab*:]{0,6}$/);
    fc.assert(
      fc.property(piece, piece, fc.array(fc.stringMatching(/^[ab:]{0,4}$/), { maxLength: 4 }), (outer, inner, fills) => {
        if (!patternCovers(outer, inner)) return;
        // a resource matched by `inner`: its stars replaced by arbitrary strings
        let i = 0;
        const resource = inner.replace(/\*/g, () => fills[i++ % Math.max(1, fills.length)] ?? '');
        expect(matchGlob(compileGlob(inner), resource)).toBe(true);
        expect(matchGlob(compileGlob(outer), resource)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('narrowScope', () => {
  const current = { actions: ['read', 'write'] as ('read' | 'write')[], resource: 'account:*', durationSeconds: 3600 };

  it('keeps the scope when nothing is proposed', () => {
    expect(narrowScope(current, {})).toEqual({ scope: current, problems: [] });
  });

  it('narrows actions, resource and duration', () => {
    const r = narrowScope(current, { actions: ['write'], resource: 'account:42', durationSeconds: 60 });
    expect(r.problems).toEqual([]);
    expect(r.scope).toEqual({ actions: ['write'], resource: 'account:42', durationSeconds: 60 });
  });

  it('refuses every widening, naming the field', () => {
    const r = narrowScope(current, { actions: ['admin'], resource: 'invoice:1', durationSeconds: 3601 });
    expect(r.problems.map((p) => p.name)).toEqual(['actions', 'resource', 'durationSeconds']);
    expect(narrowScope(current, { resource: null }).problems[0]?.name).toBe('resource');
    expect(narrowScope(current, { actions: [] }).problems[0]?.name).toBe('actions');
  });
});
