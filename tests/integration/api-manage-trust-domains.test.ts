import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair } from 'jose';
import { db, disconnectDb } from '../../lib/db/client';
import type { Role } from '../../lib/auth/permissions';
import { createAgent } from '../../lib/agents/service';
import { createIdentity } from '../../lib/agents/identities';
import { createTrustDomain } from '../../lib/trust-domains/service';
import { startJwksServer, type JwksServer } from '../../lib/identity/testing/jwks-server';
import { auditCount, badTokens, manageClient, tokensByRole, type ManageCall } from '../support/manage-client';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';
import { startApi, type RunningApi } from './api-harness';

// /api/v1/manage/trust-domains over real HTTP: admin only, same checks as the console.

let api: RunningApi;
let call: ManageCall;
let t: TenantFixture;
let other: TenantFixture;
let tok: Record<Role, string>;
let jwks: { keys: Record<string, unknown>[] };
let jwksServer: JwksServer;

beforeAll(async () => {
  t = await createTenantFixture('mtd');
  other = await createTenantFixture('mtd-other');
  api = await startApi();
  call = manageClient(api.url);
  tok = await tokensByRole(t.ctx);
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }] };
  jwksServer = await startJwksServer(jwks);
});
afterAll(async () => {
  await jwksServer.close();
  await api.close();
  await disconnectDb();
});

const domains = (tenantId: string) => db().trustDomain.findMany({ where: { tenantId }, orderBy: { id: 'asc' } });

describe('/api/v1/manage/trust-domains', () => {
  it('201/200/200/200: an admin creates, reads, lists and updates one, audited as the token’s user', async () => {
    const created = await call('POST', '/api/v1/manage/trust-domains', tok.admin, { name: 'acme.test', jwks, allowedAlgs: ['ES256'], maxTokenLifetimeSeconds: 900 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'acme.test', allowedAlgs: ['ES256'], maxTokenLifetimeSeconds: 900 });
    const id = created.body.id;

    expect((await call('GET', `/api/v1/manage/trust-domains/${id}`, tok.admin)).body).toMatchObject({ id, identityCount: 0 });
    const list = await call('GET', '/api/v1/manage/trust-domains?q=acme', tok.admin);
    expect(list.status).toBe(200);
    expect(list.body.items.map((d: { id: string }) => d.id)).toEqual([id]);

    const updated = await call('PATCH', `/api/v1/manage/trust-domains/${id}`, tok.admin, { issuer: 'https://issuer.acme.test' });
    expect(updated.status).toBe(200);
    expect(updated.body.issuer).toBe('https://issuer.acme.test');

    const events = await auditEventsFor(t.tenantId, id);
    expect(events.map((e) => e.event)).toEqual(['trust_domain.created', 'trust_domain.updated']);
    for (const e of events) {
      expect(e).toMatchObject({ actorType: 'user', actorId: t.users.admin.id });
      expect(e.actorLabel).toContain('token ci-admin');
    }
  });

  it('view=options gives ids and names to whoever may read agents (binding identities needs them)', async () => {
    const res = await call('GET', '/api/v1/manage/trust-domains?view=options', tok.member);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([{ id: expect.any(String), name: 'acme.test' }]);
    // the settings view (keys, issuers) stays admin-only
    expect((await call('GET', '/api/v1/manage/trust-domains', tok.member)).status).toBe(403);
  });

  it('test-fetch reads a JWKS URL through the verifier’s fetch path and changes nothing', async () => {
    const before = await auditCount(t.tenantId);
    const res = await call('POST', '/api/v1/manage/trust-domains/test-fetch', tok.admin, { jwksUrl: jwksServer.url + '/jwks', allowedAlgs: ['ES256'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, keys: [{ kid: 'k1', kty: 'EC', algs: ['ES256'] }] });
    expect(jwksServer.hits('/jwks')).toBe(1);
    const refused = await call('POST', '/api/v1/manage/trust-domains/test-fetch', tok.admin, { jwksUrl: 'http://jwks.example.com/keys' });
    expect(refused.status).toBe(400);
    expect(refused.body.invalidParams[0].name).toBe('jwksUrl');
    expect(await auditCount(t.tenantId)).toBe(before);
  });

  it('400 with invalidParams (schema and key checks), nothing written', async () => {
    const before = { rows: await domains(t.tenantId), audit: await auditCount(t.tenantId) };
    const bad = await call('POST', '/api/v1/manage/trust-domains', tok.admin, { name: 'Not A Name', jwks, allowedAlgs: ['HS256'] });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain('application/problem+json');
    expect(bad.body).toMatchObject({ code: 'invalid_request', requestId: expect.any(String) });
    expect(bad.body.invalidParams.map((p: { name: string }) => p.name).sort()).toEqual(['allowedAlgs', 'name']);
    // the service's own check: a trust domain needs exactly one key source
    const noKeys = await call('POST', '/api/v1/manage/trust-domains', tok.admin, { name: 'nokeys.test' });
    expect(noKeys.status).toBe(400);
    expect(noKeys.body.invalidParams).toEqual([{ name: 'jwks', reason: expect.any(String) }]);
    const malformed = await call('POST', '/api/v1/manage/trust-domains', tok.admin, '{"name": ');
    expect(malformed.status).toBe(400);
    expect({ rows: await domains(t.tenantId), audit: await auditCount(t.tenantId) }).toEqual(before);
  });

  it('401 for bad tokens, nothing written', async () => {
    const before = await domains(t.tenantId);
    for (const token of [null, ...(await badTokens(t.ctx('admin')))]) {
      const res = await call('POST', '/api/v1/manage/trust-domains', token, { name: 'sneaky.test', jwks, allowedAlgs: ['ES256'] });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
    }
    expect(await domains(t.tenantId)).toEqual(before);
  });

  it('403 for security, member and auditor tokens (trust_domains.manage is admin-only), nothing changed', async () => {
    const [td] = await domains(t.tenantId);
    const before = { rows: await domains(t.tenantId), audit: await auditCount(t.tenantId) };
    for (const role of ['security', 'member', 'auditor'] as const) {
      expect((await call('POST', '/api/v1/manage/trust-domains', tok[role], { name: `by-${role}.test`, jwks, allowedAlgs: ['ES256'] })).status).toBe(403);
      expect((await call('PATCH', `/api/v1/manage/trust-domains/${td.id}`, tok[role], { description: 'changed' })).status).toBe(403);
      expect((await call('DELETE', `/api/v1/manage/trust-domains/${td.id}`, tok[role])).status).toBe(403);
      expect((await call('POST', '/api/v1/manage/trust-domains/test-fetch', tok[role], { jwksUrl: jwksServer.url + '/x' })).status).toBe(403);
    }
    expect({ rows: await domains(t.tenantId), audit: await auditCount(t.tenantId) }).toEqual(before);
    expect(jwksServer.hits('/x')).toBe(0);
  });

  it("404 for another tenant's trust domain, which stays unchanged", async () => {
    const theirs = await createTrustDomain(other.ctx('admin'), { name: 'theirs.test', jwks, allowedAlgs: ['ES256'] });
    expect((await call('GET', `/api/v1/manage/trust-domains/${theirs.id}`, tok.admin)).status).toBe(404);
    const patch = await call('PATCH', `/api/v1/manage/trust-domains/${theirs.id}`, tok.admin, { description: 'mine now' });
    expect(patch.status).toBe(404);
    expect(patch.body.code).toBe('not_found');
    expect((await call('DELETE', `/api/v1/manage/trust-domains/${theirs.id}`, tok.admin)).status).toBe(404);
    expect(await db().trustDomain.findUniqueOrThrow({ where: { id: theirs.id } })).toEqual(theirs);
    expect(await auditEventsFor(other.tenantId, theirs.id)).toHaveLength(1);
  });

  it('409 for a duplicate name, and for deleting or renaming one that identities are bound to; 200 once free', async () => {
    const [td] = await domains(t.tenantId);
    const dup = await call('POST', '/api/v1/manage/trust-domains', tok.admin, { name: 'acme.test', jwks, allowedAlgs: ['ES256'] });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('conflict');

    const agent = await createAgent(t.ctx('admin'), { name: 'bound' });
    const identity = await createIdentity(t.ctx('admin'), agent.id, { trustDomainId: td.id, kind: 'spiffe_jwt', subject: 'spiffe://acme.test/agents/bound' });
    expect((await call('DELETE', `/api/v1/manage/trust-domains/${td.id}`, tok.admin)).status).toBe(409);
    expect((await call('PATCH', `/api/v1/manage/trust-domains/${td.id}`, tok.admin, { name: 'renamed.test' })).status).toBe(409);
    expect(await db().trustDomain.findUniqueOrThrow({ where: { id: td.id } })).toMatchObject({ name: 'acme.test' });

    expect((await call('DELETE', `/api/v1/manage/identities/${identity.id}`, tok.admin)).status).toBe(200);
    const del = await call('DELETE', `/api/v1/manage/trust-domains/${td.id}`, tok.admin);
    expect(del.status).toBe(200);
    expect(await db().trustDomain.count({ where: { id: td.id } })).toBe(0);
    expect((await auditEventsFor(t.tenantId, td.id)).at(-1)).toMatchObject({ event: 'trust_domain.deleted', actorId: t.users.admin.id });
  });
});
