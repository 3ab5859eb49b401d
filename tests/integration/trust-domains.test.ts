import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair } from 'jose';
import { db, disconnectDb } from '../../lib/db/client';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { Role } from '../../lib/auth/permissions';
import { listTrustDomainOptions } from '../../lib/agents/trust-domain-options';
import { createTrustDomain, deleteTrustDomain, getTrustDomain, listTrustDomains, updateTrustDomain } from '../../lib/trust-domains/service';
import { testJwksUrl } from '../../lib/trust-domains/test-fetch';
import { startJwksServer, type JwksServer } from '../../lib/identity/testing/jwks-server';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';

let t: TenantFixture;
let other: TenantFixture;
let publicJwk: Record<string, unknown>;
let privateJwk: Record<string, unknown>;
let jwksServer: JwksServer;

beforeAll(async () => {
  t = await createTenantFixture('td');
  other = await createTenantFixture('td-other');
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1' };
  privateJwk = { ...(await exportJWK(privateKey)), kid: 'k1' };
  jwksServer = await startJwksServer({ keys: [publicJwk] });
});
afterAll(async () => {
  await jwksServer.close();
  await disconnectDb();
});

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => null, (e) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function expectCode(p: Promise<unknown>, code: string) {
  expect((await errorOf(p)).code).toBe(code);
}

/** rows and audit events of the tenant: "nothing written" means both unchanged */
async function footprint(tenantId: string) {
  const [domains, audit] = await Promise.all([
    db().trustDomain.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    db().auditEvent.count({ where: { tenantId } }),
  ]);
  return { domains, audit };
}

const jwks = () => ({ keys: [publicJwk] });

describe('createTrustDomain', () => {
  it('an admin creates one with an inline JWKS, audited in the same transaction', async () => {
    const td = await createTrustDomain(t.ctx('admin'), { name: 'acme.test', jwks: jwks(), allowedAlgs: ['ES256'], maxTokenLifetimeSeconds: 900 });
    expect(td).toMatchObject({ name: 'acme.test', issuer: null, jwksUrl: null, allowedAlgs: ['ES256'], maxTokenLifetimeSeconds: 900 });
    const events = await auditEventsFor(t.tenantId, td.id);
    expect(events.map((e) => e.event)).toEqual(['trust_domain.created']);
    expect(events[0].actorId).toBe(t.users.admin.id);
  });

  it('accepts the JWKS as pasted text and a JWKS URL instead of inline keys', async () => {
    const pasted = await createTrustDomain(t.ctx('admin'), { name: 'pasted.test', jwks: JSON.stringify(jwks()), allowedAlgs: ['ES256'] });
    expect(pasted.jwks).toEqual(jwks());
    const remote = await createTrustDomain(t.ctx('admin'), { name: 'idp', issuer: 'https://idp.example.com', jwksUrl: 'https://idp.example.com/jwks', allowedAlgs: ['RS256'] });
    expect(remote).toMatchObject({ jwks: null, jwksUrl: 'https://idp.example.com/jwks', issuer: 'https://idp.example.com' });
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a private key in the JWKS', { name: 'bad1.test', jwks: () => ({ keys: [privateJwk] }), allowedAlgs: ['ES256'] }, 'jwks', /private/],
    ['HS256 as an algorithm', { name: 'bad2.test', jwks: jwks, allowedAlgs: ['HS256'] }, 'allowedAlgs', /HS256/],
    ['"none" as an algorithm', { name: 'bad3.test', jwks: jwks, allowedAlgs: ['none'] }, 'allowedAlgs', /none/],
    ['a key that fits no allowed algorithm', { name: 'bad4.test', jwks: jwks, allowedAlgs: ['RS256'] }, 'jwks', /no allowed algorithm/],
    ['a JWKS that is not JSON', { name: 'bad5.test', jwks: () => '{ keys: nope', allowedAlgs: ['ES256'] }, 'jwks', /JSON/],
    ['a plain-http JWKS URL off loopback', { name: 'bad6.test', jwksUrl: 'http://idp.example.com/jwks', allowedAlgs: ['ES256'] }, 'jwksUrl', /https/],
    ['both an inline JWKS and a URL', { name: 'bad7.test', jwks: jwks, jwksUrl: 'https://idp.example.com/jwks2', allowedAlgs: ['ES256'] }, 'jwksUrl', /either/],
    ['no keys at all', { name: 'bad8.test', allowedAlgs: ['ES256'] }, 'jwks', /JWKS/],
    ['an invalid name', { name: 'Bad Name', jwks: jwks, allowedAlgs: ['ES256'] }, 'name', /lower-case/],
    ['a lifetime over 24 h', { name: 'bad9.test', jwks: jwks, allowedAlgs: ['ES256'], maxTokenLifetimeSeconds: 90_000 }, 'maxTokenLifetimeSeconds', /24 h/],
  ])('refuses %s (400 naming the field) and writes nothing', async (_label, raw, field, reason) => {
    const input = { ...raw, jwks: typeof raw.jwks === 'function' ? (raw.jwks as () => unknown)() : raw.jwks };
    const before = await footprint(t.tenantId);
    const err = await errorOf(createTrustDomain(t.ctx('admin'), input));
    expect(err.code).toBe('invalid_request');
    const param = err.invalidParams?.find((p) => p.name === field);
    expect(param, JSON.stringify(err.invalidParams)).toBeDefined();
    expect(param!.reason).toMatch(reason);
    expect(await footprint(t.tenantId)).toEqual(before);
  });

  it('refuses a second trust domain with the same issuer (409 naming the holder)', async () => {
    await createTrustDomain(t.ctx('admin'), { name: 'okta', issuer: 'https://okta.example.com', jwksUrl: 'https://okta.example.com/keys', allowedAlgs: ['RS256'] });
    const before = await footprint(t.tenantId);
    const err = await errorOf(createTrustDomain(t.ctx('admin'), { name: 'okta-2', issuer: 'https://okta.example.com', jwks: jwks(), allowedAlgs: ['ES256'] }));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/"okta" already uses the issuer/);
    expect(await footprint(t.tenantId)).toEqual(before);
  });

  it('refuses a duplicate name, and says why for two trust domains without issuer', async () => {
    const err = await errorOf(createTrustDomain(t.ctx('admin'), { name: 'acme.test', jwks: jwks(), allowedAlgs: ['ES256'] }));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/without an issuer already exists/);
    const withIssuer = await errorOf(createTrustDomain(t.ctx('admin'), { name: 'acme.test', issuer: 'https://acme.example', jwks: jwks(), allowedAlgs: ['ES256'] }));
    expect(withIssuer.code).toBe('conflict');
    expect(withIssuer.message).toMatch(/named "acme.test" already exists/);
  });

  it('the same issuer in another tenant is fine', async () => {
    const td = await createTrustDomain(other.ctx('admin'), { name: 'okta', issuer: 'https://okta.example.com', jwks: jwks(), allowedAlgs: ['ES256'] });
    expect(td.tenantId).toBe(other.tenantId);
  });
});

describe('roles', () => {
  it.each<Role>(['security', 'member', 'auditor'])('%s can neither read the settings list nor change anything', async (role) => {
    const td = await createTrustDomain(t.ctx('admin'), { name: `role-${role}.test`, jwks: jwks(), allowedAlgs: ['ES256'] });
    const before = await footprint(t.tenantId);
    const ctx = t.ctx(role);
    await expectCode(listTrustDomains(ctx, {}), 'forbidden');
    await expectCode(getTrustDomain(ctx, td.id), 'forbidden');
    await expectCode(createTrustDomain(ctx, { name: `made-by-${role}.test`, jwks: jwks(), allowedAlgs: ['ES256'] }), 'forbidden');
    await expectCode(updateTrustDomain(ctx, td.id, { maxTokenLifetimeSeconds: 120 }), 'forbidden');
    await expectCode(deleteTrustDomain(ctx, td.id), 'forbidden');
    await expectCode(testJwksUrl(ctx, { jwksUrl: `${jwksServer.url}/jwks`, allowedAlgs: ['ES256'] }), 'forbidden');
    expect(await footprint(t.tenantId)).toEqual(before);
  });

  it('the identity form options (id, name) stay readable for every role', async () => {
    const options = await listTrustDomainOptions(t.ctx('member'));
    expect(options.find((o) => o.name === 'acme.test')).toEqual({ id: expect.any(String), name: 'acme.test' });
    expect(Object.keys(options[0]).sort()).toEqual(['id', 'name']);
  });
});

describe('updateTrustDomain', () => {
  it('changes lifetime and algorithms, re-validating the keys; audited with before and after', async () => {
    const td = await createTrustDomain(t.ctx('admin'), { name: 'edit-me.test', jwks: jwks(), allowedAlgs: ['ES256'] });
    const after = await updateTrustDomain(t.ctx('admin'), td.id, { maxTokenLifetimeSeconds: 300, allowedAlgs: ['ES256', 'ES384'] });
    expect(after).toMatchObject({ maxTokenLifetimeSeconds: 300, allowedAlgs: ['ES256', 'ES384'] });
    const [, updated] = await auditEventsFor(t.tenantId, td.id);
    expect(updated.event).toBe('trust_domain.updated');
    expect(updated.before).toMatchObject({ maxTokenLifetimeSeconds: 3600 });
    expect(updated.after).toMatchObject({ maxTokenLifetimeSeconds: 300 });
  });

  it('refuses algorithms the stored keys cannot use, and changes nothing', async () => {
    const td = await createTrustDomain(t.ctx('admin'), { name: 'keep-algs.test', jwks: jwks(), allowedAlgs: ['ES256'] });
    const err = await errorOf(updateTrustDomain(t.ctx('admin'), td.id, { allowedAlgs: ['RS256'] }));
    expect(err.code).toBe('invalid_request');
    expect(err.invalidParams?.[0].name).toBe('jwks');
    expect((await db().trustDomain.findUniqueOrThrow({ where: { id: td.id } })).allowedAlgs).toEqual(['ES256']);
  });

  it('switches from inline keys to a JWKS URL', async () => {
    const td = await createTrustDomain(t.ctx('admin'), { name: 'switch.test', jwks: jwks(), allowedAlgs: ['ES256'] });
    const after = await updateTrustDomain(t.ctx('admin'), td.id, { jwks: null, jwksUrl: 'https://switch.example.com/jwks' });
    expect(after).toMatchObject({ jwks: null, jwksUrl: 'https://switch.example.com/jwks' });
  });

  it('refuses taking another trust domain’s issuer (409)', async () => {
    const td = await createTrustDomain(t.ctx('admin'), { name: 'issuer-taker', jwks: jwks(), allowedAlgs: ['ES256'] });
    await expectCode(updateTrustDomain(t.ctx('admin'), td.id, { issuer: 'https://okta.example.com' }), 'conflict');
    expect((await db().trustDomain.findUniqueOrThrow({ where: { id: td.id } })).issuer).toBeNull();
  });

  it('refuses renaming a trust domain that identities are bound to', async () => {
    const td = await createTrustDomain(t.ctx('admin'), { name: 'bound.test', jwks: jwks(), allowedAlgs: ['ES256'] });
    const agent = await db().agent.create({ data: { id: newId('agent'), tenantId: t.tenantId, name: 'bound-agent' } });
    await db().workloadIdentity.create({
      data: { id: newId('identity'), tenantId: t.tenantId, agentId: agent.id, trustDomainId: td.id, kind: 'spiffe_jwt', subject: 'spiffe://bound.test/a' },
    });
    const err = await errorOf(updateTrustDomain(t.ctx('admin'), td.id, { name: 'renamed.test' }));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/cannot be renamed/);
  });
});

describe('deleteTrustDomain', () => {
  it('refuses while identities use it (409 naming them) and deletes nothing', async () => {
    const td = await createTrustDomain(t.ctx('admin'), { name: 'in-use.test', jwks: jwks(), allowedAlgs: ['ES256'] });
    const agent = await db().agent.create({ data: { id: newId('agent'), tenantId: t.tenantId, name: 'in-use-agent' } });
    await db().workloadIdentity.create({
      data: { id: newId('identity'), tenantId: t.tenantId, agentId: agent.id, trustDomainId: td.id, kind: 'spiffe_jwt', subject: 'spiffe://in-use.test/agents/x' },
    });
    const before = await footprint(t.tenantId);
    const err = await errorOf(deleteTrustDomain(t.ctx('admin'), td.id));
    expect(err.code).toBe('conflict');
    expect(err.message).toContain('1 workload identity');
    expect(err.message).toContain('spiffe://in-use.test/agents/x');
    expect(await footprint(t.tenantId)).toEqual(before);
  });

  it('deletes an unused one, audited with what it was', async () => {
    const td = await createTrustDomain(t.ctx('admin'), { name: 'unused.test', jwks: jwks(), allowedAlgs: ['ES256'] });
    await deleteTrustDomain(t.ctx('admin'), td.id);
    expect(await db().trustDomain.findUnique({ where: { id: td.id } })).toBeNull();
    const events = await auditEventsFor(t.tenantId, td.id);
    expect(events.map((e) => e.event)).toEqual(['trust_domain.created', 'trust_domain.deleted']);
    expect(events[1].before).toMatchObject({ name: 'unused.test' });
  });
});

describe('tenant isolation', () => {
  it("another tenant's trust domain is not found (404) and stays as it was", async () => {
    const theirs = await createTrustDomain(other.ctx('admin'), { name: 'theirs.test', jwks: jwks(), allowedAlgs: ['ES256'] });
    await expectCode(getTrustDomain(t.ctx('admin'), theirs.id), 'not_found');
    await expectCode(updateTrustDomain(t.ctx('admin'), theirs.id, { maxTokenLifetimeSeconds: 60 }), 'not_found');
    await expectCode(deleteTrustDomain(t.ctx('admin'), theirs.id), 'not_found');
    const list = await listTrustDomains(t.ctx('admin'), { q: 'theirs' });
    expect(list.items).toHaveLength(0);
    expect(await db().trustDomain.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ maxTokenLifetimeSeconds: 3600 });
    expect(await auditEventsFor(t.tenantId, theirs.id)).toHaveLength(0);
  });
});

describe('listTrustDomains', () => {
  it('pages with a keyset cursor and counts identities', async () => {
    const first = await listTrustDomains(t.ctx('admin'), { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(first.items[1].id);
    const second = await listTrustDomains(t.ctx('admin'), { limit: 2, cursor: first.nextCursor });
    expect(second.items[0].id < first.items[1].id).toBe(true);
    const all = await listTrustDomains(t.ctx('admin'), { q: 'in-use' });
    expect(all.items[0].identityCount).toBe(1);
  });

  it('rejects a bad limit', async () => {
    await expectCode(listTrustDomains(t.ctx('admin'), { limit: 0 }), 'invalid_request');
  });
});

describe('testJwksUrl', () => {
  it('fetches a JWKS from a (loopback) URL and reports the keys it found', async () => {
    const res = await testJwksUrl(t.ctx('admin'), { jwksUrl: `${jwksServer.url}/jwks`, allowedAlgs: ['ES256'] });
    expect(res).toEqual({ ok: true, keys: [{ kid: 'k1', kty: 'EC', crv: 'P-256', algs: ['ES256'] }], skipped: [] });
  });

  it('reports an issuer error without failing the request', async () => {
    jwksServer.respond((_req, res) => res.writeHead(500).end('nope'));
    const res = await testJwksUrl(t.ctx('admin'), { jwksUrl: `${jwksServer.url}/broken`, allowedAlgs: ['ES256'] });
    expect(res).toEqual({ ok: false, message: 'JWKS fetch answered HTTP 500' });
    jwksServer.serve({ keys: [publicJwk] });
  });

  it('refuses a JWKS with a private key, as the verifier would', async () => {
    jwksServer.serve({ keys: [privateJwk] });
    const res = await testJwksUrl(t.ctx('admin'), { jwksUrl: `${jwksServer.url}/private`, allowedAlgs: ['ES256'] });
    expect(res.ok).toBe(false);
    jwksServer.serve({ keys: [publicJwk] });
  });

  it('refuses a non-https URL off loopback before fetching anything (400)', async () => {
    const err = await errorOf(testJwksUrl(t.ctx('admin'), { jwksUrl: 'http://example.com/jwks' }));
    expect(err.code).toBe('invalid_request');
    expect(err.invalidParams?.[0]).toMatchObject({ name: 'jwksUrl' });
  });
});
