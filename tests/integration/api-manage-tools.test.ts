import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import type { Role } from '../../lib/auth/permissions';
import { createAgent } from '../../lib/agents/service';
import { createGrant } from '../../lib/grants/service';
import { createServer } from '../../lib/servers/service';
import { classifyTool, createTool } from '../../lib/tools/service';
import { auditCount, badTokens, manageClient, tokensByRole, type ManageCall } from '../support/manage-client';
import { recordProof } from '../support/proof';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';
import { startApi, type RunningApi } from './api-harness';

// /api/v1/manage/tools over real HTTP: add, edit (versioned), classify, enable/disable, review a
// changed definition, owners, history, and the grant guardrails of a tool.

let api: RunningApi;
let call: ManageCall;
let t: TenantFixture;
let other: TenantFixture;
let tok: Record<Role, string>;
let serverId: string;
let toolId: string;

beforeAll(async () => {
  t = await createTenantFixture('mtool');
  other = await createTenantFixture('mtool-other');
  api = await startApi();
  call = manageClient(api.url);
  tok = await tokensByRole(t.ctx);
  serverId = (await createServer(t.ctx('admin'), { name: 'billing', audience: 'https://billing.mtool.test' })).id;
});
afterAll(async () => {
  await api.close();
  await disconnectDb();
});

const tools = (tenantId: string) => db().tool.findMany({ where: { tenantId }, orderBy: { id: 'asc' } });
const owners = (tenantId: string) => db().toolOwner.findMany({ where: { tenantId }, orderBy: { userId: 'asc' } });
const state = async () => ({ tools: await tools(t.tenantId), owners: await owners(t.tenantId), versions: await db().toolDefinitionVersion.count({ where: { tenantId: t.tenantId } }), audit: await auditCount(t.tenantId) });

describe('/api/v1/manage/tools', () => {
  it('201/200: security adds a tool (unclassified), classifies it, reads and lists it, audited as the token’s user', async () => {
    const created = await call('POST', '/api/v1/manage/tools', tok.security, {
      serverId,
      name: 'get_invoice',
      description: 'Reads an invoice',
      inputSchema: { type: 'object', properties: { id: { type: 'string' } } },
      annotations: { readOnlyHint: true },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'get_invoice', status: 'unclassified', risk: null, defaultAction: 'read', suggestedRisk: 'low' });
    toolId = created.body.id;

    const classified = await call('POST', `/api/v1/manage/tools/${toolId}/classify`, tok.security, { risk: 'low', defaultAction: 'read', sensitivity: 'internal' });
    expect(classified.status).toBe(200);
    expect(classified.body).toMatchObject({ status: 'active', risk: 'low', sensitivity: 'internal' });

    expect((await call('GET', `/api/v1/manage/tools/${toolId}`, tok.member)).body).toMatchObject({ id: toolId, server: { id: serverId }, owners: [], versionCount: 1 });
    const list = await call('GET', `/api/v1/manage/tools?serverId=${serverId}&status=active&risk=low`, tok.auditor);
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([toolId]);
    const policy = await call('GET', `/api/v1/manage/tools/${toolId}/grant-policy`, tok.auditor);
    expect(policy.body).toMatchObject({ standingAllowed: true, tool: { id: toolId } });

    const events = await auditEventsFor(t.tenantId, toolId);
    expect(events.map((e) => [e.event, e.actorId])).toEqual([
      ['tool.created', t.users.security.id],
      ['tool.classified', t.users.security.id],
    ]);
    expect(events[0].actorLabel).toContain('token ci-security');
  });

  it('200: a definition edit under a live grant is versioned and flagged; review clears the flag; history shows the diff', async () => {
    const agent = await createAgent(t.ctx('admin'), { name: 'reader' });
    await createGrant(t.ctx('admin'), { agentId: agent.id, toolId, actions: ['read'] });
    const edited = await call('PATCH', `/api/v1/manage/tools/${toolId}`, tok.security, { description: 'Reads an invoice and its lines' });
    expect(edited.status).toBe(200);
    expect(edited.body.definitionChangedAt).not.toBeNull();
    const changed = await call('GET', '/api/v1/manage/tools?changed=1', tok.security);
    expect(changed.body.items).toEqual([expect.objectContaining({ id: toolId, definitionFlag: expect.objectContaining({ liveGrants: 1 }) })]);

    const versions = await call('GET', `/api/v1/manage/tools/${toolId}/versions?limit=10`, tok.auditor);
    expect(versions.status).toBe(200);
    expect(versions.body.items).toHaveLength(2);
    expect(versions.body.items[0]).toMatchObject({ liveGrants: 1, actor: { type: 'user' }, changes: { description: expect.any(Array) } });

    const reviewed = await call('POST', `/api/v1/manage/tools/${toolId}/review-definition`, tok.security);
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.definitionChangedAt).toBeNull();
    expect((await auditEventsFor(t.tenantId, toolId)).slice(-2).map((e) => [e.event, e.actorId])).toEqual([
      ['tool.definition_changed', t.users.security.id],
      ['tool.updated', t.users.security.id],
    ]);
  });

  it('200: disabling and enabling; owners are added (201) and removed (200)', async () => {
    expect((await call('POST', `/api/v1/manage/tools/${toolId}/status`, tok.security, { status: 'disabled' })).body.status).toBe('disabled');
    expect((await call('POST', `/api/v1/manage/tools/${toolId}/status`, tok.security, { status: 'active' })).body.status).toBe('active');
    const added = await call('POST', `/api/v1/manage/tools/${toolId}/owners`, tok.security, { userId: t.users.member.id });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ toolId, userId: t.users.member.id, email: t.users.member.email });
    expect((await call('GET', `/api/v1/manage/tools/${toolId}`, tok.security)).body.owners).toEqual([expect.objectContaining({ userId: t.users.member.id, isMember: true })]);
    const removed = await call('DELETE', `/api/v1/manage/tools/${toolId}/owners/${t.users.member.id}`, tok.security);
    expect(removed.status).toBe(200);
    expect(await owners(t.tenantId)).toEqual([]);
    expect((await auditEventsFor(t.tenantId, toolId)).slice(-4).map((e) => e.event)).toEqual(['tool.disabled', 'tool.enabled', 'tool.owner_added', 'tool.owner_removed']);
  });

  it('400 with invalidParams (schema, enabling an unclassified tool, a non-member owner), nothing written', async () => {
    const unclassified = await createTool(t.ctx('admin'), { serverId, name: 'run_sql' });
    const before = await state();
    const bad = await call('POST', '/api/v1/manage/tools', tok.security, { serverId, name: 'has spaces', inputSchema: '[1,2]' });
    expect(bad.status).toBe(400);
    expect(bad.body.invalidParams.map((p: { name: string }) => p.name).sort()).toEqual(['inputSchema', 'name']);
    const classify = await call('POST', `/api/v1/manage/tools/${toolId}/classify`, tok.security, { risk: 'extreme', defaultAction: 'read', sensitivity: 'internal' });
    expect(classify.status).toBe(400);
    expect(classify.body.invalidParams[0].name).toBe('risk');
    const enable = await call('POST', `/api/v1/manage/tools/${unclassified.id}/status`, tok.security, { status: 'active' });
    expect(enable.status).toBe(400);
    expect(enable.body.invalidParams).toEqual([{ name: 'status', reason: 'the tool has no risk level yet' }]);
    const stranger = await call('POST', `/api/v1/manage/tools/${toolId}/owners`, tok.security, { userId: other.users.admin.id });
    expect(stranger.status).toBe(400);
    expect(stranger.body.invalidParams[0].name).toBe('userId');
    expect((await call('PATCH', `/api/v1/manage/tools/${toolId}`, tok.security, {})).status).toBe(400);
    expect(await state()).toEqual(before);
  });

  it('401 for bad tokens, nothing written', async () => {
    const bad = await badTokens(t.ctx('security'));
    const before = await state();
    for (const token of [null, ...bad]) {
      expect((await call('POST', '/api/v1/manage/tools', token, { serverId, name: 'sneaky' })).status).toBe(401);
      expect((await call('POST', `/api/v1/manage/tools/${toolId}/status`, token, { status: 'disabled' })).status).toBe(401);
    }
    expect(await state()).toEqual(before);
  });

  it('403 for member and auditor tokens (tools.manage), nothing changed', async () => {
    const before = await state();
    let attempts = 0;
    for (const role of ['member', 'auditor'] as const) {
      const tries: [string, string, unknown?][] = [
        ['POST', '/api/v1/manage/tools', { serverId, name: `by_${role}` }],
        ['PATCH', `/api/v1/manage/tools/${toolId}`, { description: 'changed' }],
        ['POST', `/api/v1/manage/tools/${toolId}/classify`, { risk: 'critical', defaultAction: 'admin', sensitivity: 'restricted' }],
        ['POST', `/api/v1/manage/tools/${toolId}/status`, { status: 'disabled' }],
        ['POST', `/api/v1/manage/tools/${toolId}/owners`, { userId: t.users[role].id }],
        ['POST', `/api/v1/manage/tools/${toolId}/review-definition`],
        ['DELETE', `/api/v1/manage/tools/${toolId}/owners/${t.users.security.id}`],
      ];
      for (const [method, path, body] of tries) {
        const res = await call(method, path, tok[role], body);
        expect([role, method, path, res.status]).toEqual([role, method, path, 403]);
        attempts += 1;
      }
    }
    expect(await state()).toEqual(before);
    recordProof('management-api', { roleDeniedWritesAnswered403: attempts }, { add: true });
  });

  it("404 for another tenant's tool or server, which stay unchanged", async () => {
    const theirServer = await createServer(other.ctx('admin'), { name: 'theirs', audience: 'https://theirs.mtool.test' });
    const theirs = await classifyTool(other.ctx('admin'), (await createTool(other.ctx('admin'), { serverId: theirServer.id, name: 'theirs' })).id, { risk: 'low', defaultAction: 'read', sensitivity: 'public' });
    const before = await tools(other.tenantId);
    const probes: [string, string, unknown?][] = [
      ['GET', `/api/v1/manage/tools/${theirs.id}`],
      ['GET', `/api/v1/manage/tools/${theirs.id}/versions`],
      ['GET', `/api/v1/manage/tools/${theirs.id}/grant-policy`],
      ['PATCH', `/api/v1/manage/tools/${theirs.id}`, { description: 'mine' }],
      ['POST', `/api/v1/manage/tools/${theirs.id}/classify`, { risk: 'critical', defaultAction: 'admin', sensitivity: 'restricted' }],
      ['POST', `/api/v1/manage/tools/${theirs.id}/status`, { status: 'disabled' }],
      ['POST', `/api/v1/manage/tools/${theirs.id}/owners`, { userId: t.users.security.id }],
      ['POST', '/api/v1/manage/tools', { serverId: theirServer.id, name: 'planted' }],
    ];
    for (const [method, path, body] of probes) {
      const res = await call(method, path, tok.security, body);
      expect([path, res.status]).toEqual([path, 404]);
    }
    expect(await tools(other.tenantId)).toEqual(before);
    expect(await owners(other.tenantId)).toEqual([]);
    recordProof('management-api', { crossTenantProbesAnswered404: probes.length }, { add: true });
  });

  it('409 for a duplicate tool name on the server, and for an owner added twice', async () => {
    await call('POST', `/api/v1/manage/tools/${toolId}/owners`, tok.security, { userId: t.users.security.id });
    const before = await state();
    const dup = await call('POST', '/api/v1/manage/tools', tok.security, { serverId, name: 'get_invoice' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('conflict');
    expect((await call('POST', `/api/v1/manage/tools/${toolId}/owners`, tok.security, { userId: t.users.security.id })).status).toBe(409);
    expect(await state()).toEqual(before);
  });
});
