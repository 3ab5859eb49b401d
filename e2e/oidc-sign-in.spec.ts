import { expect, test } from '@playwright/test';
import { TENANT } from './helpers';

// Sign-in through a real OpenID Provider (oidc-provider, started by scripts/e2e-server.ts).

test('a member signs in with SSO and lands in their tenant', async ({ page }) => {
  await page.goto('/signin');
  await page.getByRole('button', { name: 'Continue with Test SSO' }).click();
  await page.locator('input[name="login"]').fill('security@acme.test');
  await page.locator('input[name="password"]').fill('anything');
  await page.locator('button[type="submit"]').click();
  const consent = page.getByRole('button', { name: /continue/i });
  if (await consent.isVisible().catch(() => false)) await consent.click();
  await expect(page.getByTestId('current-user')).toHaveText('security@acme.test');
  await expect(page).toHaveURL(new RegExp(`/t/${TENANT}`));
});

test('an identity-provider account that no admin added gets no access', async ({ page }) => {
  await page.goto('/signin');
  await page.getByRole('button', { name: 'Continue with Test SSO' }).click();
  await page.locator('input[name="login"]').fill('stranger@elsewhere.test');
  await page.locator('input[name="password"]').fill('anything');
  await page.locator('button[type="submit"]').click();
  const consent = page.getByRole('button', { name: /continue/i });
  if (await consent.isVisible().catch(() => false)) await consent.click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto(`/t/${TENANT}/agents`);
  await expect(page).toHaveURL(/\/signin/);
});
