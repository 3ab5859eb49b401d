import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { createApiToken, revokeApiToken } from '../../lib/api-tokens/service';
import { createAgent } from '../../lib/agents/service';
import { createIdentity } from '../../lib/agents/identities';
import { createMachineApi } from '../../lib/api/app';
import { createTrustDomain } from '../../lib/trust-domains/service';
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

describe('/api/v1/manage identities', () => {
  let tdId: string;
  let adminToken: string;
  beforeAll(async () => {
    adminToken = (await createApiToken(t.ctx('admin'), { name: 'identities' })).token;
    tdId = (await createTrustDomain(t.ctx('admin'), { name: 'manage.test', jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', kid: 'k' }] }, allowedAlgs: ['ES256'] })).id;
  });

  it('201/200/200: binds, disables and deletes a workload identity, audited as the token’s user', async () => {
    const agent = await createAgent(t.ctx('admin'), { name: 'bound-agent' });
    const res = await call('POST', `/api/v1/manage/agents/${agent.id}/identities`, adminToken, { trustDomainId: tdId, kind: 'spiffe_jwt', subject: 'spiffe://manage.test/agents/bound' });
    expect(res.status).toBe(201);
    const identity = await res.json();
    expect(identity).toMatchObject({ agentId: agent.id, subject: 'spiffe://manage.test/agents/bound', status: 'active' });
    const disabled = await call('POST', `/api/v1/manage/identities/${identity.id}/status`, adminToken, { status: 'disabled' });
    expect(disabled.status).toBe(200);
    expect((await db().workloadIdentity.findUniqueOrThrow({ where: { id: identity.id } })).status).toBe('disabled');
    expect((await call('DELETE', `/api/v1/manage/identities/${identity.id}`, adminToken)).status).toBe(200);
    expect(await db().workloadIdentity.count({ where: { id: identity.id } })).toBe(0);
    const events = await db().auditEvent.findMany({ where: { targetId: identity.id }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => [e.event.split('.')[0], e.actorId])).toEqual(Array(3).fill(['identity', t.users.admin.id]));
  });

  it('400 with invalidParams for a bad subject, nothing written', async () => {
    const agent = await createAgent(t.ctx('admin'), { name: 'bad-subject' });
    const res = await call('POST', `/api/v1/manage/agents/${agent.id}/identities`, adminToken, { trustDomainId: tdId, kind: 'spiffe_jwt', subject: 'not-a-spiffe-id' });
    expect(res.status).toBe(400);
    expect((await res.json()).invalidParams[0].name).toBe('subject');
    expect(await db().workloadIdentity.count({ where: { agentId: agent.id } })).toBe(0);
  });

  it("404 for another tenant's agent or identity, which stay unchanged", async () => {
    const theirAgent = await createAgent(other.ctx('admin'), { name: 'their-agent' });
    const theirTd = await createTrustDomain(other.ctx('admin'), { name: 'their.test', jwksUrl: 'https://their.test/jwks' });
    const theirs = await createIdentity(other.ctx('admin'), theirAgent.id, { trustDomainId: theirTd.id, kind: 'spiffe_jwt', subject: 'spiffe://their.test/a' });
    expect((await call('POST', `/api/v1/manage/agents/${theirAgent.id}/identities`, adminToken, { trustDomainId: tdId, kind: 'spiffe_jwt', subject: 'spiffe://manage.test/x' })).status).toBe(404);
    expect((await call('POST', `/api/v1/manage/identities/${theirs.id}/status`, adminToken, { status: 'disabled' })).status).toBe(404);
    expect((await call('DELETE', `/api/v1/manage/identities/${theirs.id}`, adminToken)).status).toBe(404);
    expect(await db().workloadIdentity.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ status: 'active', agentId: theirAgent.id });
    expect(await db().workloadIdentity.count({ where: { agentId: theirAgent.id } })).toBe(1);
  });
});

describe('/api/v1/manage body rules', () => {
  it('415 for a non-JSON body, 400 for a missing or malformed body, 404 problem for an unknown path; nothing written', async () => {
    const adminToken = (await createApiToken(t.ctx('admin'), { name: 'body-rules' })).token;
    const before = await db().agent.count({ where: { tenantId: t.tenantId } });
    const text = await fetch(api.url + '/api/v1/manage/agents', { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'text/plain' }, body: 'name=x' });
    expect(text.status).toBe(415);
    // no body where one is required: the schema names the missing field
    const empty = await call('POST', '/api/v1/manage/agents', adminToken, undefined);
    expect(empty.status).toBe(400);
    expect((await empty.json()).invalidParams[0].name).toBe('name');
    const broken = await fetch(api.url + '/api/v1/manage/agents', { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: '{"name":' });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toContain('application/problem+json');
    const unknown = await call('GET', '/api/v1/manage/nothing-here', adminToken);
    expect(unknown.status).toBe(404);
    expect(await db().agent.count({ where: { tenantId: t.tenantId } })).toBe(before);
  });
});

describe('/api/v1/manage in the OpenAPI document', () => {
  // every console operation on these resources (issue 4 item 8); a route missing here or from
  // the document fails
  const OPERATIONS = [
    'get /api/v1/manage/trust-domains',
    'post /api/v1/manage/trust-domains',
    'post /api/v1/manage/trust-domains/test-fetch',
    'get /api/v1/manage/trust-domains/{id}',
    'patch /api/v1/manage/trust-domains/{id}',
    'delete /api/v1/manage/trust-domains/{id}',
    'get /api/v1/manage/servers',
    'post /api/v1/manage/servers',
    'get /api/v1/manage/servers/{id}',
    'patch /api/v1/manage/servers/{id}',
    'post /api/v1/manage/servers/{id}/status',
    'get /api/v1/manage/servers/{id}/keys',
    'post /api/v1/manage/servers/{id}/keys',
    'post /api/v1/manage/server-keys/{id}/revoke',
    'get /api/v1/manage/tools',
    'post /api/v1/manage/tools',
    'get /api/v1/manage/tools/{id}',
    'patch /api/v1/manage/tools/{id}',
    'post /api/v1/manage/tools/{id}/classify',
    'post /api/v1/manage/tools/{id}/status',
    'post /api/v1/manage/tools/{id}/review-definition',
    'get /api/v1/manage/tools/{id}/versions',
    'post /api/v1/manage/tools/{id}/owners',
    'delete /api/v1/manage/tools/{id}/owners/{userId}',
    'get /api/v1/manage/tools/{id}/grant-policy',
    'get /api/v1/manage/agents',
    'post /api/v1/manage/agents',
    'get /api/v1/manage/agents/{id}',
    'patch /api/v1/manage/agents/{id}',
    'delete /api/v1/manage/agents/{id}',
    'post /api/v1/manage/agents/{id}/status',
    'get /api/v1/manage/agents/{id}/grants',
    'post /api/v1/manage/agents/{id}/identities',
    'post /api/v1/manage/identities/{id}/status',
    'delete /api/v1/manage/identities/{id}',
    'get /api/v1/manage/grants',
    'post /api/v1/manage/grants',
    'post /api/v1/manage/grants/bulk',
    'post /api/v1/manage/grants/validate-condition',
    'get /api/v1/manage/grants/matrix',
    'get /api/v1/manage/grants/{id}',
    'patch /api/v1/manage/grants/{id}',
    'post /api/v1/manage/grants/{id}/revoke',
    'get /api/v1/manage/deny-rules',
    'post /api/v1/manage/deny-rules',
    'delete /api/v1/manage/deny-rules/{id}',
  ];

  it('documents every management operation, each with the personal token scheme and its error statuses', async () => {
    const doc = await (await call('GET', '/api/v1/openapi.json', null)).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith('/api/v1/manage/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`));
    expect(documented.sort()).toEqual([...OPERATIONS].sort());
    for (const op of OPERATIONS) {
      const [method, path] = op.split(' ');
      const spec = doc.paths[path][method];
      expect([op, spec.security]).toEqual([op, [{ personalToken: [] }]]);
      expect([op, Object.keys(spec.responses).sort()]).toEqual([op, expect.arrayContaining(['400', '401', '403', '404'])]);
    }
    // request bodies are the domains' real schemas, not "any"
    const grantBody = doc.paths['/api/v1/manage/grants'].post.requestBody.content['application/json'].schema;
    expect(grantBody.required).toEqual(expect.arrayContaining(['agentId', 'toolId', 'actions']));
    expect(grantBody.properties.actions.items.enum).toEqual(['read', 'write', 'admin', 'export']);
    const grantQuery = doc.paths['/api/v1/manage/grants'].get.parameters.map((p: { name: string }) => p.name);
    expect(grantQuery).toEqual(expect.arrayContaining(['agentId', 'toolId', 'serverId', 'risk', 'kind', 'status', 'expiringWithinHours', 'cursor', 'limit']));
  });

  it('every route the app serves under /api/v1/manage is in the document', async () => {
    const app = createMachineApi(api.runtime);
    const served = new Set(
      app.routes
        .filter((r) => r.path.startsWith('/api/v1/manage/') && r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`),
    );
    expect([...served].sort()).toEqual([...OPERATIONS].sort());
  });
});
