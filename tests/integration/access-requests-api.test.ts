import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import type { ServiceContext } from '../../lib/context';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import {
  completeAccessRequest,
  createAgentAccessRequest,
  getAccessRequestForServer,
  waitForAccessRequest,
} from '../../lib/requests/agent-requests';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';

type Server = { id: string; name: string };
type Tool = { id: string; name: string };

let t: TenantFixture;
let other: TenantFixture;
let serverA: Server;
let serverB: Server;
let theirServer: Server;
let highTool: Tool; // on A, classified high (max 8 h)
let overrideTool: Tool; // on A, medium, with a per-tool policy override (max 600 s)
let unclassifiedTool: Tool;
let disabledTool: Tool;
let toolB: Tool; // on B
let agentId: string;
let suspendedAgentId: string;

const suffix = () => randomBytes(3).toString('hex');

function serverCtx(tenantId: string, server: Server): ServiceContext {
  return {
    tenantId,
    actor: { type: 'server', id: server.id, label: server.name },
    requestMeta: { ip: '127.0.0.1', userAgent: 'vitest', requestId: `test-${suffix()}` },
  };
}
const ctxA = () => serverCtx(t.tenantId, serverA);
const ctxB = () => serverCtx(t.tenantId, serverB);

async function createServer(tenantId: string, name: string): Promise<Server> {
  return db().mcpServer.create({ data: { id: newId('server'), tenantId, name, audience: `https://${name}.example.test` } });
}

async function createTool(tenantId: string, serverId: string, name: string, data: { status: 'unclassified' | 'active' | 'disabled'; risk?: 'low' | 'medium' | 'high' | 'critical' }): Promise<Tool> {
  return db().tool.create({ data: { id: newId('tool'), tenantId, serverId, name, definitionHash: 'x', status: data.status, risk: data.risk ?? null } });
}

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => null, (e) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const valid = (extra: Record<string, unknown> = {}) => ({
  tool: highTool.name,
  actions: ['write'],
  durationSeconds: 900,
  justification: 'Refund for ticket T-1234 approved by support lead',
  taskId: `task-${suffix()}`,
  ...extra,
});

const who = (extra: Partial<{ agentId: string; onBehalfOf: string | null }> = {}) => ({ serverId: serverA.id, agentId, onBehalfOf: 'alice@acme.test', ...extra });

async function counts(tenantId = t.tenantId) {
  const [requests, audit, grants] = await Promise.all([
    db().accessRequest.count({ where: { tenantId } }),
    db().auditEvent.count({ where: { tenantId } }),
    db().grant.count({ where: { tenantId, revokedAt: null } }),
  ]);
  return { requests, audit, grants };
}

/** What the console's approval does, done directly: an approved request with its jit grant. */
async function approve(requestId: string, grantSeconds = 3600) {
  const req = await db().accessRequest.findUniqueOrThrow({ where: { id: requestId } });
  const grant = await db().grant.create({
    data: {
      id: newId('grant'),
      tenantId: req.tenantId,
      agentId: req.agentId,
      toolId: req.toolId,
      kind: 'jit',
      actions: req.actions,
      expiresAt: new Date(Date.now() + grantSeconds * 1000),
      sourceRequestId: req.id,
    },
  });
  await db().accessRequest.update({ where: { id: requestId }, data: { status: 'approved', decidedAt: new Date(), grantId: grant.id } });
  return grant;
}

beforeAll(async () => {
  t = await createTenantFixture('areq');
  other = await createTenantFixture('areq-other');
  serverA = await createServer(t.tenantId, `a-${suffix()}`);
  serverB = await createServer(t.tenantId, `b-${suffix()}`);
  theirServer = await createServer(other.tenantId, `c-${suffix()}`);
  highTool = await createTool(t.tenantId, serverA.id, 'create_refund', { status: 'active', risk: 'high' });
  overrideTool = await createTool(t.tenantId, serverA.id, 'export_ledger', { status: 'active', risk: 'medium' });
  await db().approvalPolicy.create({
    data: { id: newId('approvalPolicy'), tenantId: t.tenantId, risk: 'medium', toolId: overrideTool.id, standingAllowed: false, approvalsRequired: 1, approvers: 'owners', maxDurationSeconds: 600, requestExpirySeconds: 120 },
  });
  unclassifiedTool = await createTool(t.tenantId, serverA.id, 'new_tool', { status: 'unclassified' });
  disabledTool = await createTool(t.tenantId, serverA.id, 'old_tool', { status: 'disabled', risk: 'low' });
  toolB = await createTool(t.tenantId, serverB.id, 'b_tool', { status: 'active', risk: 'high' });
  agentId = (await db().agent.create({ data: { id: newId('agent'), tenantId: t.tenantId, name: 'billing-agent' } })).id;
  suspendedAgentId = (await db().agent.create({ data: { id: newId('agent'), tenantId: t.tenantId, name: 'suspended-agent', status: 'suspended' } })).id;
});
afterAll(disconnectDb);

describe('POST /access-requests (createAgentAccessRequest)', () => {
  it('creates a pending request (201 shape) and audits it', async () => {
    const before = Date.now();
    const input = valid({ actions: ['write', 'read'], resource: 'account:1234' });
    const res = await createAgentAccessRequest(ctxA(), who(), input);
    expect(res).toEqual({ id: expect.stringMatching(/^req_/), status: 'pending', expiresAt: expect.any(String), existing: false });
    // the tenant default for high risk: expires after the default 24 h
    const expiresIn = Date.parse(res.expiresAt) - before;
    expect(expiresIn).toBeGreaterThanOrEqual(86_400_000 - 1000);
    expect(expiresIn).toBeLessThanOrEqual(86_400_000 + 10_000);

    const row = await db().accessRequest.findUniqueOrThrow({ where: { id: res.id } });
    expect(row).toMatchObject({
      tenantId: t.tenantId,
      agentId,
      toolId: highTool.id,
      actions: ['write', 'read'],
      resource: 'account:1234',
      durationSeconds: 900,
      taskId: input.taskId,
      onBehalfOf: 'alice@acme.test',
      requestedByServerId: serverA.id,
      requestedByUserId: null,
      status: 'pending',
    });
    const events = await auditEventsFor(t.tenantId, res.id);
    expect(events.map((e) => e.event)).toEqual(['access_request.created']);
    expect(events[0]).toMatchObject({ actorType: 'server', actorId: serverA.id });
  });

  it('uses the per-tool policy override for the maximum duration and the request expiry', async () => {
    const before = Date.now();
    const ok = await createAgentAccessRequest(ctxA(), who(), valid({ tool: overrideTool.name, durationSeconds: 600 }));
    expect(Date.parse(ok.expiresAt) - before).toBeLessThan(130_000);
    const err = await errorOf(createAgentAccessRequest(ctxA(), who(), valid({ tool: overrideTool.name, durationSeconds: 601 })));
    expect(err.code).toBe('invalid_request');
    expect(err.invalidParams?.[0]).toMatchObject({ name: 'durationSeconds', reason: expect.stringContaining('600') });
  });

  it('refuses a duration above the policy maximum with 400 naming durationSeconds, writing nothing', async () => {
    const before = await counts();
    const err = await errorOf(createAgentAccessRequest(ctxA(), who(), valid({ durationSeconds: 8 * 3600 + 1 })));
    expect(err.code).toBe('invalid_request');
    expect(err.status).toBe(400);
    expect(err.invalidParams).toEqual([{ name: 'durationSeconds', reason: expect.stringContaining('28800') }]);
    expect(err.message).toContain('28800');
    // and the schema's absolute bounds
    for (const durationSeconds of [59, 30 * 86_400 + 1, 1.5]) {
      const e = await errorOf(createAgentAccessRequest(ctxA(), who(), valid({ durationSeconds })));
      expect(e.invalidParams?.map((p) => p.name)).toEqual(['durationSeconds']);
    }
    expect(await counts()).toEqual(before);
  });

  it('validates the body: actions, justification, resource, taskId', async () => {
    const before = await counts();
    const cases: [Record<string, unknown>, string][] = [
      [{ actions: [] }, 'actions'],
      [{ actions: ['write', 'write'] }, 'actions'],
      [{ actions: ['delete'] }, 'actions.0'],
      [{ justification: 'too short' }, 'justification'],
      [{ justification: 'x'.repeat(2001) }, 'justification'],
      [{ resource: 'r'.repeat(513) }, 'resource'],
      [{ taskId: 't'.repeat(201) }, 'taskId'],
      [{ tool: 'bad name!' }, 'tool'],
    ];
    for (const [patch, field] of cases) {
      const e = await errorOf(createAgentAccessRequest(ctxA(), who(), valid(patch)));
      expect(e.code).toBe('invalid_request');
      expect(e.invalidParams?.map((p) => p.name)).toContain(field);
    }
    expect(await counts()).toEqual(before);
  });

  it('an unknown tool, or a tool of another server, is not found', async () => {
    const before = await counts();
    expect((await errorOf(createAgentAccessRequest(ctxA(), who(), valid({ tool: 'no_such_tool' })))).code).toBe('not_found');
    expect((await errorOf(createAgentAccessRequest(ctxA(), who(), valid({ tool: toolB.name })))).code).toBe('not_found');
    expect(await counts()).toEqual(before);
  });

  it('refuses unclassified and disabled tools with a clear 400', async () => {
    const u = await errorOf(createAgentAccessRequest(ctxA(), who(), valid({ tool: unclassifiedTool.name })));
    expect(u.code).toBe('invalid_request');
    expect(u.message).toMatch(/not classified/);
    expect(u.invalidParams?.[0].name).toBe('tool');
    const d = await errorOf(createAgentAccessRequest(ctxA(), who(), valid({ tool: disabledTool.name })));
    expect(d.code).toBe('invalid_request');
    expect(d.message).toMatch(/disabled/);
  });

  it('refuses unknown and suspended agents', async () => {
    expect((await errorOf(createAgentAccessRequest(ctxA(), who({ agentId: 'agt_missing' }), valid()))).code).toBe('not_found');
    expect((await errorOf(createAgentAccessRequest(ctxA(), who({ agentId: suspendedAgentId }), valid()))).code).toBe('forbidden');
  });

  it('a duplicate pending request for the same agent, tool and task returns the existing one', async () => {
    const input = valid();
    const first = await createAgentAccessRequest(ctxA(), who(), input);
    const before = await counts();
    const [again, concurrent] = await Promise.all([
      createAgentAccessRequest(ctxA(), who(), input),
      createAgentAccessRequest(ctxA(), who(), { ...input, justification: 'A retry with different words, same task' }),
    ]);
    expect(again).toEqual({ ...first, existing: true });
    expect(concurrent).toEqual({ ...first, existing: true });
    expect(await counts()).toEqual(before);
    // another task is another request
    const otherTask = await createAgentAccessRequest(ctxA(), who(), { ...input, taskId: `task-${suffix()}` });
    expect(otherTask.id).not.toBe(first.id);
    expect(otherTask.existing).toBe(false);
  });

  it('a pending duplicate past its expiry is expired and a new request is filed', async () => {
    const input = valid();
    const first = await createAgentAccessRequest(ctxA(), who(), input);
    await db().accessRequest.update({ where: { id: first.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const second = await createAgentAccessRequest(ctxA(), who(), input);
    expect(second.id).not.toBe(first.id);
    expect((await db().accessRequest.findUniqueOrThrow({ where: { id: first.id } })).status).toBe('expired');
    expect((await auditEventsFor(t.tenantId, first.id)).map((e) => e.event)).toEqual(['access_request.created', 'access_request.expired']);
  });

  it('only the server itself may file through its id', async () => {
    expect((await errorOf(createAgentAccessRequest(ctxB(), who(), valid()))).code).toBe('not_found');
  });
});

describe('GET /access-requests/{id} (getAccessRequestForServer)', () => {
  it('returns the state to the filing server', async () => {
    const created = await createAgentAccessRequest(ctxA(), who(), valid());
    const state = await getAccessRequestForServer(ctxA(), serverA.id, created.id);
    expect(state).toEqual({ id: created.id, status: 'pending', expiresAt: created.expiresAt });
  });

  it('another server of the same tenant, for an unrelated tool, gets not_found', async () => {
    const created = await createAgentAccessRequest(ctxA(), who(), valid());
    expect((await errorOf(getAccessRequestForServer(ctxB(), serverB.id, created.id))).code).toBe('not_found');
    expect((await errorOf(waitForAccessRequest(ctxB(), serverB.id, created.id, 1))).code).toBe('not_found');
    expect((await errorOf(completeAccessRequest(ctxB(), serverB.id, created.id))).code).toBe('not_found');
    // a key of B naming A's id in the path is not A either
    expect((await errorOf(getAccessRequestForServer(ctxB(), serverA.id, created.id))).code).toBe('not_found');
    expect((await db().accessRequest.findUniqueOrThrow({ where: { id: created.id } })).status).toBe('pending');
  });

  it("another tenant's server gets not_found", async () => {
    const created = await createAgentAccessRequest(ctxA(), who(), valid());
    expect((await errorOf(getAccessRequestForServer(serverCtx(other.tenantId, theirServer), theirServer.id, created.id))).code).toBe('not_found');
    // even with a context claiming the right server id but the wrong tenant
    expect((await errorOf(getAccessRequestForServer(serverCtx(other.tenantId, serverA), serverA.id, created.id))).code).toBe('not_found');
  });

  it('a server sees requests for its own tools filed elsewhere (console)', async () => {
    const req = await db().accessRequest.create({
      data: {
        id: newId('request'),
        tenantId: t.tenantId,
        agentId,
        toolId: toolB.id,
        actions: ['read'],
        durationSeconds: 600,
        justification: 'filed by a member in the console',
        requestedByUserId: t.users.member.id,
        expiresAt: new Date(Date.now() + 3600_000),
      },
    });
    expect((await getAccessRequestForServer(ctxB(), serverB.id, req.id)).status).toBe('pending');
    expect((await errorOf(getAccessRequestForServer(ctxA(), serverA.id, req.id))).code).toBe('not_found');
  });

  it('expires lazily, with exactly one audit event even when reads race', async () => {
    const created = await createAgentAccessRequest(ctxA(), who(), valid());
    await db().accessRequest.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const states = await Promise.all(Array.from({ length: 4 }, () => getAccessRequestForServer(ctxA(), serverA.id, created.id)));
    expect(states.map((s) => s.status)).toEqual(['expired', 'expired', 'expired', 'expired']);
    const events = (await auditEventsFor(t.tenantId, created.id)).map((e) => e.event);
    expect(events).toEqual(['access_request.created', 'access_request.expired']);
    // later reads change nothing
    await getAccessRequestForServer(ctxA(), serverA.id, created.id);
    expect((await auditEventsFor(t.tenantId, created.id)).length).toBe(2);
  });

  it('reports the grant of an approved request', async () => {
    const created = await createAgentAccessRequest(ctxA(), who(), valid());
    const grant = await approve(created.id);
    const state = await getAccessRequestForServer(ctxA(), serverA.id, created.id);
    expect(state).toMatchObject({ status: 'approved', grantId: grant.id, grantExpiresAt: grant.expiresAt!.toISOString(), decidedAt: expect.any(String) });
    expect(state.grantRevokedAt).toBeUndefined();
  });
});

describe('long poll (waitForAccessRequest)', () => {
  it('returns as soon as the status changes, well before the wait limit', async () => {
    const created = await createAgentAccessRequest(ctxA(), who(), valid());
    const started = Date.now();
    const timer = setTimeout(() => void approve(created.id), 300);
    try {
      const state = await waitForAccessRequest(ctxA(), serverA.id, created.id, 10);
      const elapsed = Date.now() - started;
      expect(state.status).toBe('approved');
      expect(state.grantId).toMatch(/^gnt_/);
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(2000);
    } finally {
      clearTimeout(timer);
    }
  });

  it('returns pending when the wait runs out', async () => {
    const created = await createAgentAccessRequest(ctxA(), who(), valid());
    const started = Date.now();
    const state = await waitForAccessRequest(ctxA(), serverA.id, created.id, 0.6, { pollMs: 100 });
    const elapsed = Date.now() - started;
    expect(state.status).toBe('pending');
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(2000);
  });

  it('stops early when the client goes away', async () => {
    const created = await createAgentAccessRequest(ctxA(), who(), valid());
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const started = Date.now();
    const state = await waitForAccessRequest(ctxA(), serverA.id, created.id, 30, { signal: ac.signal });
    expect(state.status).toBe('pending');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('answers expired when the request expires during the wait', async () => {
    const created = await createAgentAccessRequest(ctxA(), who(), valid());
    await db().accessRequest.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() + 300) } });
    const state = await waitForAccessRequest(ctxA(), serverA.id, created.id, 5, { pollMs: 50 });
    expect(state.status).toBe('expired');
  });
});

describe('POST /access-requests/{id}/complete (completeAccessRequest)', () => {
  it('revokes the linked grant now and marks the request completed; a second call changes nothing', async () => {
    const created = await createAgentAccessRequest(ctxA(), who(), valid());
    const grant = await approve(created.id);
    const state = await completeAccessRequest(ctxA(), serverA.id, created.id);
    expect(state).toMatchObject({ id: created.id, status: 'approved', grantId: grant.id, completedAt: expect.any(String), grantRevokedAt: expect.any(String) });

    const g = await db().grant.findUniqueOrThrow({ where: { id: grant.id } });
    expect(g.revokedAt).not.toBeNull();
    expect(g.revokedById).toBeNull();
    expect(g.revokeReason).toBe('task completed');
    expect((await auditEventsFor(t.tenantId, grant.id)).map((e) => e.event)).toEqual(['grant.revoked']);
    expect((await auditEventsFor(t.tenantId, created.id)).map((e) => e.event)).toEqual(['access_request.created', 'access_request.completed']);

    const before = await counts();
    const again = await completeAccessRequest(ctxA(), serverA.id, created.id);
    expect(again).toEqual(state);
    expect(await counts()).toEqual(before);
  });

  it('concurrent completes revoke once', async () => {
    const created = await createAgentAccessRequest(ctxA(), who(), valid());
    const grant = await approve(created.id);
    await Promise.all([completeAccessRequest(ctxA(), serverA.id, created.id), completeAccessRequest(ctxA(), serverA.id, created.id)]);
    expect((await auditEventsFor(t.tenantId, grant.id)).map((e) => e.event)).toEqual(['grant.revoked']);
    expect((await auditEventsFor(t.tenantId, created.id)).map((e) => e.event)).toEqual(['access_request.created', 'access_request.completed']);
  });

  it('cancels a pending request', async () => {
    const created = await createAgentAccessRequest(ctxA(), who(), valid());
    const state = await completeAccessRequest(ctxA(), serverA.id, created.id);
    expect(state).toMatchObject({ status: 'cancelled', completedAt: expect.any(String) });
    expect((await auditEventsFor(t.tenantId, created.id)).map((e) => e.event)).toEqual(['access_request.created', 'access_request.cancelled']);
    // a cancelled request no longer blocks a new one for the same task
    expect((await createAgentAccessRequest(ctxA(), who(), valid({ taskId: (await db().accessRequest.findUniqueOrThrow({ where: { id: created.id } })).taskId }))).existing).toBe(false);
  });

  it('leaves denied and expired requests as they are', async () => {
    const denied = await createAgentAccessRequest(ctxA(), who(), valid());
    await db().accessRequest.update({ where: { id: denied.id }, data: { status: 'denied', decidedAt: new Date() } });
    const expired = await createAgentAccessRequest(ctxA(), who(), valid());
    await db().accessRequest.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await getAccessRequestForServer(ctxA(), serverA.id, expired.id);
    const before = await counts();
    expect((await completeAccessRequest(ctxA(), serverA.id, denied.id)).status).toBe('denied');
    expect((await completeAccessRequest(ctxA(), serverA.id, expired.id)).status).toBe('expired');
    expect(await counts()).toEqual(before);
  });

  it('a pending request past its expiry is expired, not cancelled', async () => {
    const created = await createAgentAccessRequest(ctxA(), who(), valid());
    await db().accessRequest.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await completeAccessRequest(ctxA(), serverA.id, created.id)).status).toBe('expired');
    expect((await auditEventsFor(t.tenantId, created.id)).map((e) => e.event)).toEqual(['access_request.created', 'access_request.expired']);
  });
});
