import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { AppError } from '../../lib/errors';
import type { Role } from '../../lib/auth/permissions';
import { createServer, getServer, listServers, setServerStatus, updateServer } from '../../lib/servers/service';
import { createServerKey, revokeServerKey } from '../../lib/servers/keys';
import { listServerKeysPage } from '../../lib/servers/key-list';
import { hashSecret, parseServerKey } from '../../lib/servers/key-format';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';

let t: TenantFixture;
let other: TenantFixture;

beforeAll(async () => {
  t = await createTenantFixture('srv');
  other = await createTenantFixture('srv-other');
});
afterAll(disconnectDb);

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => null, (e) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function expectCode(p: Promise<unknown>, code: string) {
  expect((await errorOf(p)).code).toBe(code);
}

async function footprint(tenantId: string) {
  const [servers, keys, audit] = await Promise.all([
    db().mcpServer.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    db().serverKey.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    db().auditEvent.count({ where: { tenantId } }),
  ]);
  return { servers, keys, audit };
}

let seq = 0;
const server = (role: Role = 'security', extra: Record<string, unknown> = {}) => {
  seq++;
  return createServer(t.ctx(role), { name: `srv-${seq}`, audience: `https://srv-${seq}.mcp.example.com`, ...extra });
};

describe('createServer', () => {
  it('security registers a server, audited in the same transaction', async () => {
    const s = await createServer(t.ctx('security'), {
      name: 'billing-mcp',
      description: 'Invoices',
      audience: 'https://billing.mcp.example.com',
      environment: 'prod',
      mayAssertIdentity: true,
    });
    expect(s).toMatchObject({ name: 'billing-mcp', audience: 'https://billing.mcp.example.com', mayAssertIdentity: true, status: 'active' });
    const events = await auditEventsFor(t.tenantId, s.id);
    expect(events.map((e) => e.event)).toEqual(['server.created']);
    expect(events[0].actorId).toBe(t.users.security.id);
  });

  it('an admin may too', async () => {
    expect((await server('admin')).status).toBe('active');
  });

  it('refuses a duplicate name (409)', async () => {
    const err = await errorOf(createServer(t.ctx('security'), { name: 'billing-mcp', audience: 'https://other.example.com' }));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/named "billing-mcp" already exists/);
  });

  it('refuses a duplicate audience (409 naming the server that has it) and writes nothing', async () => {
    const before = await footprint(t.tenantId);
    const err = await errorOf(createServer(t.ctx('security'), { name: 'billing-2', audience: 'https://billing.mcp.example.com' }));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/"billing-mcp" already uses the audience/);
    expect(await footprint(t.tenantId)).toEqual(before);
  });

  it.each([
    ['a name with spaces', { name: 'Bad Name', audience: 'https://x.example.com' }, 'name'],
    ['an audience with spaces', { name: 'ok-name', audience: 'https://x.example.com/a b' }, 'audience'],
    ['no audience', { name: 'ok-name' }, 'audience'],
    ['a bad environment', { name: 'ok-name', audience: 'urn:x:y', environment: 'Prod!' }, 'environment'],
    ['a non-boolean mayAssertIdentity', { name: 'ok-name', audience: 'urn:x:y', mayAssertIdentity: 'yes' }, 'mayAssertIdentity'],
  ])('refuses %s (400) and writes nothing', async (_l, input, field) => {
    const before = await footprint(t.tenantId);
    const err = await errorOf(createServer(t.ctx('security'), input));
    expect(err.code).toBe('invalid_request');
    expect(err.invalidParams?.map((p) => p.name)).toContain(field);
    expect(await footprint(t.tenantId)).toEqual(before);
  });
});

describe('updateServer and setServerStatus', () => {
  it('edits and audits before/after', async () => {
    const s = await server();
    const after = await updateServer(t.ctx('security'), s.id, { description: 'now described', mayAssertIdentity: true });
    expect(after).toMatchObject({ description: 'now described', mayAssertIdentity: true });
    const events = await auditEventsFor(t.tenantId, s.id);
    expect(events.map((e) => e.event)).toEqual(['server.created', 'server.updated']);
    expect(events[1].before).toMatchObject({ description: '', mayAssertIdentity: false });
  });

  it('refuses taking another server’s audience', async () => {
    const s = await server();
    await expectCode(updateServer(t.ctx('security'), s.id, { audience: 'https://billing.mcp.example.com' }), 'conflict');
    expect((await db().mcpServer.findUniqueOrThrow({ where: { id: s.id } })).audience).toBe(s.audience);
  });

  it('refuses an empty change', async () => {
    const s = await server();
    await expectCode(updateServer(t.ctx('security'), s.id, {}), 'invalid_request');
  });

  it('disables and enables with one audit event each; a no-op writes nothing', async () => {
    const s = await server();
    await setServerStatus(t.ctx('security'), s.id, { status: 'disabled' });
    await setServerStatus(t.ctx('security'), s.id, { status: 'disabled' });
    await setServerStatus(t.ctx('security'), s.id, { status: 'active' });
    const events = await auditEventsFor(t.tenantId, s.id);
    expect(events.map((e) => e.event)).toEqual(['server.created', 'server.disabled', 'server.enabled']);
    await expectCode(setServerStatus(t.ctx('security'), s.id, { status: 'paused' }), 'invalid_request');
  });
});

describe('roles', () => {
  it.each<Role>(['member', 'auditor'])('%s lists and reads servers and keys but cannot change anything', async (role) => {
    const s = await server();
    const key = await createServerKey(t.ctx('security'), s.id, { name: 'k' });
    const before = await footprint(t.tenantId);
    const ctx = t.ctx(role);
    expect((await listServers(ctx, {})).items.length).toBeGreaterThan(0);
    expect((await getServer(ctx, s.id)).id).toBe(s.id);
    expect((await listServerKeysPage(ctx, s.id, {})).items.map((k) => k.id)).toEqual([key.id]);
    await expectCode(createServer(ctx, { name: `by-${role}`, audience: `https://${role}.example.com` }), 'forbidden');
    await expectCode(updateServer(ctx, s.id, { description: 'x' }), 'forbidden');
    await expectCode(setServerStatus(ctx, s.id, { status: 'disabled' }), 'forbidden');
    await expectCode(createServerKey(ctx, s.id, {}), 'forbidden');
    await expectCode(revokeServerKey(ctx, key.id), 'forbidden');
    expect(await footprint(t.tenantId)).toEqual(before);
  });
});

describe('server keys', () => {
  it('creates a key shown once: only its hash is stored, lists show the prefix only', async () => {
    const s = await server();
    const created = await createServerKey(t.ctx('security'), s.id, { name: 'prod', expiresInDays: 30 });
    const parsed = parseServerKey(created.key)!;
    expect(parsed.keyId).toBe(created.id);
    const row = await db().serverKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.secretHash).toBe(hashSecret(parsed.secret));
    expect(JSON.stringify(row)).not.toContain(parsed.secret);

    const page = await listServerKeysPage(t.ctx('security'), s.id, {});
    expect(page.items).toHaveLength(1);
    const listed = page.items[0];
    expect(listed.prefix).toBe(`twk_${created.id}_…`);
    expect(JSON.stringify(page)).not.toContain(parsed.secret);
    expect(listed).not.toHaveProperty('secretHash');
    expect(listed.expiresAt).not.toBeNull();

    const events = await auditEventsFor(t.tenantId, created.id);
    expect(events.map((e) => e.event)).toEqual(['server_key.created']);
    expect(JSON.stringify(events[0].after)).not.toContain(parsed.secret);
  });

  it('revokes (audited once; revoking again changes nothing) and the active filter drops it', async () => {
    const s = await server();
    const k = await createServerKey(t.ctx('admin'), s.id, {});
    await revokeServerKey(t.ctx('security'), k.id);
    await revokeServerKey(t.ctx('security'), k.id);
    expect((await db().serverKey.findUniqueOrThrow({ where: { id: k.id } })).revokedAt).not.toBeNull();
    expect((await auditEventsFor(t.tenantId, k.id)).map((e) => e.event)).toEqual(['server_key.created', 'server_key.revoked']);
    expect((await listServerKeysPage(t.ctx('security'), s.id, { state: 'active' })).items).toHaveLength(0);
    expect((await listServerKeysPage(t.ctx('security'), s.id, { state: 'all' })).items).toHaveLength(1);
  });

  it('refuses a key for a disabled server and bad input, writing nothing', async () => {
    const s = await server();
    await setServerStatus(t.ctx('security'), s.id, { status: 'disabled' });
    const before = await footprint(t.tenantId);
    await expectCode(createServerKey(t.ctx('security'), s.id, {}), 'invalid_request');
    await setServerStatus(t.ctx('security'), s.id, { status: 'active' });
    const before2 = await footprint(t.tenantId);
    await expectCode(createServerKey(t.ctx('security'), s.id, { expiresInDays: 0 }), 'invalid_request');
    expect(await footprint(t.tenantId)).toEqual(before2);
    expect(before.keys).toEqual(before2.keys);
  });

  it('pages keys newest first with a keyset cursor, though key ids are random', async () => {
    const s = await server();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await createServerKey(t.ctx('security'), s.id, { name: `k${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listServerKeysPage>> = await listServerKeysPage(t.ctx('security'), s.id, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((k) => k.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());
  });
});

describe('tenant isolation', () => {
  it("another tenant's server and key are not found (404) and stay as they were", async () => {
    const theirs = await createServer(other.ctx('admin'), { name: 'their-mcp', audience: 'https://billing.mcp.example.com' });
    const theirKey = await createServerKey(other.ctx('admin'), theirs.id, {});
    const ctx = t.ctx('admin');
    await expectCode(getServer(ctx, theirs.id), 'not_found');
    await expectCode(updateServer(ctx, theirs.id, { description: 'mine now' }), 'not_found');
    await expectCode(setServerStatus(ctx, theirs.id, { status: 'disabled' }), 'not_found');
    await expectCode(createServerKey(ctx, theirs.id, {}), 'not_found');
    await expectCode(listServerKeysPage(ctx, theirs.id, {}), 'not_found');
    await expectCode(revokeServerKey(ctx, theirKey.id), 'not_found');
    expect((await listServers(ctx, { q: 'their-mcp' })).items).toHaveLength(0);
    expect(await db().mcpServer.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ status: 'active', description: '' });
    expect((await db().serverKey.findUniqueOrThrow({ where: { id: theirKey.id } })).revokedAt).toBeNull();
    expect(await db().serverKey.count({ where: { serverId: theirs.id } })).toBe(1);
  });
});

describe('listServers', () => {
  it('pages with a keyset cursor and counts tools, unclassified tools and active keys', async () => {
    const first = await listServers(t.ctx('member'), { limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await listServers(t.ctx('member'), { limit: 2, cursor: first.nextCursor });
    expect(second.items[0].id < first.items[1].id).toBe(true);
    const billing = (await listServers(t.ctx('member'), { q: 'billing-mcp' })).items[0];
    expect(billing).toMatchObject({ toolCount: 0, unclassifiedCount: 0, activeKeyCount: 0 });
    const disabled = await listServers(t.ctx('member'), { status: 'disabled' });
    expect(disabled.items.every((s) => s.status === 'disabled')).toBe(true);
  });
});
