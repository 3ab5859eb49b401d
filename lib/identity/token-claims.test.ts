import { describe, expect, it } from 'vitest';
import { checkAudience, checkTimeClaims } from './token-claims';

const now = 1_900_000_000;
const nowMs = now * 1000;
const reason = (r: ReturnType<typeof checkTimeClaims>) => (r.ok ? 'ok' : r.reason);

describe('checkTimeClaims', () => {
  it('exp boundary: 59 s past is accepted, 60 s past is expired', () => {
    expect(reason(checkTimeClaims({ exp: now - 59, iat: now - 100 }, nowMs, 3600))).toBe('ok');
    expect(reason(checkTimeClaims({ exp: now - 60, iat: now - 100 }, nowMs, 3600))).toBe('token_expired');
  });

  it('nbf/iat boundary: 60 s ahead is accepted, 61 s is not yet valid', () => {
    expect(reason(checkTimeClaims({ exp: now + 600, nbf: now + 60 }, nowMs, 3600))).toBe('ok');
    expect(reason(checkTimeClaims({ exp: now + 600, nbf: now + 61 }, nowMs, 3600))).toBe('token_not_yet_valid');
    expect(reason(checkTimeClaims({ exp: now + 600, iat: now + 61 }, nowMs, 3600))).toBe('token_not_yet_valid');
  });

  it('lifetime equal to the maximum is accepted, one second more is not', () => {
    expect(reason(checkTimeClaims({ iat: now, exp: now + 3600 }, nowMs, 3600))).toBe('ok');
    expect(reason(checkTimeClaims({ iat: now, exp: now + 3601 }, nowMs, 3600))).toBe('token_lifetime_too_long');
  });

  it('iat takes precedence over nbf for the lifetime', () => {
    expect(reason(checkTimeClaims({ iat: now - 3000, nbf: now, exp: now + 1000 }, nowMs, 3600))).toBe('token_lifetime_too_long');
  });

  it.each([{}, { exp: 'soon' }, { exp: Number.POSITIVE_INFINITY }, { exp: now + 60, iat: '1' }, { exp: now + 60, nbf: null }])(
    'malformed time claims %j',
    (claims) => {
      expect(reason(checkTimeClaims(claims, nowMs, 3600))).toBe('token_malformed');
    },
  );
});

describe('checkAudience', () => {
  it.each<[unknown, boolean]>([
    ['mcp://a', true],
    [['x', 'mcp://a'], true],
    [['mcp://a', 'x'], true],
    [['x', 'y'], false],
    ['mcp://a ', false],
    [['mcp://A'], false],
    [undefined, false],
    [null, false],
    [{ 0: 'mcp://a' }, false],
    [[['mcp://a']], false],
  ])('aud %j → %s', (aud, ok) => {
    expect(checkAudience(aud, 'mcp://a').ok).toBe(ok);
  });
});
