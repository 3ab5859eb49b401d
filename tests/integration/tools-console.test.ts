import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import type { ServiceContext } from '../../lib/context';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { Role } from '../../lib/auth/permissions';
import {
  addToolOwner,
  classifyTool,
  createTool,
  getTool,
  listTools,
  markToolDefinitionReviewed,
  removeToolOwner,
  setToolStatus,
  updateTool,
} from '../../lib/tools/service';
import { listToolVersions } from '../../lib/tools/history';
import { syncTools } from '../../lib/tools/sync';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';

let t: TenantFixture;
let other: TenantFixture;
let serverId: string;
let otherServerId: string;

beforeAll(async () => {
  t = await createTenantFixture('tools');
  other = await createTenantFixture('tools-other');
  serverId = (await db().mcpServer.create({ data: { id: newId('server'), tenantId: t.tenantId, name: 'billing', audience: 'https://billing.example.test' } })).id;
  otherServerId = (await db().mcpServer.create({ data: { id: newId('server'), tenantId: other.tenantId, name: 'billing', audience: 'https://billing.example.test' } })).id;
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
  const [tools, owners, versions, audit] = await Promise.all([
    db().tool.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    db().toolOwner.findMany({ where: { tenantId }, orderBy: [{ toolId: 'asc' }, { userId: 'asc' }] }),
    db().toolDefinitionVersion.count({ where: { tenantId } }),
    db().auditEvent.count({ where: { tenantId } }),
  ]);
  return { tools, owners, versions, audit };
}

let seq = 0;
async function tool(extra: Record<string, unknown> = {}) {
  seq++;
  return createTool(t.ctx('security'), { serverId, name: `tool_${seq}`, description: `Tool ${seq}`, ...extra });
}

async function liveGrant(tenantId: string, toolId: string) {
  const agent = await db().agent.create({ data: { id: newId('agent'), tenantId, name: `agent-${randomBytes(3).toString('hex')}` } });
  return db().grant.create({ data: { id: newId('grant'), tenantId, agentId: agent.id, toolId, actions: ['read'] } });
}

describe('createTool', () => {
  it('adds a tool by hand: unclassified, risk suggested, first version recorded, audited', async () => {
    const created = await createTool(t.ctx('security'), {
      serverId,
      name: 'get_invoice',
      title: 'Get invoice',
      description: 'Fetch one invoice',
      inputSchema: '{"type":"object","properties":{"id":{"type":"string"}}}',
      annotations: { readOnlyHint: true },
    });
    expect(created).toMatchObject({ status: 'unclassified', risk: null, suggestedRisk: 'low', defaultAction: 'read', inputSchema: { type: 'object', properties: { id: { type: 'string' } } } });
    const versions = await db().toolDefinitionVersion.findMany({ where: { toolId: created.id } });
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ source: 'console', hash: created.definitionHash, liveGrants: 0 });
    const events = await auditEventsFor(t.tenantId, created.id);
    expect(events.map((e) => e.event)).toEqual(['tool.created']);
    expect(events[0].after).toMatchObject({ source: 'console', name: 'get_invoice', hash: created.definitionHash });
  });

  it('an unannotated tool is assumed to write and suggested critical', async () => {
    const created = await tool();
    expect(created).toMatchObject({ suggestedRisk: 'critical', defaultAction: 'write' });
  });

  it('refuses a duplicate name on the same server (409)', async () => {
    await expectCode(createTool(t.ctx('security'), { serverId, name: 'get_invoice' }), 'conflict');
  });

  it.each([
    ['a bad name', { name: 'has space' }, 'name'],
    ['an input schema that is not JSON', { name: 'ok_name', inputSchema: '{nope' }, 'inputSchema'],
    ['an input schema that is an array', { name: 'ok_name', inputSchema: '[1]' }, 'inputSchema'],
    ['no server', { name: 'ok_name', serverId: '' }, 'serverId'],
  ])('refuses %s (400) and writes nothing', async (_l, input, field) => {
    const before = await footprint(t.tenantId);
    const err = await errorOf(createTool(t.ctx('security'), { serverId, ...input }));
    expect(err.code).toBe('invalid_request');
    expect(err.invalidParams?.map((p) => p.name)).toContain(field);
    expect(await footprint(t.tenantId)).toEqual(before);
  });
});

describe('classifyTool', () => {
  it('sets risk, default action and sensitivity and makes the tool active; audited with before and after', async () => {
    const created = await tool();
    const after = await classifyTool(t.ctx('security'), created.id, { risk: 'high', defaultAction: 'admin', sensitivity: 'restricted' });
    expect(after).toMatchObject({ status: 'active', risk: 'high', defaultAction: 'admin', sensitivity: 'restricted' });
    const [, classified] = await auditEventsFor(t.tenantId, created.id);
    expect(classified.event).toBe('tool.classified');
    expect(classified.before).toMatchObject({ status: 'unclassified', risk: null });
    expect(classified.after).toMatchObject({ status: 'active', risk: 'high', suggestedRisk: 'critical' });
  });

  it('leaves a disabled tool disabled (enabling is its own decision)', async () => {
    const created = await tool();
    await classifyTool(t.ctx('admin'), created.id, { risk: 'low', defaultAction: 'read', sensitivity: 'internal' });
    await setToolStatus(t.ctx('admin'), created.id, { status: 'disabled' });
    const after = await classifyTool(t.ctx('admin'), created.id, { risk: 'medium', defaultAction: 'read', sensitivity: 'internal' });
    expect(after).toMatchObject({ status: 'disabled', risk: 'medium' });
  });

  it('refuses an unknown risk level (400) and changes nothing', async () => {
    const created = await tool();
    const before = await footprint(t.tenantId);
    const err = await errorOf(classifyTool(t.ctx('security'), created.id, { risk: 'extreme', defaultAction: 'read', sensitivity: 'internal' }));
    expect(err.code).toBe('invalid_request');
    expect(err.invalidParams?.[0].name).toBe('risk');
    expect(await footprint(t.tenantId)).toEqual(before);
  });
});

describe('setToolStatus', () => {
  it('refuses enabling an unclassified tool', async () => {
    const created = await tool();
    await expectCode(setToolStatus(t.ctx('security'), created.id, { status: 'active' }), 'invalid_request');
    expect((await db().tool.findUniqueOrThrow({ where: { id: created.id } })).status).toBe('unclassified');
  });

  it('disables and enables a classified tool, one audit event each', async () => {
    const created = await tool();
    await classifyTool(t.ctx('security'), created.id, { risk: 'low', defaultAction: 'read', sensitivity: 'public' });
    await setToolStatus(t.ctx('security'), created.id, { status: 'disabled' });
    await setToolStatus(t.ctx('security'), created.id, { status: 'disabled' });
    await setToolStatus(t.ctx('security'), created.id, { status: 'active' });
    expect((await auditEventsFor(t.tenantId, created.id)).map((e) => e.event)).toEqual(['tool.created', 'tool.classified', 'tool.disabled', 'tool.enabled']);
  });
});

describe('owners', () => {
  it('adds and removes members as owners, audited', async () => {
    const created = await tool();
    const added = await addToolOwner(t.ctx('security'), created.id, { userId: t.users.member.id });
    expect(added).toMatchObject({ userId: t.users.member.id, email: t.users.member.email });
    const detail = await getTool(t.ctx('auditor'), created.id);
    expect(detail.owners).toEqual([expect.objectContaining({ userId: t.users.member.id, email: t.users.member.email, isMember: true })]);
    await removeToolOwner(t.ctx('security'), created.id, t.users.member.id);
    expect(await db().toolOwner.count({ where: { toolId: created.id } })).toBe(0);
    const events = await auditEventsFor(t.tenantId, created.id);
    expect(events.map((e) => e.event)).toEqual(['tool.created', 'tool.owner_added', 'tool.owner_removed']);
    expect(events[1].after).toMatchObject({ userId: t.users.member.id, email: t.users.member.email });
  });

  it('refuses a non-member (400), a duplicate (409) and removing a non-owner (404), writing nothing', async () => {
    const created = await tool();
    await addToolOwner(t.ctx('security'), created.id, { userId: t.users.admin.id });
    const before = await footprint(t.tenantId);
    const err = await errorOf(addToolOwner(t.ctx('security'), created.id, { userId: other.users.admin.id }));
    expect(err.code).toBe('invalid_request');
    expect(err.invalidParams?.[0].name).toBe('userId');
    await expectCode(addToolOwner(t.ctx('security'), created.id, { userId: t.users.admin.id }), 'conflict');
    await expectCode(removeToolOwner(t.ctx('security'), created.id, t.users.auditor.id), 'not_found');
    await expectCode(addToolOwner(t.ctx('security'), created.id, {}), 'invalid_request');
    expect(await footprint(t.tenantId)).toEqual(before);
  });
});

describe('definition changes and history', () => {
  it('a console edit under a live grant is versioned, flagged, diffed, attributed, and can be marked reviewed', async () => {
    const created = await tool({ description: 'Line one\nLine two' });
    await classifyTool(t.ctx('security'), created.id, { risk: 'medium', defaultAction: 'write', sensitivity: 'internal' });
    await liveGrant(t.tenantId, created.id);

    await updateTool(t.ctx('admin'), created.id, { description: 'Line one\nLine 2, changed', inputSchema: { type: 'object' } });
    const detail = await getTool(t.ctx('auditor'), created.id);
    expect(detail.definitionFlag).toMatchObject({ liveGrants: 1 });
    expect(detail.liveGrantCount).toBe(1);
    expect(detail.versionCount).toBe(2);

    const listed = (await listTools(t.ctx('member'), { changed: '1' })).items.find((i) => i.id === created.id);
    expect(listed?.definitionFlag).toMatchObject({ liveGrants: 1 });

    const history = await listToolVersions(t.ctx('auditor'), created.id, {});
    expect(history.items).toHaveLength(2);
    const [latest, first] = history.items;
    expect(latest).toMatchObject({ source: 'console', liveGrants: 1, actor: { type: 'user', label: t.users.admin.email } });
    expect(latest.changes?.description).toEqual([
      { op: 'same', text: 'Line one' },
      { op: 'del', text: 'Line two' },
      { op: 'add', text: 'Line 2, changed' },
    ]);
    expect(latest.changes?.inputSchema?.some((l) => l.op === 'add')).toBe(true);
    expect(latest.changes?.annotations).toBeNull();
    expect(first).toMatchObject({ source: 'console', changes: null, actor: { label: t.users.security.email } });

    const changed = (await auditEventsFor(t.tenantId, created.id)).find((e) => e.event === 'tool.definition_changed');
    expect(changed?.after).toMatchObject({ liveGrants: 1, flagged: true });

    await markToolDefinitionReviewed(t.ctx('security'), created.id);
    expect((await getTool(t.ctx('auditor'), created.id)).definitionFlag).toBeNull();
    expect((await auditEventsFor(t.tenantId, created.id)).at(-1)).toMatchObject({ event: 'tool.updated', after: expect.objectContaining({ definitionReviewed: true }) });
  });

  it('a title-only edit is tool.updated, with no new version', async () => {
    const created = await tool();
    await updateTool(t.ctx('security'), created.id, { title: 'Nicer title' });
    expect(await db().toolDefinitionVersion.count({ where: { toolId: created.id } })).toBe(1);
    expect((await auditEventsFor(t.tenantId, created.id)).map((e) => e.event)).toEqual(['tool.created', 'tool.updated']);
  });

  it('history attributes sync changes to the server and pages with a cursor', async () => {
    const server = await db().mcpServer.findUniqueOrThrow({ where: { id: serverId } });
    const sctx: ServiceContext = { tenantId: t.tenantId, actor: { type: 'server', id: server.id, label: server.name }, requestMeta: { ip: null, userAgent: 'vitest', requestId: 'sync' } };
    for (const d of ['v1', 'v2', 'v3']) await syncTools(sctx, serverId, { tools: [{ name: 'synced_tool', description: d }] });
    const synced = await db().tool.findFirstOrThrow({ where: { serverId, name: 'synced_tool' } });
    const p1 = await listToolVersions(t.ctx('member'), synced.id, { limit: 2 });
    expect(p1.items.map((v) => v.description)).toEqual(['v3', 'v2']);
    expect(p1.items.every((v) => v.actor?.type === 'server' && v.actor.label === 'billing')).toBe(true);
    expect(p1.items[1].changes?.description).toEqual([
      { op: 'del', text: 'v1' },
      { op: 'add', text: 'v2' },
    ]);
    const p2 = await listToolVersions(t.ctx('member'), synced.id, { limit: 2, cursor: p1.nextCursor });
    expect(p2.items.map((v) => v.description)).toEqual(['v1']);
    expect(p2.nextCursor).toBeNull();
    expect(p2.items[0].changes).toBeNull();
  });
});

describe('roles', () => {
  it.each<Role>(['member', 'auditor'])('%s reads the catalog but every change is refused and nothing changes', async (role) => {
    const created = await tool();
    const before = await footprint(t.tenantId);
    const ctx = t.ctx(role);
    expect((await listTools(ctx, {})).items.length).toBeGreaterThan(0);
    expect((await getTool(ctx, created.id)).id).toBe(created.id);
    expect((await listToolVersions(ctx, created.id, {})).items).toHaveLength(1);
    await expectCode(createTool(ctx, { serverId, name: `by_${role}` }), 'forbidden');
    await expectCode(updateTool(ctx, created.id, { description: 'x' }), 'forbidden');
    await expectCode(classifyTool(ctx, created.id, { risk: 'low', defaultAction: 'read', sensitivity: 'public' }), 'forbidden');
    await expectCode(setToolStatus(ctx, created.id, { status: 'disabled' }), 'forbidden');
    await expectCode(addToolOwner(ctx, created.id, { userId: t.users[role].id }), 'forbidden');
    await expectCode(removeToolOwner(ctx, created.id, t.users[role].id), 'forbidden');
    await expectCode(markToolDefinitionReviewed(ctx, created.id), 'forbidden');
    expect(await footprint(t.tenantId)).toEqual(before);
  });
});

describe('tenant isolation', () => {
  it("another tenant's tool and server are not found (404) and stay as they were", async () => {
    const theirs = await createTool(other.ctx('admin'), { serverId: otherServerId, name: 'their_tool', description: 'theirs' });
    await addToolOwner(other.ctx('admin'), theirs.id, { userId: other.users.member.id });
    const before = await footprint(other.tenantId);
    const ctx = t.ctx('admin');
    await expectCode(getTool(ctx, theirs.id), 'not_found');
    await expectCode(listToolVersions(ctx, theirs.id, {}), 'not_found');
    await expectCode(createTool(ctx, { serverId: otherServerId, name: 'sneaky' }), 'not_found');
    await expectCode(updateTool(ctx, theirs.id, { description: 'mine' }), 'not_found');
    await expectCode(classifyTool(ctx, theirs.id, { risk: 'low', defaultAction: 'read', sensitivity: 'public' }), 'not_found');
    await expectCode(setToolStatus(ctx, theirs.id, { status: 'disabled' }), 'not_found');
    await expectCode(addToolOwner(ctx, theirs.id, { userId: t.users.admin.id }), 'not_found');
    await expectCode(removeToolOwner(ctx, theirs.id, other.users.member.id), 'not_found');
    await expectCode(markToolDefinitionReviewed(ctx, theirs.id), 'not_found');
    expect((await listTools(ctx, { q: 'their_tool' })).items).toHaveLength(0);
    expect((await listTools(ctx, { serverId: otherServerId })).items).toHaveLength(0);
    expect(await footprint(other.tenantId)).toEqual(before);
  });
});

describe('listTools', () => {
  it('filters the unclassified queue and pages with a keyset cursor', async () => {
    const queue = await listTools(t.ctx('member'), { status: 'unclassified', limit: 2 });
    expect(queue.items).toHaveLength(2);
    expect(queue.items.every((i) => i.status === 'unclassified')).toBe(true);
    const next = await listTools(t.ctx('member'), { status: 'unclassified', limit: 2, cursor: queue.nextCursor });
    expect(next.items[0].id < queue.items[1].id).toBe(true);
    const byServer = await listTools(t.ctx('member'), { serverId, q: 'get_invoice' });
    expect(byServer.items[0]).toMatchObject({ name: 'get_invoice', server: { id: serverId, name: 'billing' }, ownerCount: 0, liveGrantCount: 0 });
    await expectCode(listTools(t.ctx('member'), { status: 'weird' }), 'invalid_request');
  });
});
