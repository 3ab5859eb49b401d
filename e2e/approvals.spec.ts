import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { addDemoMember, addToolOwner, e2eDatabaseUrl, machineApiCredentials, signIn, sql, TENANT } from './helpers';

// The approval loop end to end, with a real browser and the real machine API: billing-agent is
// denied the critical create_refund (approval_required) and files an access request; its owner
// cannot approve it (four eyes); a second tool owner and security approve it in the console; the
// agent's next call is allowed, and denied again once the short grant has expired. A webhook
// receiver configured in the console sees the events, signed.

type Decision = { allow: boolean; authentication: { status: string }; authorization: { reason: string; grantId: string | null } };

async function decide(request: APIRequestContext, key: string, token: string, resource = 'account:42'): Promise<Decision> {
  const res = await request.post('/api/v1/decisions', { headers: { authorization: `Bearer ${key}` }, data: { subject: { token }, tool: 'create_refund', action: 'write', resource } });
  expect(res.status()).toBe(200);
  return (await res.json()) as Decision;
}

async function within(ms: number, fn: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await fn()) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Received {
  raw: string;
  signature: string;
  timestamp: string;
  body: { event: string; text: string; request?: { id: string; status: string } };
}

const SECRET = `whsec_e2e_${randomBytes(12).toString('hex')}`;
let receiver: http.Server;
let receiverUrl: string;
const received: Received[] = [];
let worker: ChildProcess | undefined;

test.beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ raw, signature: String(req.headers['x-toolwarden-signature'] ?? ''), timestamp: String(req.headers['x-toolwarden-timestamp'] ?? ''), body: JSON.parse(raw) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/toolwarden`;
  // the delivery worker, in case the server under test does not run one (two never deliver twice)
  worker = spawn(process.execPath, ['--import', 'tsx', 'e2e/support/webhook-worker.ts'], { env: { ...process.env, DATABASE_URL: e2eDatabaseUrl() }, stdio: 'ignore' });
});

test.afterAll(async () => {
  worker?.kill('SIGTERM');
  receiver.closeAllConnections();
  await new Promise<void>((r) => receiver.close(() => r()));
});

async function asUser(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

test('an agent is denied a critical tool, files a request, two people approve it in the console, the agent is allowed until the grant expires', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const run = randomBytes(3).toString('hex');
  const justification = `Refund for disputed charge on account 42 (e2e ${run})`;

  // a second owner of create_refund: owner@acme.test owns both the agent and the tool
  const owner2 = `owner2-${run}@acme.test`;
  const { userId: owner2Id } = await addDemoMember(owner2, 'member', 'Otto Owner');
  await addToolOwner(owner2Id, 'create_refund', 'billing-mcp');

  // an admin configures the webhook receiver in the console
  const admin = await asUser(browser, 'admin@acme.test');
  await admin.goto(`/t/${TENANT}/settings/webhooks`);
  await admin.getByRole('button', { name: 'New webhook' }).click();
  await admin.getByLabel('URL').fill(receiverUrl);
  await admin.getByLabel('Signing secret').fill(SECRET);
  await admin.getByRole('button', { name: 'Add webhook' }).click();
  await expect(admin.getByTestId('webhook-card').filter({ hasText: receiverUrl })).toBeVisible();
  await expect(admin.getByText('Webhook added. It signs deliveries with the secret you entered.')).toBeVisible();

  // 1. the agent is denied: create_refund is critical and it holds no approved grant
  const creds = await machineApiCredentials({ serverName: 'billing-mcp' });
  const token = await creds.mint('billing-agent', 600);
  await within(5000, async () => (await decide(request, creds.key, token)).authentication.status === 'verified');
  const denied = await decide(request, creds.key, token);
  expect(denied).toMatchObject({ allow: false, authorization: { reason: 'approval_required' } });

  // 2. it files an access request through the machine API
  const filed = await request.post('/api/v1/access-requests', {
    headers: { authorization: `Bearer ${creds.key}` },
    data: { subject: { token }, tool: 'create_refund', actions: ['write'], resource: 'account:*', durationSeconds: 600, justification, taskId: `e2e-${run}` },
  });
  expect(filed.status()).toBe(201);
  const { id } = (await filed.json()) as { id: string };

  // 3. the agent's owner (who also owns the tool) is refused, and told why
  const owner = await asUser(browser, 'owner@acme.test');
  await owner.goto(`/t/${TENANT}/approvals/${id}`);
  await expect(owner.getByTestId('request-status')).toHaveText('pending');
  await expect(owner.getByRole('button', { name: 'Approve', exact: true })).toBeDisabled();
  await expect(owner.getByTestId('approve-blocked-reason')).toHaveText('You own the agent billing-agent: another person must decide its access.');
  // the server refuses it too, not only the disabled button
  const sneaky = await owner.request.post(`/api/console/t/${TENANT}/approvals/${id}`, { data: { verdict: 'approve', comment: 'mine' }, headers: { origin: new URL(owner.url()).origin } });
  expect(sneaky.status()).toBe(403);
  expect(await sql('SELECT 1 FROM "Approval" WHERE "requestId" = $1', [id])).toHaveLength(0);

  // 4. the second tool owner finds it in "Waiting for me" and approves it, narrowed to account:42
  const approver = await asUser(browser, owner2);
  await approver.goto(`/t/${TENANT}/approvals`);
  await expect(approver.getByRole('tab', { name: 'Waiting for me' })).toHaveAttribute('aria-selected', 'true');
  await approver.getByTestId('request-row').filter({ hasText: justification }).getByRole('link').click();
  await expect(approver).toHaveURL(new RegExp(`/approvals/${id}$`));
  await expect(approver.getByTestId('policy-summary')).toContainText('Critical tools: no standing grants; 2 approvals: one by a tool owner and one by security');
  await approver.getByLabel('Approved resource').fill('account:42');
  await approver.getByLabel('Comment').fill('Dispute INC-4471 confirmed with finance');
  await approver.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(approver.getByText('Your approval is recorded: 1 of 2.')).toBeVisible();
  await expect(approver.getByTestId('approval-count')).toHaveText('1 of 2');
  // still pending: one tool owner is not enough for a critical tool
  expect((await decide(request, creds.key, token)).allow).toBe(false);

  // 5. security approves with a short duration; the grant exists at once
  const security = await asUser(browser, 'security@acme.test');
  await security.goto(`/t/${TENANT}/approvals/${id}`);
  await expect(security.getByTestId('approval-vote')).toContainText(`Approved by ${owner2} as tool owner`);
  await expect(security.getByLabel('Approved resource')).toHaveValue('account:42');
  await security.getByLabel('Approved duration', { exact: true }).fill('25');
  await security.getByLabel('Approved duration unit').selectOption('1');
  await security.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(security.getByTestId('request-status')).toHaveText('approved');
  const approvedAt = Date.now();
  await expect(security.getByTestId('request-grant')).toContainText('active');

  // 6. the agent's next decision is allowed (within a second of the approval)
  const took = await within(3000, async () => (await decide(request, creds.key, token)).allow);
  expect(took).toBeLessThan(3000);
  const allowed = await decide(request, creds.key, token);
  expect(allowed.authorization.reason).toBe('granted');
  expect((await decide(request, creds.key, token, 'account:43')).allow).toBe(false);
  const state = await (await request.get(`/api/v1/access-requests/${id}?wait=5`, { headers: { authorization: `Bearer ${creds.key}` } })).json();
  expect(state).toMatchObject({ id, status: 'approved', grantId: allowed.authorization.grantId });
  expect(Date.parse(state.grantExpiresAt) - approvedAt).toBeLessThanOrEqual(26_000);

  const [grant] = await sql<{ kind: string; resourcePatterns: string[]; createdById: string; sourceRequestId: string }>(
    'SELECT kind::text, "resourcePatterns", "createdById", "sourceRequestId" FROM "Grant" WHERE id = $1',
    [allowed.authorization.grantId],
  );
  expect(grant).toMatchObject({ kind: 'jit', resourcePatterns: ['account:42'], sourceRequestId: id });
  const events = await sql<{ event: string; actorLabel: string }>('SELECT event, "actorLabel" FROM "AuditEvent" WHERE "targetId" = $1 ORDER BY seq', [id]);
  expect(events).toEqual([
    { event: 'access_request.created', actorLabel: 'billing-mcp' },
    { event: 'access_request.approval_recorded', actorLabel: owner2 },
    { event: 'access_request.approval_recorded', actorLabel: 'security@acme.test' },
    { event: 'access_request.approved', actorLabel: 'security@acme.test' },
  ]);

  // 7. the grant runs out and the agent is denied again
  await within(40_000, async () => !(await decide(request, creds.key, token)).allow);
  expect((await decide(request, creds.key, token)).authorization.reason).not.toBe('granted');

  // 8. the webhook receiver saw the request created and decided, each signed with the secret
  await within(20_000, async () => received.some((r) => r.body.event === 'access_request.decided' && r.body.request?.id === id));
  const mine = received.filter((r) => r.body.request?.id === id);
  expect(mine.map((r) => r.body.event)).toEqual(expect.arrayContaining(['access_request.created', 'access_request.decided']));
  for (const r of mine) {
    expect(r.signature).toBe('sha256=' + createHmac('sha256', SECRET).update(r.raw).digest('hex'));
    expect(Math.abs(Number(r.timestamp) - Date.now() / 1000)).toBeLessThan(120);
    expect(typeof r.body.text).toBe('string');
  }
  expect(mine.find((r) => r.body.event === 'access_request.decided')!.body.request?.status).toBe('approved');

  // and the admin's delivery log shows them delivered
  await admin.reload();
  await expect(admin.getByTestId('delivery-row').filter({ hasText: 'access_request.decided' }).first().getByTestId('delivery-status')).toHaveText('delivered');

  // 9. the agent's task is done: completing the request ends the grant for good (revoked)
  const done = await request.post(`/api/v1/access-requests/${id}/complete`, { headers: { authorization: `Bearer ${creds.key}` } });
  expect(done.status()).toBe(200);
  expect((await sql<{ revokedAt: Date | null }>('SELECT "revokedAt" FROM "Grant" WHERE id = $1', [allowed.authorization.grantId]))[0].revokedAt).not.toBeNull();
});

test('security uses break-glass; it is flagged, and only a second person can review it', async ({ browser }) => {
  const security = await asUser(browser, 'security@acme.test');
  await security.goto(`/t/${TENANT}/approvals`);
  await security.getByRole('button', { name: 'Break-glass access' }).click();
  const form = security.getByRole('form', { name: 'Break-glass access' });
  await form.getByLabel('Agent').selectOption({ label: 'deploy-agent' });
  await form.getByLabel('Tool').selectOption({ label: 'restart_service · ops-mcp · high risk' });
  await form.getByLabel('Justification').fill('too short');
  await form.getByRole('button', { name: 'Grant break-glass access' }).click();
  await expect(form.getByText(/at least 20 characters/)).toBeVisible();
  await form.getByLabel('Justification').fill('Checkout service wedged after deploy 2291; on-call needs a restart now');
  await form.getByRole('button', { name: 'Grant break-glass access' }).click();
  await expect(security.getByRole('tab', { name: 'Break-glass to review' })).toHaveAttribute('aria-selected', 'true');
  const row = security.getByTestId('break-glass-row').filter({ hasText: 'deploy-agent → restart_service' }).first();
  await expect(row.getByTestId('break-glass-badge')).toHaveText('break-glass');
  await expect(row.getByTestId('review-blocked-reason')).toHaveText('You used this break-glass access: a second person must review it');

  const admin = await asUser(browser, 'admin@acme.test');
  await admin.goto(`/t/${TENANT}/approvals?tab=break-glass`);
  const adminRow = admin.getByTestId('break-glass-row').filter({ hasText: 'deploy-agent → restart_service' }).first();
  await adminRow.getByRole('button', { name: 'Review' }).click();
  await admin.getByLabel('Review note').fill('Deploy 2291 incident confirmed');
  await admin.getByRole('button', { name: 'Record review' }).click();
  await expect(admin.getByText(/Review of deploy-agent → restart_service recorded/)).toBeVisible();
  const [g] = await sql<{ id: string; postReviewedAt: Date | null }>(
    `SELECT g.id, g."postReviewedAt" FROM "Grant" g JOIN "Agent" a ON a.id = g."agentId" WHERE a.name = 'deploy-agent' AND g.kind = 'break_glass' ORDER BY g."createdAt" DESC LIMIT 1`,
  );
  expect(g.postReviewedAt).not.toBeNull();
  expect((await sql<{ event: string }>('SELECT event FROM "AuditEvent" WHERE "targetId" = $1 ORDER BY seq', [g.id])).map((e) => e.event)).toEqual(['grant.break_glass_created', 'grant.post_reviewed']);
});
