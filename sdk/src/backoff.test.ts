import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles up to the cap, jittered within [½, 1] of each step', () => {
    const top = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(() => top.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    const bottom = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 0);
    expect([1, 2, 3].map(() => bottom.next())).toEqual([50, 100, 200]);
  });

  it('starts over after reset and counts failures', () => {
    const b = new Backoff({ initialMs: 10, maxMs: 80 }, () => 1);
    b.next();
    b.next();
    expect(b.failures).toBe(2);
    b.reset();
    expect(b.failures).toBe(0);
    expect(b.next()).toBe(10);
  });
});
