import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCondition, conditionHolds, validateCondition } from './condition';

describe('validateCondition', () => {
  it('accepts conditions over args and context', () => {
    expect(validateCondition('args.amount <= 100 && context.environment == "prod"')).toEqual({ ok: true });
    expect(validateCondition('args.items.all(i, i.qty < 10) && has(context.onBehalfOf)')).toEqual({ ok: true });
    expect(validateCondition('context.resource.lowerAscii().startsWith("account:")')).toEqual({ ok: true });
  });

  it('reports a syntax error with its position', () => {
    // The parser backtracks to the operator it could not complete.
    const r = validateCondition('args.amount <= ');
    expect(r).toMatchObject({ ok: false, position: 12 });
    expect(validateCondition('args.amount < 5 )')).toMatchObject({ ok: false, position: 16 });
  });

  it('reports an unknown variable where it is used', () => {
    const r = validateCondition('args.a == 1 && user.admin');
    expect(r).toMatchObject({ ok: false, position: 15 });
    if (!r.ok) expect(r.message).toContain('user');
  });

  it('does not mistake comprehension variables for unknown ones, but scopes them', () => {
    expect(validateCondition('args.xs.exists(x, x == 1)').ok).toBe(true);
    expect(validateCondition('args.xs.exists(x, x == 1) && x == 2').ok).toBe(false);
  });

  it('reports an unknown function', () => {
    const r = validateCondition('isAdmin(context.onBehalfOf)');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('isAdmin');
  });

  it('rejects a literal that is not a boolean', () => {
    expect(validateCondition('1').ok).toBe(false);
    expect(validateCondition('true').ok).toBe(true);
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const r = validateCondition(s);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
    expect(validateCondition('('.repeat(20_000)).ok).toBe(false);
  });
});

describe('compiled conditions', () => {
  it('knows whether the answer depends on args', () => {
    const a = compileCondition('args.amount < 5');
    const c = compileCondition('context.environment == "prod"');
    const shadowed = compileCondition('[1].all(args, args > 0)');
    expect(a.ok && a.usesArgs).toBe(true);
    expect(c.ok && c.usesArgs).toBe(false);
    expect(shadowed.ok && shadowed.usesArgs).toBe(false);
  });

  it('holds only for a boolean true', () => {
    const ctx = { context: {} };
    expect(conditionHolds(compileCondition('args.n > 1'), { args: { n: 2 }, ...ctx })).toBe(true);
    expect(conditionHolds(compileCondition('args.n > 1'), { args: { n: 0 }, ...ctx })).toBe(false);
    expect(conditionHolds(compileCondition('args.n > 1'), { args: {}, ...ctx })).toBe(false);
    expect(conditionHolds(compileCondition('args.n > 1'), { args: { n: 'x' }, ...ctx })).toBe(false);
    expect(conditionHolds(compileCondition('args.n'), { args: { n: 'true' }, ...ctx })).toBe(false);
    expect(conditionHolds(compileCondition('args.n > '), { args: { n: 2 }, ...ctx })).toBe(false);
  });

  it('reads arguments whatever their prototype, including one named "constructor"', () => {
    const ctx = { context: {} };
    const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { n: 2 });
    expect(conditionHolds(compileCondition('args.n > 1'), { args: nullProto, ...ctx })).toBe(true);
    expect(conditionHolds(compileCondition('args.constructor == "x"'), { args: { constructor: 'x' }, ...ctx })).toBe(true);
    const nested = { order: { lines: [{ qty: 1 }, { qty: 3 }] } };
    expect(conditionHolds(compileCondition('args.order.lines.all(l, l.qty < 5)'), { args: nested, ...ctx })).toBe(true);
    expect(conditionHolds(compileCondition('args.order.lines.all(l, l.qty < 2)'), { args: nested, ...ctx })).toBe(false);
  });

  it('fails closed on arguments nested beyond any sensible depth', () => {
    let deep: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(conditionHolds(compileCondition('has(args.d)'), { args: deep, context: {} })).toBe(false);
  });
});
