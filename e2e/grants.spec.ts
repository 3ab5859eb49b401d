import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { machineApiCredentials, signIn, sql, TENANT } from './helpers';

// Grants as a security engineer uses them: grant, check with the simulator, revoke, and see the
// real decision API follow within a second. Guardrails and an auditor's read-only access.

type Decision = { allow: boolean; authentication: { status: string; reason: string | null }; authorization: { reason: string; grantId: string | null } };

async function decide(request: APIRequestContext, key: string, token: string, body: Record<string, unknown>): Promise<Decision> {
  const res = await request.post('/api/v1/decisions', { headers: { authorization: `Bearer ${key}` }, data: { subject: { token }, ...body } });
  expect(res.status()).toBe(200);
  return (await res.json()) as Decision;
}

/** polls until the predicate holds; returns how long it took */
async function within(ms: number, fn: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await fn()) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function simulate(page: Page, call: { server: string; agent: string; tool: string; action: string; resource?: string; environment?: string }) {
  await page.goto(`/t/${TENANT}/simulator`);
  await page.getByLabel('Server').selectOption({ label: call.server });
  await page.getByLabel('An agent').check();
  await page.getByLabel('Agent', { exact: true }).selectOption({ label: call.agent });
  await page.getByLabel('Tool', { exact: true }).fill(call.tool);
  await page.getByLabel('Action').selectOption(call.action);
  if (call.resource) await page.getByLabel('Resource', { exact: true }).fill(call.resource);
  if (call.environment) await page.getByLabel('Environment', { exact: true }).fill(call.environment);
  await page.getByRole('button', { name: 'Simulate' }).click();
  const result = page.getByRole('region', { name: 'Simulation result' });
  await expect(result).toBeVisible();
  return result;
}

const origin = (page: Page) => ({ origin: new URL(page.url()).origin });

test('security grants support-bot a medium-risk tool, the simulator and the API allow it, and deny within a second of revoking', async ({ page, request }) => {
  const creds = await machineApiCredentials({ serverName: 'billing-mcp' });
  const token = await creds.mint('support-bot');
  const call = { tool: 'update_invoice', action: 'write', resource: 'invoice:7' };
  // the new trust domain key reaches the API with the next policy version
  await within(5000, async () => (await decide(request, creds.key, token, call)).authentication.status === 'verified');
  expect((await decide(request, creds.key, token, call)).authorization.reason).toBe('no_grant');

  await signIn(page, 'security@acme.test');
  await page.goto(`/t/${TENANT}/grants`);
  await page.getByRole('link', { name: 'New grant' }).click();
  await expect(page).toHaveURL(/\/grants\/new$/);
  await page.getByLabel('Tool', { exact: true }).selectOption({ label: 'update_invoice · medium' });
  // the guardrails of a medium tool, before anything is submitted: 30 days at most, pre-filled
  await expect(page.getByTestId('tool-guardrail')).toContainText('may last at most 30 days');
  await expect(page.getByLabel('write', { exact: true })).toBeChecked();
  expect(await page.getByLabel('Expires').inputValue()).not.toBe('');
  await page.getByLabel('Agent', { exact: true }).selectOption({ label: 'support-bot' });
  await page.getByLabel('Resource patterns').fill('invoice:*');
  await page.getByLabel('Justification (optional)').fill('e2e: support corrects invoices');
  await page.getByRole('button', { name: 'Create grant' }).click();
  await expect(page).toHaveURL(/\/grants\/gnt_/);
  await expect(page.getByText('Grant created')).toBeVisible();
  const grantId = /\/grants\/(gnt_[A-Z0-9]+)/.exec(page.url())![1];

  const [row] = await sql<{ kind: string; actions: string[]; expiresAt: Date; createdAt: Date }>(
    'SELECT kind::text, actions::text[] AS actions, "expiresAt", "createdAt" FROM "Grant" WHERE id = $1',
    [grantId],
  );
  expect(row.kind).toBe('standing');
  expect(row.actions).toEqual(['write']);
  expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(30 * 86_400_000 + 120_000);
  expect(await sql('SELECT event, "actorLabel" FROM "AuditEvent" WHERE "targetId" = $1', [grantId])).toEqual([{ event: 'grant.created', actorLabel: 'security@acme.test' }]);

  let result = await simulate(page, { server: 'billing-mcp', agent: 'support-bot', ...call });
  await expect(result.getByTestId('sim-decision')).toHaveText('Allow');
  await expect(result.getByTestId('sim-reason')).toHaveText('granted');
  await expect(result.getByTestId('sim-grant')).toContainText(grantId);
  await within(2000, async () => (await decide(request, creds.key, token, call)).allow);
  expect((await decide(request, creds.key, token, call)).authorization.grantId).toBe(grantId);

  // revoke from the grant's page, by keyboard, with a reason
  await page.goto(`/t/${TENANT}/grants/${grantId}`);
  await page.getByRole('button', { name: 'Revoke grant of support-bot on update_invoice' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: /Revoke support-bot/ });
  await expect(dialog.getByRole('button', { name: 'Revoke grant' })).toBeDisabled();
  await page.keyboard.type('e2e: ticket SEC-42, no longer needed');
  await dialog.getByRole('button', { name: 'Revoke grant' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('grant-status')).toHaveText('revoked');
  const revokedSeen = Date.now();
  const took = await within(1000, async () => !(await decide(request, creds.key, token, call)).allow);
  expect(Date.now() - revokedSeen).toBeLessThan(1000);
  expect(took).toBeLessThan(1000);
  expect((await decide(request, creds.key, token, call)).authorization.reason).toBe('no_grant');

  result = await simulate(page, { server: 'billing-mcp', agent: 'support-bot', ...call });
  await expect(result.getByTestId('sim-decision')).toHaveText('Deny');
  await expect(result.getByTestId('sim-reason')).toHaveText('no_grant');

  // the agent's page: the revoked grant under "Revoked", the API's decisions with their reasons
  const [agent] = await sql<{ id: string }>(`SELECT id FROM "Agent" WHERE name = 'support-bot'`);
  await page.goto(`/t/${TENANT}/agents/${agent.id}`);
  const grants = page.getByRole('region', { name: 'Grants', exact: true });
  await grants.getByLabel('Status').selectOption('revoked');
  await expect(grants.getByTestId('grant-row')).toHaveCount(1);
  await expect(grants.getByTestId('grant-row')).toContainText('update_invoice');
  const decisions = page.getByRole('region', { name: 'Recent decisions', exact: true });
  await expect(decisions.getByTestId('agent-decision-row').filter({ hasText: 'granted' }).first()).toBeVisible();
  await expect(decisions.getByTestId('agent-decision-row').filter({ hasText: 'no_grant' }).first()).toBeVisible();

  const events = await sql<{ event: string; after: { revokeReason?: string } }>('SELECT event, after FROM "AuditEvent" WHERE "targetId" = $1 ORDER BY seq', [grantId]);
  expect(events.map((e) => e.event)).toEqual(['grant.created', 'grant.revoked']);
  expect(events[1].after.revokeReason).toBe('e2e: ticket SEC-42, no longer needed');
});

test('the agent page lists its grants (with revoke), pending requests and recent decisions', async ({ page }) => {
  const [agent] = await sql<{ id: string }>(`SELECT id FROM "Agent" WHERE name = 'billing-agent'`);
  await signIn(page, 'security@acme.test');
  // the agent's active grants (the section's default filter), whatever other specs added
  const [{ count }] = await sql<{ count: string }>(
    `SELECT count(*) FROM "Grant" WHERE "agentId" = $1 AND "revokedAt" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" > now())`,
    [agent.id],
  );
  const expected = Number(count);
  expect(expected).toBeGreaterThanOrEqual(3);
  await page.goto(`/t/${TENANT}/agents/${agent.id}`);
  const grants = page.getByRole('region', { name: 'Grants', exact: true });
  await expect(grants.getByTestId('grant-row')).toHaveCount(expected);
  await expect(grants.getByRole('button', { name: 'Revoke grant of billing-agent on update_invoice' })).toBeVisible();
  await expect(grants.getByRole('link', { name: 'New grant for billing-agent' })).toHaveAttribute('href', `/t/${TENANT}/grants/new?agentId=${agent.id}`);
  const requests = page.getByRole('region', { name: 'Pending requests', exact: true });
  await expect(requests.getByTestId('agent-request-row')).toContainText('create_refund');
  await expect(requests.getByTestId('agent-request-row')).toContainText('INC-4471');
  await expect(page.getByRole('region', { name: 'Recent decisions', exact: true })).toBeVisible();

  // a member (the agent's owner) sees grants and requests, without revoke, and no decision log
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'owner@acme.test');
  await page.goto(`/t/${TENANT}/agents/${agent.id}`);
  await expect(page.getByRole('region', { name: 'Grants', exact: true }).getByTestId('grant-row')).toHaveCount(expected);
  await expect(page.getByRole('button', { name: /^Revoke grant of/ })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Recent decisions', exact: true })).toContainText('Your role does not include reading the decision log.');
});

test('a standing grant on a high-risk tool is refused with the explanation, in the form and by the server', async ({ page }) => {
  await signIn(page, 'security@acme.test');
  await page.goto(`/t/${TENANT}/grants/new`);
  await page.getByLabel('Tool', { exact: true }).selectOption({ label: 'export_ledger · high' });
  const guardrail = page.getByTestId('tool-guardrail');
  await expect(guardrail).toContainText('export_ledger is a high risk tool: standing grants are not allowed on it.');
  await expect(guardrail).toContainText('file an access request');
  await expect(guardrail.getByRole('link', { name: 'access requests' })).toHaveAttribute('href', `/t/${TENANT}/approvals`);
  await page.getByLabel('Agent', { exact: true }).selectOption({ label: 'billing-agent' });
  await expect(page.getByRole('button', { name: 'Create grant' })).toBeDisabled();

  // the server refuses it too, whatever the browser does
  const [ids] = await sql<{ agentId: string; toolId: string }>(
    `SELECT a.id AS "agentId", t.id AS "toolId" FROM "Agent" a, "Tool" t WHERE a.name = 'billing-agent' AND t.name = 'export_ledger' AND a."tenantId" = t."tenantId"`,
  );
  const res = await page.request.post(`/api/console/t/${TENANT}/grants`, { data: { ...ids, actions: ['export'] }, headers: origin(page) });
  expect(res.status()).toBe(400);
  const body = await res.json();
  expect(body.error.message).toContain('standing grants are not allowed');
  expect(body.error.invalidParams).toEqual([{ name: 'toolId', reason: body.error.message }]);
  expect(await sql(`SELECT 1 FROM "Grant" WHERE "toolId" = $1 AND kind = 'standing'`, [ids.toolId])).toHaveLength(0);
});

test('a CEL condition error is shown at its position, and nothing is created', async ({ page }) => {
  await signIn(page, 'security@acme.test');
  await page.goto(`/t/${TENANT}/grants/new`);
  await page.getByLabel('Tool', { exact: true }).selectOption({ label: 'get_invoice · low' });
  await page.getByLabel('Agent', { exact: true }).selectOption({ label: 'analytics-agent' });
  await page.getByLabel('Condition (optional)').fill('args.amount = 5000');
  await page.getByRole('button', { name: 'Check condition' }).click();
  await expect(page.getByText('Invalid condition at character 13: found = but expecting end of input')).toBeVisible();
  await expect(page.getByTestId('condition-pointer')).toHaveText('args.amount = 5000\n            ^');
  await page.getByRole('button', { name: 'Create grant' }).click();
  await expect(page.getByText('Invalid condition at character 13')).toBeVisible();
  await expect(page.getByLabel('Condition (optional)')).toHaveAttribute('aria-invalid', 'true');
  expect(await sql(`SELECT 1 FROM "Grant" g JOIN "Agent" a ON a.id = g."agentId" WHERE a.name = 'analytics-agent'`)).toHaveLength(0);
});

test('an auditor sees grants and the simulator, but every mutation is refused server-side', async ({ page }) => {
  await signIn(page, 'auditor@acme.test');
  await page.goto(`/t/${TENANT}/grants`);
  await expect(page.getByTestId('grant-row').first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'New grant' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Revoke grant of/ })).toHaveCount(0);
  expect((await page.goto(`/t/${TENANT}/grants/new`))?.status()).toBe(403);

  const result = await simulate(page, { server: 'billing-mcp', agent: 'billing-agent', tool: 'get_invoice', action: 'read', resource: 'invoice:1' });
  await expect(result.getByTestId('sim-decision')).toHaveText('Allow');

  const [g] = await sql<{ id: string; agentId: string; toolId: string }>(
    `SELECT g.id, g."agentId", g."toolId" FROM "Grant" g JOIN "Tool" t ON t.id = g."toolId" WHERE t.name = 'get_invoice' AND g."revokedAt" IS NULL LIMIT 1`,
  );
  const [rule] = await sql<{ id: string }>('SELECT id FROM "DenyRule" LIMIT 1');
  const count = async () => (await sql<{ n: string }>(`SELECT (SELECT count(*) FROM "Grant") + (SELECT count(*) FROM "DenyRule") + (SELECT count(*) FROM "AuditEvent") AS n`))[0].n;
  const before = await count();
  const base = `/api/console/t/${TENANT}`;
  const headers = origin(page);
  const attempts = [
    page.request.post(`${base}/grants`, { data: { agentId: g.agentId, toolId: g.toolId, actions: ['read'] }, headers }),
    page.request.post(`${base}/grants/bulk`, { data: { agentIds: [g.agentId], toolId: g.toolId, actions: ['read'] }, headers }),
    page.request.patch(`${base}/grants/${g.id}`, { data: { actions: ['read', 'write'] }, headers }),
    page.request.post(`${base}/grants/${g.id}/revoke`, { data: { reason: 'auditor tries' }, headers }),
    page.request.post(`${base}/deny-rules`, { data: { agentId: g.agentId, reason: 'auditor tries' }, headers }),
    page.request.delete(`${base}/deny-rules/${rule.id}`, { headers }),
  ];
  for (const res of await Promise.all(attempts)) {
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
  }
  expect(await count()).toBe(before);
  const [after] = await sql<{ revokedAt: Date | null; actions: string[] }>('SELECT "revokedAt", actions::text[] AS actions FROM "Grant" WHERE id = $1', [g.id]);
  expect(after).toEqual({ revokedAt: null, actions: ['read'] });
});

test('overview, grants and simulator fit 1280 px and a phone; screenshots for the docs', async ({ page }) => {
  await signIn(page, 'security@acme.test');
  const shots = 'docs/screenshots';
  mkdirSync(shots, { recursive: true });

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/t/${TENANT}`);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByTestId('decision-totals')).toBeVisible();
  await expect(page.getByTestId('stat-pending-approvals')).toBeVisible();
  await expect(page.getByTestId('top-denied-agents')).toBeVisible();
  await page.screenshot({ path: `${shots}/overview.png` });

  await page.goto(`/t/${TENANT}/grants`);
  await expect(page.getByTestId('grant-row').first()).toBeVisible();
  // at 1280 px the list fits without scrolling sideways
  const tableOverflow = await page.getByTestId('grant-row').first().evaluate((row) => {
    const card = row.closest('.card')!;
    return card.scrollWidth - card.clientWidth;
  });
  expect(tableOverflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${shots}/grants.png` });

  await simulate(page, { server: 'billing-mcp', agent: 'billing-agent', tool: 'update_invoice', action: 'write', resource: 'invoice:42', environment: 'prod' });
  await expect(page.getByTestId('sim-reason')).toHaveText('granted');
  await page.getByLabel('Arguments (JSON)').fill('{"amount": 9000}');
  await page.getByRole('button', { name: 'Simulate' }).click();
  await expect(page.getByTestId('sim-reason')).toHaveText('condition_failed');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${shots}/simulator.png` });
  await page.getByLabel('Arguments (JSON)').fill('[1, 2]');
  await page.getByRole('button', { name: 'Simulate' }).click();
  await expect(page.getByText('Arguments must be a JSON object')).toBeVisible();

  await page.goto(`/t/${TENANT}/grants?view=matrix`);
  await expect(page.getByTestId('grant-matrix')).toContainText('billing-agent');

  // a phone: the page itself never scrolls sideways (wide tables scroll inside their card)
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ['', '/grants', '/grants?view=matrix', '/simulator', '/grants/new']) {
    await page.goto(`/t/${TENANT}${path}`);
    await expect(page.locator('main h1')).toBeVisible();
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `horizontal overflow on ${path || '/'}`).toBeLessThanOrEqual(0);
  }
});
