import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { createApiToken, revokeApiToken } from '../../lib/api-tokens/service';
import { createAgent } from '../../lib/agents/service';
import { createTenantFixture, type TenantFixture } from './fixtures';
import { startApi, type RunningApi } from './api-harness';

let api: RunningApi;
let t: TenantFixture;
let other: TenantFixture;
let securityToken: string;
let auditorToken: string;

beforeAll(async () => {
  t = await createTenantFixture('manage');
  other = await createTenantFixture('manageother');
  api = await startApi();
  securityToken = (await createApiToken(t.ctx('security'), { name: 'ci' })).token;
  auditorToken = (await createApiToken(t.ctx('auditor'), { name: 'reports' })).token;
});
afterAll(async () => {
  await api.close();
  await disconnectDb();
});

const call = (method: string, path: string, token: string | null, body?: unknown) =>
  fetch(api.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('/api/v1/manage (personal API tokens)', () => {
  it('201/200: creates and lists agents as the token’s user, audited as such', async () => {
    const res = await call('POST', '/api/v1/manage/agents', securityToken, { name: 'from-ci', description: 'grants as code' });
    expect(res.status).toBe(201);
    const agent = await res.json();
    const list = await (await call('GET', '/api/v1/manage/agents?q=from-ci', securityToken)).json();
    expect(list.items.map((a: { id: string }) => a.id)).toEqual([agent.id]);
    const [event] = await db().auditEvent.findMany({ where: { targetId: agent.id } });
    expect(event).toMatchObject({ event: 'agent.created', actorType: 'user', actorId: t.users.security.id });
    expect(event.actorLabel).toContain('token ci');
  });

  it('400 with invalidParams for bad input, nothing written', async () => {
    const res = await call('POST', '/api/v1/manage/agents', securityToken, { name: 'Bad Name!' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ type: 'about:blank', code: 'invalid_request' });
    expect(body.invalidParams[0].name).toBe('name');
    expect(await db().agent.count({ where: { tenantId: t.tenantId, name: 'Bad Name!' } })).toBe(0);
  });

  it('401 for missing, malformed, unknown and revoked tokens; server keys are not personal tokens', async () => {
    expect((await call('GET', '/api/v1/manage/agents', null)).status).toBe(401);
    expect((await call('GET', '/api/v1/manage/agents', 'twp_nope')).status).toBe(401);
    expect((await call('GET', '/api/v1/manage/agents', securityToken.slice(0, -3) + 'abc')).status).toBe(401);
    const temp = await createApiToken(t.ctx('admin'), { name: 'temp' });
    expect((await call('GET', '/api/v1/manage/agents', temp.token)).status).toBe(200);
    await revokeApiToken(t.ctx('admin'), temp.id);
    expect((await call('GET', '/api/v1/manage/agents', temp.token)).status).toBe(401);
    await db().apiToken.update({ where: { id: temp.id }, data: { revokedAt: null, expiresAt: new Date(Date.now() - 1000) } });
    expect((await call('GET', '/api/v1/manage/agents', temp.token)).status).toBe(401);
  });

  it('403: an auditor’s token can read but change nothing', async () => {
    expect((await call('GET', '/api/v1/manage/agents', auditorToken)).status).toBe(200);
    const res = await call('POST', '/api/v1/manage/agents', auditorToken, { name: 'auditor-made' });
    expect(res.status).toBe(403);
    expect(await db().agent.count({ where: { name: 'auditor-made' } })).toBe(0);
  });

  it("404 for another tenant's agent, and it stays unchanged", async () => {
    const theirs = await createAgent(other.ctx('admin'), { name: 'theirs' });
    expect((await call('GET', `/api/v1/manage/agents/${theirs.id}`, securityToken)).status).toBe(404);
    expect((await call('POST', `/api/v1/manage/agents/${theirs.id}/status`, securityToken, { status: 'suspended' })).status).toBe(404);
    expect((await call('DELETE', `/api/v1/manage/agents/${theirs.id}`, securityToken)).status).toBe(404);
    expect((await db().agent.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe('active');
  });

  it('a token follows its user’s current role: demoted → 403, removed → 401', async () => {
    const member = await db().membership.findFirstOrThrow({ where: { tenantId: t.tenantId, userId: t.users.security.id } });
    await db().membership.update({ where: { id: member.id }, data: { role: 'auditor' } });
    expect((await call('POST', '/api/v1/manage/agents', securityToken, { name: 'after-demotion' })).status).toBe(403);
    await db().membership.delete({ where: { id: member.id } });
    expect((await call('GET', '/api/v1/manage/agents', securityToken)).status).toBe(401);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await (await call('GET', '/api/v1/openapi.json', null)).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/manage/agents', '/api/v1/manage/agents/{id}']));
    expect(doc.components.securitySchemes.personalToken).toBeTruthy();
  });
});
