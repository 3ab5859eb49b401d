import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { signIn, sql, TENANT } from './helpers';

test.describe('sign-in', () => {
  test('a wrong password is rejected without saying whether the account exists', async ({ page }) => {
    await page.goto('/signin');
    await page.getByLabel('E-mail').fill('admin@acme.test');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Wrong' })).toHaveText('Wrong e-mail or password.');
    await page.getByLabel('E-mail').fill('nobody@acme.test');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Wrong' })).toHaveText('Wrong e-mail or password.');
    await page.goto(`/t/${TENANT}/agents`);
    await expect(page).toHaveURL(/\/signin/);
  });

  test('signing out ends the session', async ({ page }) => {
    await signIn(page, 'auditor@acme.test');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto(`/t/${TENANT}/agents`);
    await expect(page).toHaveURL(/\/signin/);
  });
});

test('an admin creates an agent and suspends it; both changes are in the audit trail', async ({ page }) => {
  const name = `e2e-agent-${randomBytes(3).toString('hex')}`;
  await signIn(page, 'admin@acme.test');
  await page.goto(`/t/${TENANT}/agents`);
  await page.getByRole('button', { name: 'New agent' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Description').fill('Created by the e2e test');
  await page.getByRole('button', { name: 'Create agent' }).click();
  await page.getByRole('link', { name }).click();
  await expect(page).toHaveURL(/\/agents\/agt_/);
  await expect(page.getByTestId('agent-status')).toHaveText(/active/i);
  await page.getByRole('button', { name: 'Suspend' }).click();
  await expect(page.getByTestId('agent-status')).toHaveText(/suspended/i);

  const [agent] = await sql<{ id: string; status: string }>('SELECT id, status FROM "Agent" WHERE name = $1', [name]);
  expect(agent.status).toBe('suspended');
  const events = await sql<{ event: string; actorLabel: string }>('SELECT event, "actorLabel" FROM "AuditEvent" WHERE "targetId" = $1 ORDER BY seq', [agent.id]);
  expect(events).toEqual([
    { event: 'agent.created', actorLabel: 'admin@acme.test' },
    { event: 'agent.suspended', actorLabel: 'admin@acme.test' },
  ]);
});

test('invalid input shows an inline error and creates nothing', async ({ page }) => {
  await signIn(page, 'security@acme.test');
  await page.goto(`/t/${TENANT}/agents`);
  await page.getByRole('button', { name: 'New agent' }).click();
  await page.getByLabel('Name').fill('Bad Name!');
  await page.getByRole('button', { name: 'Create agent' }).click();
  await expect(page.getByText(/lower-case letters/)).toBeVisible();
  expect(await sql('SELECT 1 FROM "Agent" WHERE name = $1', ['Bad Name!'])).toHaveLength(0);
});

test('a member cannot reach admin pages or admin actions', async ({ page }) => {
  await signIn(page, 'owner@acme.test');
  const res = await page.goto(`/t/${TENANT}/settings`);
  expect(res?.status()).toBe(403);
  // the server refuses the mutation too, not only the hidden button
  const api = await page.request.post(`/api/console/t/${TENANT}/members`, {
    data: { email: 'sneaky@acme.test', role: 'admin' },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(api.status()).toBe(403);
  expect(await sql('SELECT 1 FROM "User" WHERE email = $1', ['sneaky@acme.test'])).toHaveLength(0);
});

test("a user of one tenant cannot read another tenant's agent by URL", async ({ page }) => {
  const suffix = randomBytes(3).toString('hex');
  const tenantId = `ten_e2e${suffix}`;
  const agentId = `agt_e2e${suffix}`;
  await sql(`INSERT INTO "Tenant"(id, slug, name, "updatedAt") VALUES ($1, $2, 'Other Co', now())`, [tenantId, `other-${suffix}`]);
  await sql(`INSERT INTO "Agent"(id, "tenantId", name, "updatedAt") VALUES ($1, $2, 'secret-agent', now())`, [agentId, tenantId]);

  await signIn(page, 'admin@acme.test');
  const byTenantUrl = await page.goto(`/t/other-${suffix}/agents/${agentId}`);
  expect(byTenantUrl?.status()).toBe(404);
  const byOwnTenant = await page.goto(`/t/${TENANT}/agents/${agentId}`);
  expect(byOwnTenant?.status()).toBe(404);
  await expect(page.getByText('secret-agent')).toHaveCount(0);
  const api = await page.request.get(`/api/console/t/${TENANT}/agents/${agentId}`);
  expect(api.status()).toBe(404);
  expect(await api.text()).not.toContain('secret-agent');
  const mutate = await page.request.post(`/api/console/t/${TENANT}/agents/${agentId}/status`, {
    data: { status: 'suspended' },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(mutate.status()).toBe(404);
  const [row] = await sql<{ status: string }>('SELECT status FROM "Agent" WHERE id = $1', [agentId]);
  expect(row.status).toBe('active');
});
