import { expect, test, type Page } from '@playwright/test';
import { signIn, TENANT } from './helpers';

// The console runs under a strict Content-Security-Policy (per-request nonce, no
// 'unsafe-inline' scripts). These checks prove the policy is sent, that Next's own scripts
// carry the nonce (the pages hydrate and fetch their data), and that no page trips it.

function watchViolations(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect)/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

test('every console response carries a fresh nonce-based CSP and the other security headers', async ({ page }) => {
  const first = await page.request.get('/signin');
  const second = await page.request.get('/signin');
  const csp1 = first.headers()['content-security-policy'];
  const csp2 = second.headers()['content-security-policy'];
  expect(csp1).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
  expect(csp1).toContain("frame-ancestors 'none'");
  expect(csp1).not.toContain('unsafe-eval');
  expect(csp1).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(csp1).not.toBe(csp2);
  expect(first.headers()).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'same-origin' });
  expect(first.headers()['strict-transport-security']).toBeUndefined(); // plain HTTP, no TLS proxy

  // the inline scripts Next wrote into the page carry exactly that response's nonce
  const nonce = /'nonce-([^']+)'/.exec(csp1)![1];
  const html = await first.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
});

test('console pages hydrate and load their data under the policy, with no violation reported', async ({ page }) => {
  const violations = watchViolations(page);
  await signIn(page, 'auditor@acme.test');
  for (const section of ['', '/decisions', '/grants', '/tools', '/audit', '/simulator', '/servers', '/agents']) {
    await page.goto(`/t/${TENANT}${section}`);
    await expect(page.getByRole('main')).toBeVisible();
    await page.waitForLoadState('networkidle');
  }
  // lists are fetched by TanStack Query in the browser: rows on screen prove scripts ran
  await page.goto(`/t/${TENANT}/agents`);
  await expect(page.getByRole('link', { name: /billing|support|agent/i }).first()).toBeVisible();
  await page.goto(`/t/${TENANT}/no-such-section/deeper`);
  expect(violations).toEqual([]);
});

test('the session cookie is HttpOnly and SameSite=Lax, and the console cannot be framed', async ({ page, context }) => {
  await signIn(page, 'auditor@acme.test');
  const session = (await context.cookies()).find((c) => c.name.includes('session-token'));
  expect(session).toBeDefined();
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  const res = await page.request.get(`/t/${TENANT}`);
  expect(res.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
});
