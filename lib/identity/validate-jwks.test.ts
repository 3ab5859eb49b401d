import { exportJWK, generateSecret } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateJwks } from './validate-jwks';
import { makeKey, type TestKey } from './testing/fixtures';

let es: TestKey;
let rsa: TestKey;
let ed: TestKey;
beforeAll(async () => {
  es = await makeKey('ES256', 'es');
  rsa = await makeKey('RS256', 'rsa');
  ed = await makeKey('EdDSA', 'ed');
});

function message(result: ReturnType<typeof validateJwks>): string {
  return result.ok ? '(ok)' : result.message;
}

describe('validateJwks', () => {
  it('accepts public keys and reports kid, kty, alg and the algorithms each will verify', () => {
    const result = validateJwks({ keys: [es.publicJwk, { ...rsa.publicJwk, alg: 'RS256' }, ed.publicJwk] }, ['ES256', 'RS256', 'PS256', 'EdDSA']);
    expect(result).toEqual({
      ok: true,
      keys: [
        { kid: 'es', kty: 'EC', alg: null, algs: ['ES256'] },
        { kid: 'rsa', kty: 'RSA', alg: 'RS256', algs: ['RS256'] },
        { kid: 'ed', kty: 'OKP', alg: null, algs: ['EdDSA'] },
      ],
    });
  });

  it('accepts a single key without kid', () => {
    const { kid: _kid, ...noKid } = es.publicJwk;
    expect(validateJwks({ keys: [noKid] }, ['ES256'])).toMatchObject({ ok: true, keys: [{ kid: null }] });
  });

  it('refuses private keys (d) and says so', async () => {
    const priv = { ...(await exportJWK(es.privateKey)), kid: 'es' };
    expect(message(validateJwks({ keys: [priv] }, ['ES256']))).toMatch(/private.*"d"/);
    const rsaPriv = { ...(await exportJWK(rsa.privateKey)), kid: 'rsa' };
    expect(validateJwks({ keys: [rsaPriv] }, ['RS256']).ok).toBe(false);
  });

  it('refuses symmetric keys', async () => {
    const secret = await generateSecret('HS256', { extractable: true });
    const jwk = { ...(await exportJWK(secret)), kid: 'hmac' };
    expect(message(validateJwks({ keys: [jwk] }, ['ES256']))).toMatch(/symmetric|"k"/);
  });

  it('refuses a key that no allowed algorithm fits', () => {
    expect(message(validateJwks({ keys: [rsa.publicJwk] }, ['ES256']))).toMatch(/no allowed algorithm/);
  });

  it.each([
    [['none'], /none/],
    [['HS256'], /HS256/],
    [['ES256', 'HS512'], /HS512/],
    [[], /at least one/],
  ])('refuses allowlist %j', (algs, pattern) => {
    expect(message(validateJwks({ keys: [es.publicJwk] }, algs))).toMatch(pattern);
  });

  it.each<[string, () => unknown, RegExp]>([
    ['not an object', () => 'keys', /"keys" array/],
    ['no keys array', () => ({ key: [] }), /"keys" array/],
    ['empty', () => ({ keys: [] }), /no keys/],
    ['a key that is not an object', () => ({ keys: ['x'] }), /not a JSON object/],
    ['duplicate kids', () => ({ keys: [es.publicJwk, { ...ed.publicJwk, kid: 'es' }] }), /duplicate/],
    ['missing kid in a multi-key set', () => ({ keys: [es.publicJwk, { ...ed.publicJwk, kid: undefined }] }), /kid.*required/],
    ['use enc', () => ({ keys: [{ ...es.publicJwk, use: 'enc' }] }), /use/],
    ['key_ops without verify', () => ({ keys: [{ ...es.publicJwk, key_ops: ['encrypt'] }] }), /key_ops/],
    ['alg not allowed', () => ({ keys: [{ ...rsa.publicJwk, alg: 'PS512' }] }), /not allowed/],
    ['alg not fitting the key type', () => ({ keys: [{ ...es.publicJwk, alg: 'RS256' }] }), /does not fit|not allowed/],
    ['alg HS256 on a key', () => ({ keys: [{ ...es.publicJwk, alg: 'HS256' }] }), /asymmetric/],
    ['unknown kty', () => ({ keys: [{ kty: 'AKP', kid: 'pq', pub: 'AAAA' }] }), /kty/],
    ['unsupported curve', () => ({ keys: [{ ...es.publicJwk, crv: 'secp256k1' }] }), /crv/],
    ['short RSA modulus', () => ({ keys: [{ ...rsa.publicJwk, n: 'AQAB'.repeat(20) }] }), /2048/],
    ['non-base64url member', () => ({ keys: [{ ...es.publicJwk, x: 'a+b/c=' }] }), /base64url/],
  ])('refuses %s', (_label, jwks, pattern) => {
    expect(message(validateJwks(jwks(), ['ES256', 'RS256', 'EdDSA']))).toMatch(pattern);
  });
});
