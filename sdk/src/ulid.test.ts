import { describe, expect, it } from 'vitest';
import { DECISION_ID_PATTERN, newDecisionId, ulid, ulidTime } from './ulid';

describe('decision ids', () => {
  it('are dec_ + a 26-character Crockford ULID, as the decision-log upload requires', () => {
    for (let i = 0; i < 200; i++) {
      const id = newDecisionId();
      expect(id).toMatch(DECISION_ID_PATTERN);
      expect(id).toMatch(/^dec_[0-9A-Z]{26}$/);
      expect(id).not.toMatch(/[ILOU]/);
    }
  });

  it('encode the time first, so ids sort by time', () => {
    const t = Date.UTC(2026, 4, 1, 12, 0, 0, 123);
    expect(ulidTime(newDecisionId(t))).toBe(t);
    expect(ulid(t).slice(0, 10) < ulid(t + 1).slice(0, 10)).toBe(true);
    expect(newDecisionId(t) < newDecisionId(t + 1000)).toBe(true);
  });

  it('do not repeat', () => {
    const ids = new Set(Array.from({ length: 5_000 }, () => newDecisionId(0)));
    expect(ids.size).toBe(5_000);
  });
});
