import { describe, expect, it } from 'vitest';
import { checkGuardrails, standingRefusal, type GuardrailPolicy, type GuardrailScope } from './guardrails';

const now = new Date('2026-01-01T00:00:00Z');
const scope = (over: Partial<GuardrailScope> = {}): GuardrailScope => ({ kind: 'standing', notBefore: null, expiresAt: null, maxUses: null, condition: null, justification: null, ...over });
const policy = (over: Partial<GuardrailPolicy> = {}): GuardrailPolicy => ({ standingAllowed: true, maxDurationSeconds: null, singleUse: false, ...over });
const tool = (risk: 'low' | 'medium' | 'high' | 'critical', status: 'active' | 'unclassified' | 'disabled' = 'active') => ({ name: 't', risk, status });

describe('checkGuardrails', () => {
  it('refuses standing grants where the policy says no, and always on high/critical tools', () => {
    expect(checkGuardrails(tool('medium'), policy({ standingAllowed: false }), scope(), now).problems).toEqual([{ name: 'toolId', reason: standingRefusal(tool('medium')) }]);
    // a policy override cannot make the engine honour a standing grant on a high tool
    expect(checkGuardrails(tool('high'), policy(), scope(), now).problems[0].name).toBe('toolId');
    expect(checkGuardrails(tool('high'), policy(), scope({ kind: 'jit', expiresAt: new Date(now.getTime() + 1000) }), now).problems).toEqual([]);
    expect(checkGuardrails(tool('high'), policy(), scope(), now, { skipStandingGuardrail: true }).problems).toEqual([]);
  });

  it('caps the duration from the start of validity, defaulting the expiry to the cap', () => {
    const p = policy({ maxDurationSeconds: 3600 });
    expect(checkGuardrails(tool('medium'), p, scope(), now).expiresAt).toEqual(new Date(now.getTime() + 3_600_000));
    const later = new Date(now.getTime() + 86_400_000);
    expect(checkGuardrails(tool('medium'), p, scope({ notBefore: later }), now).expiresAt).toEqual(new Date(later.getTime() + 3_600_000));
    expect(checkGuardrails(tool('medium'), p, scope({ expiresAt: new Date(now.getTime() + 3_600_001) }), now).problems.map((x) => x.name)).toEqual(['expiresAt']);
    expect(checkGuardrails(tool('medium'), p, scope({ expiresAt: new Date(now.getTime() + 3_600_000) }), now).problems).toEqual([]);
  });

  it('break-glass: one hour at most and a justification', () => {
    const r = checkGuardrails(tool('critical'), policy({ standingAllowed: false, maxDurationSeconds: 7200 }), scope({ kind: 'break_glass' }), now);
    expect(r.problems.map((x) => x.name)).toEqual(['justification']);
    expect(r.expiresAt).toEqual(new Date(now.getTime() + 3_600_000));
  });

  it('single-use policies force one use', () => {
    expect(checkGuardrails(tool('low'), policy({ singleUse: true }), scope(), now).maxUses).toBe(1);
    expect(checkGuardrails(tool('low'), policy({ singleUse: true }), scope({ maxUses: 2 }), now).problems.map((x) => x.name)).toEqual(['maxUses']);
  });

  it('names the character where a condition breaks', () => {
    expect(checkGuardrails(tool('low'), policy(), scope({ condition: 'args.x = 1' }), now).problems).toEqual([
      { name: 'condition', reason: 'Invalid condition at character 8: found = but expecting end of input' },
    ]);
  });

  it('unclassified and disabled tools take no grant at all', () => {
    expect(checkGuardrails(tool('low', 'unclassified'), policy(), scope({ kind: 'jit' }), now).problems[0].reason).toMatch(/not classified/);
    expect(checkGuardrails(tool('low', 'disabled'), policy(), scope(), now).problems[0].reason).toMatch(/disabled/);
  });
});
