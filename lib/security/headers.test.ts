import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce, oidcOrigins } from './headers';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('content security policy', () => {
  it('allows scripts only by this request’s nonce: no unsafe-inline, no unsafe-eval in production', () => {
    const csp = directives(contentSecurityPolicy({ nonce: 'abc123' }));
    expect(csp.get('script-src')).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
  });

  it('adds unsafe-eval only in dev, and the OIDC issuer to form-action', () => {
    expect(contentSecurityPolicy({ nonce: 'n', dev: true })).toContain("'unsafe-eval'");
    const csp = directives(contentSecurityPolicy({ nonce: 'n', formActionOrigins: oidcOrigins({ AUTH_OIDC_ISSUER: 'https://idp.example.com/realms/x' }) }));
    expect(csp.get('form-action')).toEqual(["'self'", 'https://idp.example.com']);
    expect(oidcOrigins({ AUTH_OIDC_ISSUER: 'not a url' })).toEqual([]);
  });

  it('nonces are fresh and long enough not to be guessed', () => {
    const a = newNonce();
    expect(Buffer.from(a, 'base64')).toHaveLength(16);
    expect(new Set(Array.from({ length: 50 }, newNonce)).size).toBe(50);
  });
});
