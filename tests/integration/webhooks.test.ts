import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { decideRequest } from '../../lib/requests/approvals';
import { createBreakGlassGrant } from '../../lib/requests/break-glass';
import { createConsoleAccessRequest } from '../../lib/requests/console-requests';
import { expirePendingRequests } from '../../lib/requests/expiry';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from '../../lib/webhooks/sign';
import {
  createWebhook,
  deleteWebhook,
  listWebhookDeliveries,
  listWebhooks,
  retryWebhookDelivery,
  sendTestWebhook,
  updateWebhook,
} from '../../lib/webhooks/service';
import { deliverDueWebhooks, retryDelayMs, startWebhookWorker } from '../../lib/webhooks/worker';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';
import { addPerson, errorOf, fixturePerson, makeAgent, makeOwner, makeServer, makeTool, type Person } from './approval-fixtures';
import { within } from './api-harness';

// Webhook deliveries to a real HTTP receiver on 127.0.0.1: signed, retried with backoff, logged,
// and never in the way of the request flow.

interface Received {
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
}

let t: TenantFixture;
let other: TenantFixture;
let receiver: http.Server;
let url: string;
let received: Received[] = [];
/** answer this many requests with 500 before succeeding */
let failNext = 0;
let tool: string;
let agent: string;
let owner: Person;
let agentOwner: Person;
let security: Person;
let admin: Person;

const SECRET = 'whsec_integration_test_secret_0123456789';
const FAST = { baseDelayMs: 30, maxDelayMs: 200, timeoutMs: 2000 };

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end('receiver down');
        return;
      }
      received.push({ headers: req.headers, raw, body: JSON.parse(raw) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/toolwarden`;

  t = await createTenantFixture('hooks');
  other = await createTenantFixture('hooks-other');
  const server = await makeServer(t, 'billing');
  tool = await makeTool(t, server, 'update_invoice', 'medium');
  owner = await addPerson(t, 'owner', 'member');
  agentOwner = await addPerson(t, 'agent-owner', 'member');
  security = fixturePerson(t, 'security');
  admin = fixturePerson(t, 'admin');
  await makeOwner(t, tool, owner.id);
  agent = await makeAgent(t, 'billing-agent', agentOwner.id);
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((r) => receiver.close(() => r()));
  await disconnectDb();
});
beforeEach(async () => {
  received = [];
  failNext = 0;
  // each test starts with an empty queue in this tenant (other tenants' rows are not ours to touch)
  await db().webhookDelivery.updateMany({ where: { tenantId: t.tenantId, status: 'pending' }, data: { status: 'cancelled' } });
  await db().webhook.updateMany({ where: { tenantId: t.tenantId }, data: { active: false } });
});

let n = 0;
const fileRequest = () =>
  createConsoleAccessRequest(agentOwner.ctx(), { agentId: agent, toolId: tool, actions: ['write'], durationSeconds: 600, justification: 'Correct invoice INV-1 lines', taskId: `hook-${n++}` });

/** Runs delivery passes until the tenant has no due deliveries left (or the time is up). */
async function drain(opts = FAST) {
  for (let i = 0; i < 20; i++) {
    await deliverDueWebhooks(opts);
    const due = await db().webhookDelivery.count({ where: { tenantId: t.tenantId, status: 'pending', nextAttemptAt: { lte: new Date() } } });
    if (due === 0) return;
  }
}

describe('configuring webhooks', () => {
  it('admins only; http(s) URLs only; the secret is shown once and never read back', async () => {
    expect((await errorOf(createWebhook(security.ctx(), { url }))).code).toBe('forbidden');
    for (const bad of ['ftp://example.test/x', 'javascript:alert(1)', 'file:///etc/passwd', 'not a url', 'https://user:pw@example.test/']) {
      const err = await errorOf(createWebhook(admin.ctx(), { url: bad }));
      expect(err.code, bad).toBe('invalid_request');
      expect(err.invalidParams?.[0]?.name).toBe('url');
    }
    const created = await createWebhook(admin.ctx(), { url, events: ['access_request.created'] });
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.secretGenerated).toBe(true);
    const list = await listWebhooks(admin.ctx());
    expect(JSON.stringify(list)).not.toContain(created.secret);
    const events = await auditEventsFor(t.tenantId, created.id);
    expect(events.map((e) => e.event)).toEqual(['webhook.created']);
    expect(JSON.stringify(events[0]!.after)).not.toContain(created.secret);
    expect((await errorOf(updateWebhook(other.ctx('admin'), created.id, { active: false }))).code).toBe('not_found');
    await deleteWebhook(admin.ctx(), created.id);
  });
});

describe('deliveries', () => {
  it('a request created in the console reaches the receiver, signed with HMAC-SHA256 over the raw body', async () => {
    const hook = await createWebhook(admin.ctx(), { url, secret: SECRET, events: ['access_request.created', 'access_request.decided'] });
    const r = await fileRequest();
    // queued in the request's own transaction
    const queued = await db().webhookDelivery.findMany({ where: { webhookId: hook.id } });
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ event: 'access_request.created', status: 'pending' });

    await drain();
    expect(received).toHaveLength(1);
    const got = received[0]!;
    expect(verifyWebhookSignature(SECRET, got.raw, got.headers[SIGNATURE_HEADER.toLowerCase()] as string)).toBe(true);
    expect(verifyWebhookSignature('another-secret-entirely', got.raw, got.headers[SIGNATURE_HEADER.toLowerCase()] as string)).toBe(false);
    expect(verifyWebhookSignature(SECRET, got.raw + ' ', got.headers[SIGNATURE_HEADER.toLowerCase()] as string)).toBe(false);
    const ts = Number(got.headers[TIMESTAMP_HEADER.toLowerCase()]);
    expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(60);
    expect(got.headers['x-toolwarden-event']).toBe('access_request.created');
    // Slack-compatible: a text line plus details
    expect(got.body.text).toEqual(expect.stringContaining('billing-agent'));
    expect(got.body).toMatchObject({ event: 'access_request.created', request: { id: r.id, agent: 'billing-agent', tool: 'update_invoice', status: 'pending' } });
    const row = await db().webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } });
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, responseStatus: 204 });

    // the decision is notified too
    received = [];
    await decideRequest(owner.ctx(), r.id, { verdict: 'approve', comment: 'fine' });
    await drain();
    expect(received.map((x) => x.body.event)).toEqual(['access_request.decided']);
    expect(received[0]!.body).toMatchObject({ request: { id: r.id, status: 'approved' }, grant: { kind: 'jit' } });
  });

  it('a failing receiver is retried with backoff until it answers; every attempt is logged', async () => {
    const hook = await createWebhook(admin.ctx(), { url, secret: SECRET, events: ['access_request.created'] });
    failNext = 2;
    await fileRequest();
    const before = Date.now();
    await deliverDueWebhooks(FAST);
    let row = await db().webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } });
    expect(row).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 500 });
    expect(row.lastError).toContain('HTTP 500');
    // backed off: the next attempt is at least base·0.8 after the failed one
    expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 24);
    await within(3000, async () => {
      await deliverDueWebhooks(FAST);
      return (await db().webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } })).status === 'delivered';
    });
    row = await db().webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } });
    expect(row.attempts).toBe(3);
    expect(received).toHaveLength(1);
    const log = await listWebhookDeliveries(admin.ctx(), { webhookId: hook.id });
    expect(log.items[0]).toMatchObject({ status: 'delivered', attempts: 3, event: 'access_request.created' });
  });

  it('gives up after the last attempt; an admin can put it back in the queue', async () => {
    const hook = await createWebhook(admin.ctx(), { url, secret: SECRET, events: ['access_request.created'] });
    failNext = 100;
    await fileRequest();
    await within(5000, async () => {
      await deliverDueWebhooks({ ...FAST, maxAttempts: 3 });
      return (await db().webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } })).status === 'failed';
    });
    const row = await db().webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } });
    expect(row.attempts).toBe(3);
    failNext = 0;
    await retryWebhookDelivery(admin.ctx(), row.id);
    await drain();
    expect((await db().webhookDelivery.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('delivered');
    expect((await errorOf(retryWebhookDelivery(admin.ctx(), row.id))).code).toBe('conflict');
  });

  it('an unreachable receiver never affects the request flow', async () => {
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
    const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/`;
    await new Promise<void>((r) => dead.close(() => r()));
    const hook = await createWebhook(admin.ctx(), { url: deadUrl, secret: SECRET, events: ['access_request.created', 'access_request.decided'] });
    const r = await fileRequest();
    await deliverDueWebhooks(FAST);
    const res = await decideRequest(owner.ctx(), r.id, { verdict: 'approve', comment: 'ok' });
    expect(res.status).toBe('approved');
    await deliverDueWebhooks(FAST);
    const rows = await db().webhookDelivery.findMany({ where: { webhookId: hook.id } });
    expect(rows.length).toBe(2);
    for (const d of rows) expect(d.lastError ?? '').toMatch(/Could not deliver/);
  });

  it('only subscribed events are sent: expiry and break-glass each to their subscribers', async () => {
    const expiredHook = await createWebhook(admin.ctx(), { url, secret: SECRET, events: ['access_request.expired'] });
    const bgHook = await createWebhook(admin.ctx(), { url, secret: SECRET, events: ['break_glass.used', 'review.due'] });
    const r = await fileRequest();
    expect(await db().webhookDelivery.count({ where: { webhookId: { in: [expiredHook.id, bgHook.id] } } })).toBe(0);
    await db().accessRequest.update({ where: { id: r.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expirePendingRequests();
    await createBreakGlassGrant(security.ctx(), { agentId: agent, toolId: tool, actions: ['write'], durationSeconds: 600, justification: 'Invoice run is stuck; finance close tonight' });
    await drain();
    const events = received.map((x) => x.body.event).sort();
    expect(events).toEqual(['access_request.expired', 'break_glass.used', 'review.due']);
    const bg = received.find((x) => x.body.event === 'break_glass.used')!;
    expect(bg.body.text).toEqual(expect.stringContaining('Break-glass'));
  });

  it('a test delivery goes to that webhook only; deleting a webhook cancels what it had queued', async () => {
    const a = await createWebhook(admin.ctx(), { url, secret: SECRET, events: ['access_request.created'] });
    const b = await createWebhook(admin.ctx(), { url: url + '?b', secret: SECRET, events: ['access_request.created'] });
    await sendTestWebhook(admin.ctx(), a.id);
    await drain();
    expect(received.map((x) => x.body.event)).toEqual(['webhook.test']);
    await fileRequest();
    await deleteWebhook(admin.ctx(), b.id);
    expect((await db().webhookDelivery.findFirstOrThrow({ where: { webhookId: b.id } })).status).toBe('cancelled');
    expect((await auditEventsFor(t.tenantId, a.id)).map((e) => e.event)).toEqual(['webhook.created', 'webhook.test_sent']);
  });

  it('a rolled-back change notifies nobody', async () => {
    await createWebhook(admin.ctx(), { url, secret: SECRET, events: ['access_request.created'] });
    const before = await db().webhookDelivery.count({ where: { tenantId: t.tenantId } });
    await errorOf(createConsoleAccessRequest(agentOwner.ctx(), { agentId: agent, toolId: tool, actions: ['write'], durationSeconds: 99 * 86_400, justification: 'Correct invoice INV-1 lines' }));
    expect(await db().webhookDelivery.count({ where: { tenantId: t.tenantId } })).toBe(before);
  });

  it('the worker delivers on its own, and two workers never deliver one event twice', async () => {
    await createWebhook(admin.ctx(), { url, secret: SECRET, events: ['access_request.created'] });
    const w1 = startWebhookWorker({ ...FAST, pollMs: 20 });
    const w2 = startWebhookWorker({ ...FAST, pollMs: 20 });
    try {
      for (let i = 0; i < 5; i++) await fileRequest();
      await within(5000, async () => received.length >= 5);
      await new Promise((r) => setTimeout(r, 200));
      expect(received).toHaveLength(5);
      expect(new Set(received.map((x) => x.body.deliveryId)).size).toBe(5);
    } finally {
      await Promise.all([w1.stop(), w2.stop()]);
    }
  });
});

describe('retry delays', () => {
  it('double per attempt, capped, with jitter', () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 0.5)).toBe(1000);
    expect(retryDelayMs(2, 1000, 60_000, () => 0.5)).toBe(2000);
    expect(retryDelayMs(5, 1000, 60_000, () => 0.5)).toBe(16_000);
    expect(retryDelayMs(20, 1000, 60_000, () => 0.5)).toBe(60_000);
    expect(retryDelayMs(1, 1000, 60_000, () => 0)).toBe(800);
    expect(retryDelayMs(1, 1000, 60_000, () => 1)).toBe(1200);
  });
});
