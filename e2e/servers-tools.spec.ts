import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { expect, test, type APIResponse, type Page } from '@playwright/test';
import { signIn, sql, TENANT } from './helpers';

// Servers, keys and the tool catalog as a security engineer uses them, end to end: the key made
// in the console authenticates the machine API, the tools it syncs wait in the classification
// queue, and revoking the key locks the server out within a second. Then what an auditor may not do.

test.use({ viewport: { width: 1280, height: 800 } });
test.describe.configure({ mode: 'serial' });

const SHOTS = 'docs/screenshots';
mkdirSync(SHOTS, { recursive: true });

const suffix = randomBytes(3).toString('hex');
const serverName = `e2e-mcp-${suffix}`;
const audience = `https://e2e-${suffix}.mcp.acme.test`;
const toolName = `e2e_lookup_${suffix}`;

async function tenantId(): Promise<string> {
  const [t] = await sql<{ id: string }>('SELECT id FROM "Tenant" WHERE slug = $1', [TENANT]);
  return t.id;
}

function sync(page: Page, key: string): Promise<APIResponse> {
  return page.request.post('/api/v1/tools/sync', {
    headers: { authorization: `Bearer ${key}` },
    data: {
      tools: [
        { name: toolName, description: 'Look up an order by id', annotations: { readOnlyHint: true } },
        { name: `e2e_cancel_${suffix}`, description: 'Cancel an order' },
      ],
    },
  });
}

test('security registers a server, creates a key shown once, syncs tools with it, classifies one, and revokes the key', async ({ page }) => {
  await signIn(page, 'security@acme.test');
  await page.goto(`/t/${TENANT}/servers`);
  await expect(page.getByRole('link', { name: 'billing-mcp' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/servers.png` });

  // register
  await page.getByRole('button', { name: 'New server' }).click();
  const form = page.getByRole('form', { name: 'Register server' });
  await form.getByLabel('Name').fill(serverName);
  await form.getByLabel('Audience').fill(audience);
  await form.getByLabel('Description').fill('Orders, registered by the e2e test');
  await form.getByRole('button', { name: 'Register server' }).click();
  await expect(page).toHaveURL(/\/servers\/srv_/);
  await expect(page.getByRole('heading', { level: 1, name: serverName })).toBeVisible();
  await expect(page.getByTestId('keys-empty')).toBeVisible();
  const serverId = page.url().split('/servers/')[1].split('?')[0];

  // create a key: the full key is on screen once
  await page.getByLabel('Key name').fill('e2e');
  await page.getByRole('button', { name: 'Create key' }).click();
  const keyField = page.getByTestId('new-server-key');
  await expect(keyField).toBeVisible();
  const key = await keyField.inputValue();
  expect(key).toMatch(/^twk_[a-f0-9]{24}_[A-Za-z0-9_-]{40,}$/);
  const keyId = key.split('_')[1];
  const secret = key.slice(`twk_${keyId}_`.length);
  await expect(page.getByTestId('new-key-notice')).toContainText(`TOOLWARDEN_KEY=${key}`);
  await expect(page.getByTestId('new-key-notice')).toContainText('/api/v1/decisions');
  await expect(page.getByRole('button', { name: 'Copy key' })).toBeVisible();

  // …and never again: after a reload only the prefix is listed
  await page.reload();
  await expect(page.getByTestId('key-prefix')).toHaveText([`twk_${keyId}_…`]);
  await expect(page.getByTestId('new-server-key')).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
  const keysApi = await page.request.get(`/api/console/t/${TENANT}/servers/${serverId}/keys`);
  expect(await keysApi.text()).not.toContain(secret);

  // the server syncs its tools/list with that key
  const synced = await sync(page, key);
  expect(synced.status()).toBe(200);
  expect(await synced.json()).toMatchObject({ created: 2 });
  await page.reload();
  await expect(page.getByTestId('tool-row')).toHaveCount(2);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/server-detail.png` });

  // the new tools wait in the queue at the top of the Tools page
  await page.goto(`/t/${TENANT}/tools`);
  const queue = page.getByTestId('unclassified-queue');
  await expect(queue.getByRole('link', { name: toolName })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/tools.png` });
  await queue.getByRole('button', { name: `Classify ${toolName}` }).click();
  const classify = page.getByRole('form', { name: `Classify ${toolName}` });
  // readOnlyHint → suggested low, preselected
  await expect(classify.getByLabel('Risk')).toHaveValue('low');
  await classify.getByLabel('Risk').selectOption('medium');
  await classify.getByLabel('Data sensitivity').selectOption('confidential');
  await classify.getByRole('button', { name: 'Save classification' }).click();
  // the confirmation sits in the queue entry, which the refetch may already have removed:
  // wait for the stored classification instead of the transient message
  await expect
    .poll(async () => (await sql<{ status: string }>('SELECT status::text FROM "Tool" WHERE name = $1', [toolName]))[0]?.status, { timeout: 10_000 })
    .toBe('active');
  await expect(queue.getByRole('link', { name: toolName })).toHaveCount(0);
  const [tool] = await sql<{ id: string; status: string; risk: string; sensitivity: string }>('SELECT id, status, risk, sensitivity FROM "Tool" WHERE name = $1', [toolName]);
  expect(tool).toMatchObject({ status: 'active', risk: 'medium', sensitivity: 'confidential' });

  // revoke: the machine API refuses the key within a second
  await page.goto(`/t/${TENANT}/servers/${serverId}`);
  await page.getByRole('button', { name: `Revoke key twk_${keyId}_…` }).click();
  const revoked = page.waitForResponse((r) => r.url().endsWith(`/server-keys/${keyId}/revoke`) && r.request().method() === 'POST');
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
  expect((await revoked).status()).toBe(200);
  const t0 = Date.now();
  let status = 0;
  while (Date.now() - t0 < 1500) {
    status = (await sync(page, key)).status();
    if (status === 401) break;
    await page.waitForTimeout(50);
  }
  expect(status).toBe(401);
  expect(Date.now() - t0).toBeLessThan(1000);
  await expect(page.getByTestId('key-state')).toHaveText(['revoked']);

  // every change is in the audit trail, attributed to the person or the server
  const audit = await sql<{ event: string; actorLabel: string }>(
    `SELECT event, "actorLabel" FROM "AuditEvent" WHERE "targetId" = ANY($1) ORDER BY seq`,
    [[serverId, keyId, tool.id]],
  );
  expect(audit).toEqual([
    { event: 'server.created', actorLabel: 'security@acme.test' },
    { event: 'server_key.created', actorLabel: 'security@acme.test' },
    { event: 'tool.created', actorLabel: serverName },
    { event: 'tool.classified', actorLabel: 'security@acme.test' },
    { event: 'server_key.revoked', actorLabel: 'security@acme.test' },
  ]);
});

test('a tool detail shows classification, owners and history; a security user adds an owner', async ({ page }) => {
  await signIn(page, 'security@acme.test');
  const [tool] = await sql<{ id: string }>('SELECT id FROM "Tool" WHERE name = $1', [toolName]);
  await page.goto(`/t/${TENANT}/tools/${tool.id}`);
  await expect(page.getByRole('heading', { level: 1, name: toolName })).toBeVisible();
  await expect(page.getByTestId('tool-version')).toHaveCount(1);
  await expect(page.getByTestId('tool-version')).toContainText(`by server ${serverName}`);
  await page.getByLabel('Add an owner').selectOption({ label: 'Olive Owner (owner@acme.test)' });
  await page.getByRole('button', { name: 'Add owner' }).click();
  await expect(page.getByTestId('owner-row')).toHaveCount(1);
  await expect(page.getByTestId('owner-row')).toContainText('owner@acme.test');
  await page.screenshot({ path: `${SHOTS}/tool-detail.png` });
});

test('an auditor sees servers and tools, but every mutation route answers 403 and nothing changes', async ({ page }) => {
  const tid = await tenantId();
  const [billing] = await sql<{ id: string }>('SELECT id FROM "McpServer" WHERE "tenantId" = $1 AND name = $2', [tid, 'billing-mcp']);
  const [tool] = await sql<{ id: string }>('SELECT id FROM "Tool" WHERE "tenantId" = $1 AND name = $2', [tid, 'get_invoice']);
  const [td] = await sql<{ id: string }>('SELECT id FROM "TrustDomain" WHERE "tenantId" = $1 AND name = $2', [tid, 'acme.test']);
  const [owner] = await sql<{ id: string }>('SELECT id FROM "User" WHERE email = $1', ['owner@acme.test']);
  const keyId = randomBytes(12).toString('hex');
  await sql(`INSERT INTO "ServerKey"(id, "tenantId", "serverId", name, "secretHash") VALUES ($1, $2, $3, 'auditor-target', $4)`, [keyId, tid, billing.id, 'x'.repeat(64)]);

  const snapshot = () =>
    sql(
      `SELECT (SELECT json_agg(s ORDER BY s.id) FROM "McpServer" s WHERE s."tenantId" = $1) AS servers,
              (SELECT json_agg(k ORDER BY k.id) FROM "ServerKey" k WHERE k."tenantId" = $1) AS keys,
              (SELECT json_agg(t ORDER BY t.id) FROM "Tool" t WHERE t."tenantId" = $1) AS tools,
              (SELECT json_agg(o ORDER BY o."toolId", o."userId") FROM "ToolOwner" o WHERE o."tenantId" = $1) AS owners,
              (SELECT json_agg(d ORDER BY d.id) FROM "TrustDomain" d WHERE d."tenantId" = $1) AS domains,
              (SELECT count(*) FROM "AuditEvent" a WHERE a."tenantId" = $1) AS audit`,
      [tid],
    );
  const before = await snapshot();

  await signIn(page, 'auditor@acme.test');
  await page.goto(`/t/${TENANT}/servers`);
  await expect(page.getByRole('link', { name: 'billing-mcp' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New server' })).toHaveCount(0);
  await page.goto(`/t/${TENANT}/servers/${billing.id}`);
  await expect(page.getByTestId('key-prefix')).toContainText([`twk_${keyId}_…`]);
  await expect(page.getByRole('button', { name: 'Create key' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Revoke/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Disable server' })).toHaveCount(0);
  await page.goto(`/t/${TENANT}/tools`);
  await expect(page.getByTestId('unclassified-queue').getByRole('link', { name: 'run_sql' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Classify/ })).toHaveCount(0);
  await page.goto(`/t/${TENANT}/tools/${tool.id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'get_invoice' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Save|Add owner|Disable tool|Remove/ })).toHaveCount(0);
  expect((await page.goto(`/t/${TENANT}/settings/trust-domains`))?.status()).toBe(403);

  const origin = new URL(page.url()).origin;
  const base = `/api/console/t/${TENANT}`;
  const calls: [string, string, unknown?][] = [
    ['POST', `${base}/servers`, { name: 'auditor-server', audience: 'https://auditor.example.com' }],
    ['PATCH', `${base}/servers/${billing.id}`, { description: 'changed by auditor' }],
    ['POST', `${base}/servers/${billing.id}/status`, { status: 'disabled' }],
    ['POST', `${base}/servers/${billing.id}/keys`, {}],
    ['POST', `${base}/server-keys/${keyId}/revoke`],
    ['POST', `${base}/tools`, { serverId: billing.id, name: 'auditor_tool' }],
    ['PATCH', `${base}/tools/${tool.id}`, { description: 'changed by auditor' }],
    ['POST', `${base}/tools/${tool.id}/classify`, { risk: 'critical', defaultAction: 'admin', sensitivity: 'public' }],
    ['POST', `${base}/tools/${tool.id}/status`, { status: 'disabled' }],
    ['POST', `${base}/tools/${tool.id}/review-definition`],
    ['POST', `${base}/tools/${tool.id}/owners`, { userId: owner.id }],
    ['DELETE', `${base}/tools/${tool.id}/owners/${owner.id}`],
    ['POST', `${base}/trust-domains`, { name: 'auditor.test', jwksUrl: 'https://auditor.example.com/jwks' }],
    ['PATCH', `${base}/trust-domains/${td.id}`, { maxTokenLifetimeSeconds: 60 }],
    ['DELETE', `${base}/trust-domains/${td.id}`],
    ['POST', `${base}/trust-domains/test-fetch`, { jwksUrl: 'https://auditor.example.com/jwks' }],
    ['GET', `${base}/trust-domains?view=manage`],
  ];
  for (const [method, url, data] of calls) {
    const res = await page.request.fetch(url, { method, headers: { origin }, ...(data === undefined ? {} : { data }) });
    expect(`${method} ${url} → ${res.status()}`).toBe(`${method} ${url} → 403`);
  }
  // reads are open to auditors
  expect((await page.request.get(`${base}/servers`)).status()).toBe(200);
  expect((await page.request.get(`${base}/tools?status=unclassified`)).status()).toBe(200);
  expect((await page.request.get(`${base}/tools/${tool.id}/versions`)).status()).toBe(200);

  expect(await snapshot()).toEqual(before);
});

test('an admin manages trust domains: keys validated on save, URLs checked, deletion refused while in use', async ({ page }) => {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'e2e' }] });
  const privateJwks = JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: 'e2e' }] });
  const name = `e2e-${suffix}.test`;

  await signIn(page, 'admin@acme.test');
  await page.goto(`/t/${TENANT}/settings/trust-domains`);
  await expect(page.getByTestId('trust-domain-row').filter({ hasText: 'acme.test' })).toBeVisible();

  await page.getByRole('button', { name: 'New trust domain' }).click();
  const form = page.getByRole('form', { name: 'New trust domain' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('JWKS (public keys)').fill(privateJwks);
  await form.getByLabel('ES256').check();
  await form.getByRole('button', { name: 'Create trust domain' }).click();
  await expect(form.getByText(/private or symmetric key material/)).toBeVisible();
  await expect(form.getByLabel('JWKS (public keys)')).toHaveAttribute('aria-invalid', 'true');
  expect(await sql('SELECT 1 FROM "TrustDomain" WHERE name = $1', [name])).toHaveLength(0);

  // a JWKS URL must be https: the test fetch refuses it before fetching
  await form.getByLabel('JWKS URL').check();
  await form.getByRole('textbox', { name: 'JWKS URL' }).fill('http://idp.example.com/jwks');
  await form.getByRole('button', { name: 'Test fetch' }).click();
  await expect(page.getByTestId('jwks-test-result')).toContainText('https');
  await form.getByLabel('Inline JWKS').check();

  await form.getByLabel('JWKS (public keys)').fill(publicJwks);
  await form.getByRole('button', { name: 'Create trust domain' }).click();
  await expect(page.getByText(`Trust domain ${name} created.`)).toBeVisible();
  const row = page.getByTestId('trust-domain-row').filter({ hasText: name });
  await expect(row).toContainText('inline JWKS, 1 key');
  await page.screenshot({ path: `${SHOTS}/trust-domains.png` });

  // acme.test has the demo agents' identities: deleting it is refused with the reason
  await page.getByRole('button', { name: 'Delete trust domain acme.test' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete trust domain' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText('still used by');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  expect(await sql('SELECT 1 FROM "TrustDomain" WHERE name = $1', ['acme.test'])).toHaveLength(1);

  await page.getByRole('button', { name: `Delete trust domain ${name}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete trust domain' }).click();
  await expect(page.getByText(`Trust domain ${name} deleted.`)).toBeVisible();
  const events = await sql<{ event: string }>(
    `SELECT a.event FROM "AuditEvent" a WHERE a."targetType" = 'trust_domain' AND (a.before->>'name' = $1 OR a.after->>'name' = $1) ORDER BY seq`,
    [name],
  );
  expect(events.map((e) => e.event)).toEqual(['trust_domain.created', 'trust_domain.deleted']);
});

test('servers and tools work at phone width: nothing overflows the page sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'security@acme.test');
  for (const path of ['servers', 'tools']) {
    await page.goto(`/t/${TENANT}/${path}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('table').first()).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/${path}-phone.png` });
  }
});
