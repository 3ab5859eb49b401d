import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { e2eDatabaseUrl, machineApiCredentials, signIn, sql, TENANT } from './helpers';

// An auditor's day: find decisions by agent and reason, open one and follow it to its grant,
// export the view, read a grant revocation's diff in the audit trail, and see the hash chain
// catch a row altered directly in the database (console and CLI).

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 800 } });

const run = randomBytes(3).toString('hex');
let ids: { tenantId: string; billingAgent: string; exportLedger: string; grantId: string; requestId: string };
let creds: Awaited<ReturnType<typeof machineApiCredentials>>;

async function decide(request: APIRequestContext, agent: string, tool: string, action: string, resource: string) {
  const res = await request.post('/api/v1/decisions', {
    headers: { authorization: `Bearer ${creds.key}` },
    data: { subject: { token: await creds.mint(agent) }, tool, action, resource, context: { taskId: `e2e-${run}` } },
  });
  expect(res.status()).toBe(200);
  return (await res.json()) as { allow: boolean; authentication: { status: string }; authorization: { reason: string; grantId: string | null } };
}

/** RFC 4180, enough for the export */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

test.beforeAll(async ({ request }) => {
  const [t] = await sql<{ id: string }>(`SELECT id FROM "Tenant" WHERE slug = $1`, [TENANT]);
  const [agent] = await sql<{ id: string }>(`SELECT id FROM "Agent" WHERE "tenantId" = $1 AND name = 'billing-agent'`, [t.id]);
  const [tool] = await sql<{ id: string }>(`SELECT id FROM "Tool" WHERE "tenantId" = $1 AND name = 'export_ledger'`, [t.id]);
  const [owner] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = 'owner@acme.test'`);
  const [admin] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = 'admin@acme.test'`);
  // an approved just-in-time grant, as the approvals flow leaves it: request, approval, grant
  const suffix = randomBytes(8).toString('hex').toUpperCase();
  const requestId = `req_E2E${suffix}`;
  const grantId = `gnt_E2E${suffix}`;
  await sql(
    `INSERT INTO "AccessRequest" (id, "tenantId", "agentId", "toolId", actions, "durationSeconds", justification, "taskId", "requestedByUserId", status, "expiresAt", "decidedAt", "grantId", "updatedAt")
     VALUES ($1, $2, $3, $4, '{export}', 3600, 'Quarter close ledger export', $5, $6, 'approved', now() + interval '1 day', now(), $7, now())`,
    [requestId, t.id, agent.id, tool.id, `e2e-${run}`, admin.id, grantId],
  );
  await sql(`INSERT INTO "Approval" (id, "tenantId", "requestId", "approverUserId", verdict, "asRole", comment) VALUES ($1, $2, $3, $4, 'approve', 'owner', 'fine for the close')`, [
    `apv_E2E${suffix}`,
    t.id,
    requestId,
    owner.id,
  ]);
  await sql(
    `INSERT INTO "Grant" (id, "tenantId", "agentId", "toolId", kind, actions, "expiresAt", "sourceRequestId", "createdById", justification, "updatedAt")
     VALUES ($1, $2, $3, $4, 'jit', '{export}', now() + interval '1 hour', $5, $6, 'Quarter close ledger export', now())`,
    [grantId, t.id, agent.id, tool.id, requestId, admin.id],
  );
  ids = { tenantId: t.id, billingAgent: agent.id, exportLedger: tool.id, grantId, requestId };

  creds = await machineApiCredentials({ serverName: 'billing-mcp' });
  // the decision caches pick up the new key and grant within a poll interval
  await expect
    .poll(async () => (await decide(request, 'billing-agent', 'export_ledger', 'export', `ledger:${run}:q0`)).allow, { timeout: 10_000 })
    .toBe(true);
  for (let i = 1; i <= 2; i++) await decide(request, 'billing-agent', 'export_ledger', 'export', `ledger:${run}:q${i}`);
  for (let i = 0; i < 3; i++) expect((await decide(request, 'billing-agent', 'create_refund', 'write', `=HYPERLINK("x${run}")`)).authorization.reason).toBe('approval_required');
  await decide(request, 'billing-agent', 'get_invoice', 'read', `invoice:${run}`);
  await decide(request, 'billing-agent', 'update_invoice', 'write', `account:${run}`);
  await decide(request, 'support-bot', 'create_refund', 'write', `refund:${run}`);
  await decide(request, 'support-bot', 'list_customers', 'read', `customers:${run}`);
});

async function rowsOnScreen(page: Page) {
  return page.getByTestId('decision-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-decision-id')));
}

test('an auditor filters decisions by agent and reason, opens one and follows it to the grant', async ({ page }) => {
  await signIn(page, 'auditor@acme.test');
  await page.goto(`/t/${TENANT}/decisions`);
  await expect(page.getByRole('heading', { name: 'Decision log' })).toBeVisible();
  await page.getByLabel('Agent').selectOption({ label: 'billing-agent' });
  await expect(page).toHaveURL(new RegExp(`agent=${ids.billingAgent}`));
  await page.getByLabel('Reason').selectOption('approval_required');
  await expect(page).toHaveURL(/reason=approval_required/);

  const want = await sql<{ id: string }>(
    `SELECT id FROM "DecisionLog" WHERE "tenantId" = $1 AND "agentId" = $2 AND reason = 'approval_required' ORDER BY time DESC, id DESC`,
    [ids.tenantId, ids.billingAgent],
  );
  expect(want.length).toBeGreaterThanOrEqual(3);
  // the first page (50): the demo seed adds history of its own
  await expect.poll(() => rowsOnScreen(page)).toEqual(want.slice(0, 50).map((r) => r.id));
  for (const reason of await page.getByTestId('decision-reason').allTextContents()) expect(reason).toBe('approval required');
  await expect(page.getByTestId('top-deny-reasons')).toContainText('approval required');
  await page.screenshot({ path: 'docs/screenshots/decision-log.png' });

  // a shared link (as an agent page builds it) shows the same filter
  await page.goto(`/t/${TENANT}/decisions?agent=${ids.billingAgent}&tool=${ids.exportLedger}&grant=${ids.grantId}`);
  await expect(page.getByLabel('Agent')).toHaveValue(ids.billingAgent);
  const underGrant = await sql<{ id: string }>(`SELECT id FROM "DecisionLog" WHERE "tenantId" = $1 AND "grantId" = $2 ORDER BY time DESC, id DESC`, [ids.tenantId, ids.grantId]);
  expect(underGrant).toHaveLength(3);
  await expect.poll(() => rowsOnScreen(page)).toEqual(underGrant.map((r) => r.id));

  // open the newest: the drawer has the full story, down to the approval
  await page.getByTestId('decision-row').first().getByRole('button').click();
  await expect(page).toHaveURL(new RegExp(`open=${underGrant[0].id}`));
  const drawer = page.getByTestId('decision-drawer');
  await expect(drawer.getByTestId('drawer-reason')).toHaveText('granted');
  await expect(drawer.getByTestId('drawer-grant-id')).toHaveText(ids.grantId);
  await expect(drawer.getByTestId('drawer-request')).toContainText('Quarter close ledger export');
  await expect(drawer.getByTestId('drawer-approvals')).toContainText('owner@acme.test');
  await expect(drawer.getByTestId('drawer-approvals')).toContainText('fine for the close');
  await expect(drawer).toContainText(`ledger:${run}:q2`);
  await page.screenshot({ path: 'docs/screenshots/decision-detail.png' });

  await drawer.getByRole('link', { name: 'Open in Grants' }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${TENANT}/grants/${ids.grantId}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('billing-agent → export_ledger');
});

test('the filtered view exports as CSV holding exactly its rows; members are refused', async ({ page, browser }) => {
  await signIn(page, 'auditor@acme.test');
  await page.goto(`/t/${TENANT}/decisions?agent=${ids.billingAgent}&reason=approval_required`);
  await expect(page.getByTestId('decision-row').first()).toBeVisible();
  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('export-csv').getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^decisions-acme-.*\.csv$/);
  const file = readFileSync((await download.path())!, 'utf8');
  const [header, ...lines] = parseCsv(file);
  expect(header.slice(0, 4)).toEqual(['id', 'time', 'allow', 'reason']);
  const want = await sql<{ id: string; resource: string }>(
    `SELECT id, resource FROM "DecisionLog" WHERE "tenantId" = $1 AND "agentId" = $2 AND reason = 'approval_required' ORDER BY time DESC, id DESC`,
    [ids.tenantId, ids.billingAgent],
  );
  expect(lines.map((l) => l[0])).toEqual(want.map((r) => r.id));
  expect(lines.every((l) => l[header.indexOf('reason')] === 'approval_required' && l[header.indexOf('agentName')] === 'billing-agent')).toBe(true);
  // a resource crafted as a spreadsheet formula is neutralised
  expect(lines.map((l) => l[header.indexOf('resource')])).toContain(`'=HYPERLINK("x${run}")`);
  await expect(page.getByTestId('export-csv')).toContainText(`Saved ${download.suggestedFilename()}: ${want.length} rows`);

  // a member has no export permission: 403 and no CSV
  const member = await browser.newPage();
  await signIn(member, 'owner@acme.test');
  const res = await member.request.get(`/api/console/t/${TENANT}/decisions/export?format=csv&agent=${ids.billingAgent}`);
  expect(res.status()).toBe(403);
  expect(res.headers()['content-type']).toContain('application/json');
  expect(await res.text()).not.toContain('approval_required');
  await member.close();
});

test('the audit trail shows a grant revocation with its diff; tampering breaks the chain at that row', async ({ page, browser }) => {
  // security revokes the grant through the console API
  const sec = await browser.newPage();
  await signIn(sec, 'security@acme.test');
  const revoke = await sec.request.post(`/api/console/t/${TENANT}/grants/${ids.grantId}/revoke`, {
    data: { reason: `e2e ${run}: export done` },
    headers: { origin: new URL(sec.url()).origin },
  });
  expect(revoke.ok()).toBe(true);
  await sec.close();

  await signIn(page, 'auditor@acme.test');
  await page.goto(`/t/${TENANT}/audit`);
  await expect(page.getByTestId('chain-status')).toHaveAttribute('data-state', 'ok');
  await page.getByLabel('Event').selectOption('grant.revoked');
  await expect(page).toHaveURL(/event=grant\.revoked/);
  const row = page.getByTestId('audit-row').filter({ hasText: ids.grantId });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('security@acme.test');
  await row.getByRole('button', { name: 'Changes' }).click();
  const diff = page.getByTestId('audit-diff');
  await expect(diff.locator('[data-field="revokedAt"]')).toHaveAttribute('data-status', 'changed');
  await expect(diff.locator('[data-field="revokeReason"]')).toHaveAttribute('data-status', 'added');
  await expect(diff.locator('[data-field="revokeReason"]')).toContainText(`e2e ${run}: export done`);
  await page.screenshot({ path: 'docs/screenshots/audit-trail.png' });

  // someone with database access rewrites who revoked it
  const [event] = await sql<{ id: string; seq: string; actorLabel: string }>(
    `SELECT id, seq::text, "actorLabel" FROM "AuditEvent" WHERE "tenantId" = $1 AND event = 'grant.revoked' AND "targetId" = $2`,
    [ids.tenantId, ids.grantId],
  );
  const tamper = async (label: string) => {
    await sql('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"');
    try {
      await sql('UPDATE "AuditEvent" SET "actorLabel" = $1 WHERE id = $2', [label, event.id]);
    } finally {
      await sql('ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"');
    }
  };
  await tamper('mallory@acme.test');
  try {
    await page.goto(`/t/${TENANT}/audit`);
    const status = page.getByTestId('chain-status');
    await expect(status).toHaveAttribute('data-state', 'broken');
    await expect(status.getByTestId('chain-broken-at')).toHaveText(`The chain is broken at seq ${event.seq}`);
    await expect(status).toContainText(event.id);
    await expect(page.locator(`[data-testid="audit-row"][data-seq="${event.seq}"]`).getByTestId('broken-link')).toBeVisible();
    await page.screenshot({ path: 'docs/screenshots/audit-chain-broken.png' });

    const cli = await new Promise<{ code: number; out: string }>((resolve) => {
      const child = spawn(process.execPath, [path.resolve('bin/toolwarden.mjs'), 'audit', 'verify', '--tenant', TENANT], {
        env: { ...process.env, DATABASE_URL: e2eDatabaseUrl() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('close', (code) => resolve({ code: code ?? -1, out }));
    });
    expect(cli.out).toContain(`acme: BROKEN at seq ${event.seq} (event ${event.id})`);
    expect(cli.code).toBe(1);
  } finally {
    // put the row back so later specs in this run see an intact chain
    await tamper(event.actorLabel);
  }
});
