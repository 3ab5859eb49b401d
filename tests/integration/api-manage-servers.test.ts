import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import type { Role } from '../../lib/auth/permissions';
import { createServer } from '../../lib/servers/service';
import { createServerKey } from '../../lib/servers/keys';
import { parseServerKey } from '../../lib/servers/key-format';
import { auditCount, badTokens, manageClient, tokensByRole, type ManageCall } from '../support/manage-client';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';
import { startApi, within, type RunningApi } from './api-harness';

// /api/v1/manage/servers and server keys over real HTTP: security and admin manage servers and
// keys; a new key's secret is in its 201 body only; a revoked key stops working within a second.

let api: RunningApi;
let call: ManageCall;
let t: TenantFixture;
let other: TenantFixture;
let tok: Record<Role, string>;

beforeAll(async () => {
  t = await createTenantFixture('msrv');
  other = await createTenantFixture('msrv-other');
  api = await startApi();
  call = manageClient(api.url);
  tok = await tokensByRole(t.ctx);
});
afterAll(async () => {
  await api.close();
  await disconnectDb();
});

const servers = (tenantId: string) => db().mcpServer.findMany({ where: { tenantId }, orderBy: { id: 'asc' } });
const keys = (tenantId: string) => db().serverKey.findMany({ where: { tenantId }, orderBy: { id: 'asc' } });

describe('/api/v1/manage/servers', () => {
  it('201/200: security registers, reads, lists, updates and disables a server, audited as the token’s user', async () => {
    const created = await call('POST', '/api/v1/manage/servers', tok.security, { name: 'billing', audience: 'https://billing.mcp.test' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'billing', audience: 'https://billing.mcp.test', environment: 'prod', status: 'active', mayAssertIdentity: false });
    const id = created.body.id;
    expect((await call('GET', `/api/v1/manage/servers/${id}`, tok.auditor)).body).toMatchObject({ id, name: 'billing' });
    const list = await call('GET', '/api/v1/manage/servers?q=billing&status=active', tok.member);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id, toolCount: 0, activeKeyCount: 0, unclassifiedCount: 0 })]);
    expect((await call('PATCH', `/api/v1/manage/servers/${id}`, tok.security, { description: 'invoices' })).body.description).toBe('invoices');
    const disabled = await call('POST', `/api/v1/manage/servers/${id}/status`, tok.security, { status: 'disabled' });
    expect(disabled.status).toBe(200);
    expect(disabled.body.status).toBe('disabled');
    expect((await call('POST', `/api/v1/manage/servers/${id}/status`, tok.security, { status: 'active' })).status).toBe(200);

    const events = await auditEventsFor(t.tenantId, id);
    expect(events.map((e) => e.event)).toEqual(['server.created', 'server.updated', 'server.disabled', 'server.enabled']);
    expect(new Set(events.map((e) => e.actorId))).toEqual(new Set([t.users.security.id]));
    expect(events[0].actorLabel).toContain('token ci-security');
  });

  it('400 with invalidParams, nothing written', async () => {
    const before = { rows: await servers(t.tenantId), audit: await auditCount(t.tenantId) };
    const res = await call('POST', '/api/v1/manage/servers', tok.security, { name: 'x', audience: 'has spaces in it', mayAssertIdentity: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body.invalidParams.map((p: { name: string }) => p.name).sort()).toEqual(['audience', 'mayAssertIdentity', 'name']);
    const [s] = before.rows;
    const empty = await call('PATCH', `/api/v1/manage/servers/${s.id}`, tok.security, {});
    expect(empty.status).toBe(400);
    expect((await call('POST', `/api/v1/manage/servers/${s.id}/status`, tok.security, { status: 'paused' })).status).toBe(400);
    expect({ rows: await servers(t.tenantId), audit: await auditCount(t.tenantId) }).toEqual(before);
  });

  it('401 for bad tokens', async () => {
    for (const token of [null, ...(await badTokens(t.ctx('security')))]) {
      expect((await call('GET', '/api/v1/manage/servers', token)).status).toBe(401);
      expect((await call('POST', '/api/v1/manage/servers', token, { name: 'sneaky', audience: 'https://sneaky.test' })).status).toBe(401);
    }
    expect(await db().mcpServer.count({ where: { name: 'sneaky' } })).toBe(0);
  });

  it('403 for member and auditor tokens (servers.manage), nothing changed', async () => {
    const [s] = await servers(t.tenantId);
    const before = { rows: await servers(t.tenantId), audit: await auditCount(t.tenantId) };
    for (const role of ['member', 'auditor'] as const) {
      expect((await call('POST', '/api/v1/manage/servers', tok[role], { name: `by-${role}`, audience: `https://${role}.test` })).status).toBe(403);
      expect((await call('PATCH', `/api/v1/manage/servers/${s.id}`, tok[role], { description: 'x' })).status).toBe(403);
      const res = await call('POST', `/api/v1/manage/servers/${s.id}/status`, tok[role], { status: 'disabled' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    expect({ rows: await servers(t.tenantId), audit: await auditCount(t.tenantId) }).toEqual(before);
  });

  it("404 for another tenant's server, which stays unchanged", async () => {
    const theirs = await createServer(other.ctx('admin'), { name: 'theirs', audience: 'https://theirs.test' });
    expect((await call('GET', `/api/v1/manage/servers/${theirs.id}`, tok.security)).status).toBe(404);
    expect((await call('PATCH', `/api/v1/manage/servers/${theirs.id}`, tok.security, { name: 'mine' })).status).toBe(404);
    expect((await call('POST', `/api/v1/manage/servers/${theirs.id}/status`, tok.security, { status: 'disabled' })).status).toBe(404);
    expect(await db().mcpServer.findUniqueOrThrow({ where: { id: theirs.id } })).toEqual(theirs);
  });

  it('409 for a duplicate name or audience, nothing written', async () => {
    const before = { rows: await servers(t.tenantId), audit: await auditCount(t.tenantId) };
    const byName = await call('POST', '/api/v1/manage/servers', tok.security, { name: 'billing', audience: 'https://other.mcp.test' });
    expect(byName.status).toBe(409);
    expect(byName.body.code).toBe('conflict');
    expect((await call('POST', '/api/v1/manage/servers', tok.security, { name: 'billing-2', audience: 'https://billing.mcp.test' })).status).toBe(409);
    expect({ rows: await servers(t.tenantId), audit: await auditCount(t.tenantId) }).toEqual(before);
  });
});

describe('/api/v1/manage/servers/{id}/keys and /server-keys/{id}/revoke', () => {
  it('201: the full key is in the creation response only; it authenticates the server; lists show prefixes', async () => {
    const [s] = await servers(t.tenantId);
    const created = await call('POST', `/api/v1/manage/servers/${s.id}/keys`, tok.security, { name: 'prod', expiresInDays: 30 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ serverId: s.id, name: 'prod', prefix: expect.any(String), key: expect.stringMatching(/^twk_[a-f0-9]{24}_/) });
    const key: string = created.body.key;
    // the secret is base64url, so it may itself contain `_`: take it whole, not by splitting
    const secret = parseServerKey(key)!.secret;
    // the key works on the machine API
    expect((await api.get('/api/v1/snapshot', key)).status).toBe(200);

    // no body at all: a key with no name and no expiry
    const bare = await call('POST', `/api/v1/manage/servers/${s.id}/keys`, tok.admin);
    expect(bare.status).toBe(201);
    expect(bare.body.expiresAt).toBeNull();

    const list = await call('GET', `/api/v1/manage/servers/${s.id}/keys?state=active`, tok.auditor);
    expect(list.status).toBe(200);
    expect(list.body.items.map((k: { id: string }) => k.id).sort()).toEqual([created.body.id, bare.body.id].sort());
    const listed = JSON.stringify(list.body);
    expect(listed).not.toContain(secret);
    expect(listed).not.toContain('secretHash');

    const [event] = await auditEventsFor(t.tenantId, created.body.id);
    expect(event).toMatchObject({ event: 'server_key.created', actorId: t.users.security.id });
    expect(JSON.stringify(event.after)).not.toContain(secret);
  });

  it('200: revoking refuses the key on the machine API within a second; revoking again changes nothing', async () => {
    const [s] = await servers(t.tenantId);
    const { id, key } = await createServerKey(t.ctx('admin'), s.id, { name: 'to-revoke' });
    expect((await api.get('/api/v1/snapshot', key)).status).toBe(200);
    const res = await call('POST', `/api/v1/manage/server-keys/${id}/revoke`, tok.security);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, revokedAt: expect.any(String) });
    await within(1000, async () => (await api.get('/api/v1/snapshot', key)).status === 401);
    const auditBefore = await auditCount(t.tenantId);
    expect((await call('POST', `/api/v1/manage/server-keys/${id}/revoke`, tok.security)).status).toBe(200);
    expect(await auditCount(t.tenantId)).toBe(auditBefore);
    expect((await auditEventsFor(t.tenantId, id)).map((e) => [e.event, e.actorId])).toEqual([
      ['server_key.created', t.users.admin.id],
      ['server_key.revoked', t.users.security.id],
    ]);
  });

  it('400 for bad key input or a disabled server, nothing written', async () => {
    const [s] = await servers(t.tenantId);
    const before = { rows: await keys(t.tenantId), audit: await auditCount(t.tenantId) };
    const res = await call('POST', `/api/v1/manage/servers/${s.id}/keys`, tok.security, { expiresInDays: 5000 });
    expect(res.status).toBe(400);
    expect(res.body.invalidParams[0].name).toBe('expiresInDays');
    const off = await createServer(t.ctx('admin'), { name: 'off', audience: 'https://off.test' });
    await db().mcpServer.update({ where: { id: off.id }, data: { status: 'disabled' } });
    const afterCreate = await auditCount(t.tenantId);
    expect((await call('POST', `/api/v1/manage/servers/${off.id}/keys`, tok.security, {})).status).toBe(400);
    expect(await keys(t.tenantId)).toEqual(before.rows);
    expect(await auditCount(t.tenantId)).toBe(afterCreate);
  });

  it('401 and 403 (member, auditor) create and revoke nothing', async () => {
    const [s] = await servers(t.tenantId);
    const { id, key } = await createServerKey(t.ctx('admin'), s.id, {});
    const before = { rows: await keys(t.tenantId), audit: await auditCount(t.tenantId) };
    for (const token of [null, ...(await badTokens(t.ctx('admin')))]) {
      expect((await call('POST', `/api/v1/manage/servers/${s.id}/keys`, token, {})).status).toBe(401);
      expect((await call('POST', `/api/v1/manage/server-keys/${id}/revoke`, token)).status).toBe(401);
    }
    const afterTokens = await auditCount(t.tenantId);
    for (const role of ['member', 'auditor'] as const) {
      expect((await call('POST', `/api/v1/manage/servers/${s.id}/keys`, tok[role], {})).status).toBe(403);
      expect((await call('POST', `/api/v1/manage/server-keys/${id}/revoke`, tok[role])).status).toBe(403);
    }
    expect(await keys(t.tenantId)).toEqual(before.rows);
    expect(await auditCount(t.tenantId)).toBe(afterTokens);
    expect((await api.get('/api/v1/snapshot', key)).status).toBe(200);
  });

  it("404 for another tenant's server or key, which keeps working", async () => {
    const theirs = await createServer(other.ctx('admin'), { name: 'theirs-2', audience: 'https://theirs-2.test' });
    const theirKey = await createServerKey(other.ctx('admin'), theirs.id, {});
    expect((await call('GET', `/api/v1/manage/servers/${theirs.id}/keys`, tok.security)).status).toBe(404);
    expect((await call('POST', `/api/v1/manage/servers/${theirs.id}/keys`, tok.security, {})).status).toBe(404);
    expect((await call('POST', `/api/v1/manage/server-keys/${theirKey.id}/revoke`, tok.security)).status).toBe(404);
    expect(await db().serverKey.count({ where: { serverId: theirs.id } })).toBe(1);
    expect((await db().serverKey.findUniqueOrThrow({ where: { id: theirKey.id } })).revokedAt).toBeNull();
    expect((await api.get('/api/v1/snapshot', theirKey.key)).status).toBe(200);
  });
});
