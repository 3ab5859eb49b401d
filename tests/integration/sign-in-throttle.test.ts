import { afterAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../lib/db/client';
import { clearFailures, lockedFor, recordFailure, throttleKeys } from '../../lib/auth/throttle';

afterAll(disconnectDb);

describe('sign-in throttling (brute force)', () => {
  it('locks an e-mail after 5 failures within the window, and the lock grows on repeat', async () => {
    const keys = throttleKeys(`victim-${Date.now()}@example.test`, null);
    const now = new Date();
    for (let i = 0; i < 4; i++) await recordFailure(keys, now);
    expect(await lockedFor(keys, now)).toBe(0);
    await recordFailure(keys, now);
    const first = await lockedFor(keys, now);
    expect(first).toBeGreaterThan(0);
    await recordFailure(keys, now);
    expect(await lockedFor(keys, now)).toBeGreaterThan(first);
  });

  it('counts per address too, so spraying many e-mails from one address is throttled', async () => {
    const ip = `10.0.0.${Math.floor(Math.random() * 250)}-${Date.now()}`;
    const now = new Date();
    for (let i = 0; i < 20; i++) await recordFailure(throttleKeys(`spray-${i}-${Date.now()}@example.test`, ip), now);
    expect(await lockedFor(throttleKeys('someone-new@example.test', ip), now)).toBeGreaterThan(0);
  });

  it('a success clears the e-mail counter; an old window starts over', async () => {
    const email = `clear-${Date.now()}@example.test`;
    const keys = throttleKeys(email, null);
    const then = new Date(Date.now() - 60 * 60_000);
    for (let i = 0; i < 4; i++) await recordFailure(keys, then);
    await recordFailure(keys, new Date());
    expect(await lockedFor(keys)).toBe(0);
    await clearFailures(email);
    for (let i = 0; i < 4; i++) await recordFailure(keys);
    expect(await lockedFor(keys)).toBe(0);
  });
});
