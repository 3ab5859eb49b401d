// Test fixtures: real keys and real signed tokens (jose), a small tenant with trust domains,
// identities and agents, and an assertion that a failure carries nothing of a success.

import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { expect } from 'vitest';
import type { AgentRecord, AuthnReason, AuthnResult, IdentityKind, IdentityRecord, TrustDomainKeys } from '../types';

/** Fixed clock for token claims: 2030-01-01T00:00:00Z. */
export const NOW_MS = Date.UTC(2030, 0, 1);
export const NOW_S = NOW_MS / 1000;
export const AUDIENCE = 'mcp://billing.acme.test';

export interface TestKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeKey(alg: 'ES256' | 'ES384' | 'RS256' | 'PS256' | 'EdDSA', kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid };
  return { kid, alg, privateKey, publicKey, publicJwk };
}

export async function sign(
  key: TestKey,
  claims: JWTPayload,
  /** loose on purpose: tests put hostile and undefined members in headers */
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header } as JWTHeaderParameters)
    .sign(key.privateKey);
}

/** Claims of a valid token issued "now" for AUDIENCE, lasting 10 minutes. */
export function baseClaims(extra: JWTPayload = {}): JWTPayload {
  return { aud: AUDIENCE, iat: NOW_S, nbf: NOW_S, exp: NOW_S + 600, jti: 'jti-1', ...extra };
}

export function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

export function trustDomain(overrides: Partial<TrustDomainKeys> & Pick<TrustDomainKeys, 'id' | 'name'>): TrustDomainKeys {
  return {
    issuer: null,
    jwks: null,
    jwksUrl: null,
    allowedAlgs: ['ES256'],
    maxTokenLifetimeSeconds: 3600,
    ...overrides,
  };
}

export function identity(
  id: string,
  trustDomainId: string,
  kind: IdentityKind,
  subject: string,
  agentId: string,
  status: IdentityRecord['status'] = 'active',
): IdentityRecord {
  return { id, trustDomainId, kind, subject, agentId, status };
}

export function lookups(identities: IdentityRecord[], agents: AgentRecord[]) {
  return {
    identities: (trustDomainId: string, kind: IdentityKind, subject: string) =>
      identities.find((i) => i.trustDomainId === trustDomainId && i.kind === kind && i.subject === subject),
    agents: (agentId: string) => agents.find((a) => a.id === agentId),
  };
}

/** Exact reason, and no field of a success (identity, agent, trust domain) on the failure. */
export function expectDenied(result: AuthnResult, reason: AuthnReason): void {
  expect({ ok: result.ok, reason: result.ok ? null : result.reason }).toEqual({ ok: false, reason });
  for (const leaked of ['identityId', 'agentId', 'trustDomainId', 'onBehalfOf']) {
    expect(result).not.toHaveProperty(leaked);
  }
  expect(Object.keys(result).sort()).toEqual(['detail', 'ok', 'reason', 'subject']);
}
