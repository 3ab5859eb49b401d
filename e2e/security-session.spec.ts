import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { expect, request, test, type APIRequestContext } from '@playwright/test';
import { encode } from 'next-auth/jwt';
import { addDemoMember, DEMO_PASSWORD, e2eDatabaseUrl, signIn, sql, TENANT } from './helpers';

// Issue 8, console sessions: fixation (a cookie planted before sign-in is not the session
// after it), forged and tampered session cookies, sign-out, cookie flags (plain HTTP here,
// Secure behind a TLS proxy), and sign-in brute force through the real form.

const AGENTS_API = `/api/console/t/${TENANT}/agents`;
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token$/;

async function withCookie(baseURL: string, name: string, value: string): Promise<APIRequestContext> {
  const url = new URL(baseURL);
  return request.newContext({
    baseURL,
    storageState: { cookies: [{ name, value, domain: url.hostname, path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Lax' }], origins: [] },
  });
}

/** what a session cookie value buys on its own: the console API and a console page */
async function access(baseURL: string, name: string, value: string) {
  const api = await withCookie(baseURL, name, value);
  try {
    const res = await api.get(AGENTS_API);
    const page = await api.get(`/t/${TENANT}/agents`, { maxRedirects: 0 });
    return { api: res.status(), page: page.status(), location: page.headers()['location'] ?? '' };
  } finally {
    await api.dispose();
  }
}

test('a session cookie planted before sign-in is replaced by a new one, and grants nothing itself', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto('/signin');
  const planted = `planted-${randomBytes(8).toString('hex')}`;
  await context.addCookies([{ name: 'authjs.session-token', value: planted, url: baseURL! }]);
  expect((await context.request.get(AGENTS_API)).status()).toBe(401);

  await signIn(page, 'auditor@acme.test');
  const session = (await context.cookies()).filter((c) => SESSION_COOKIE.test(c.name));
  expect(session).toHaveLength(1);
  expect(session[0]!.value).not.toBe(planted);
  expect(session[0]!.value.length).toBeGreaterThan(100); // an encrypted token, not an id someone could choose
  expect((await context.request.get(AGENTS_API)).status()).toBe(200);

  // flags on plain HTTP: not readable by scripts, not sent on cross-site subrequests
  expect(session[0]).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  await context.close();
});

test('forged and tampered session cookies are refused', async ({ browser, baseURL }) => {
  const [admin] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = 'admin@acme.test'`);
  const now = Math.floor(Date.now() / 1000);
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claims = { uid: admin.id, sub: admin.id, email: 'admin@acme.test', iat: now, exp: now + 3600 };
  const forged = {
    'unsigned JWT (alg none)': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
    // a well-formed Auth.js token (JWE, same salt) encrypted under a secret that is not the server's
    'token under another secret': await encode({ token: claims, secret: randomBytes(32).toString('base64url'), salt: 'authjs.session-token', maxAge: 3600 }),
    'opaque value': randomBytes(32).toString('hex'),
  };

  // a real session, then the same token with one character changed in its ciphertext
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, 'auditor@acme.test');
  const real = (await context.cookies()).find((c) => SESSION_COOKIE.test(c.name))!;
  await context.close();
  const i = Math.floor(real.value.length / 2);
  const tampered = real.value.slice(0, i) + (real.value[i] === 'A' ? 'B' : 'A') + real.value.slice(i + 1);

  for (const [what, value] of Object.entries({ ...forged, 'tampered real token': tampered })) {
    const got = await access(baseURL!, real.name, value);
    expect(got.api, what).toBe(401);
    expect(got.page, what).toBeGreaterThanOrEqual(300);
    expect(got.page, what).toBeLessThan(400);
    expect(got.location, what).toContain('/signin');
  }
  // control: the untouched token works, so the refusals above are the token checks
  expect((await access(baseURL!, real.name, real.value)).api).toBe(200);
});

test('signing out clears the session in the browser', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, 'auditor@acme.test');
  expect((await context.cookies()).some((c) => SESSION_COOKIE.test(c.name))).toBe(true);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
  expect((await context.cookies()).some((c) => SESSION_COOKIE.test(c.name))).toBe(false);
  expect((await context.request.get(AGENTS_API)).status()).toBe(401);
  await context.close();
});

// Sessions are JWT cookies; on their own a copy taken before sign-out would stay valid until it
// expires. Each cookie names a server-side UserSession row that sign-out closes (lib/auth/sessions.ts).
test('a session token copied before sign-out is refused after it', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, 'auditor@acme.test');
  const token = (await context.cookies()).find((c) => SESSION_COOKIE.test(c.name))!;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
  await context.close();
  expect((await access(baseURL!, token.name, token.value)).api).toBe(401);
});

test('a client claiming https itself is not trusted: no Secure cookie prefix, no HSTS without TRUST_PROXY', async ({ baseURL }) => {
  // this server runs without TRUST_PROXY: x-forwarded-proto from a client must be ignored,
  // otherwise anyone could switch the cookie and HSTS behaviour by sending one header
  const api = await request.newContext({ baseURL });
  const res = await api.get('/api/auth/csrf', { headers: { 'x-forwarded-proto': 'https' } });
  expect(res.status()).toBe(200);
  expect(res.headers()['strict-transport-security']).toBeUndefined();
  const setCookie = res.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
  expect(setCookie.length).toBeGreaterThan(0);
  for (const c of setCookie) expect(c).not.toMatch(/^__(Secure|Host)-/);
  await api.dispose();
});

test.describe('behind a TLS proxy (TRUST_PROXY=1)', () => {
  let child: ChildProcess | undefined;
  const port = Number(process.env.E2E_PORT ?? 3100) + 1;
  const tlsBase = `http://127.0.0.1:${port}`;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    // a second instance of the same built server on the same database, as a deployment behind
    // a TLS-terminating proxy runs it; started without the build step (the build is current)
    const code = `const { startServer } = await import(${JSON.stringify(new URL('../server.ts', import.meta.url).pathname)});
      await startServer({ port: ${port}, host: '127.0.0.1', dir: ${JSON.stringify(new URL('..', import.meta.url).pathname)} });
      console.log('READY');`;
    child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: e2eDatabaseUrl(),
        AUTH_SECRET: randomBytes(32).toString('base64url'),
        AUTH_TRUST_HOST: 'true',
        TRUST_PROXY: '1',
        NEXT_TELEMETRY_DISABLED: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`TLS-proxy server did not start: ${log.slice(-2000)}`)), 100_000);
      const onData = (d: Buffer) => {
        log += d.toString();
        if (log.includes('READY')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.once('exit', (code) => reject(new Error(`TLS-proxy server exited ${code}: ${log.slice(-2000)}`)));
    });
  });

  test.afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  test('session cookies are Secure, HttpOnly and SameSite=Lax, and HSTS is sent', async () => {
    const api = await request.newContext({ baseURL: tlsBase, extraHTTPHeaders: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' } });
    const csrf = await api.get('/api/auth/csrf');
    expect(csrf.status()).toBe(200);
    expect(csrf.headers()['strict-transport-security']).toMatch(/max-age=\d+/);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookieHeader = csrf
      .headersArray()
      .filter((h) => h.name.toLowerCase() === 'set-cookie')
      .map((h) => h.value.split(';')[0])
      .join('; ');

    // the credentials callback, as the sign-in form's server action drives it
    const res = await api.post('/api/auth/callback/credentials', {
      form: { csrfToken, email: 'auditor@acme.test', password: DEMO_PASSWORD, callbackUrl: '/' },
      headers: { cookie: cookieHeader, origin: 'https://console.example' },
      maxRedirects: 0,
    });
    const setCookie = res.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
    const session = setCookie.find((c) => c.startsWith('__Secure-authjs.session-token='));
    expect(session, `Set-Cookie: ${setCookie.join(' | ')} (status ${res.status()})`).toBeDefined();
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
    await api.dispose();
  });
});

test('brute force through the sign-in form: locked after repeated failures, even for the right password', async ({ page }) => {
  // a user of its own, so the lock never touches the demo users other specs sign in with
  const email = `brute-${randomBytes(4).toString('hex')}@acme.test`;
  await addDemoMember(email, 'auditor');
  // failures also count per client address (limit 20 per 15 min); put that counter back
  // afterwards so this test does not use up the other specs' allowance
  const ipBefore = await sql<{ key: string; failures: number; windowStart: Date; lockedUntil: Date | null }>(`SELECT * FROM "SignInThrottle" WHERE key LIKE 'ip:%'`);
  try {
    const attempt = async (password: string) => {
      await page.goto('/signin');
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // the form's own alert (Next also renders an empty route announcer with role=alert)
      return page.getByRole('alert').filter({ hasText: /\S/ });
    };
    for (let i = 1; i <= 5; i++) await expect(await attempt(`wrong-password-${i}`)).toHaveText('Wrong e-mail or password.');
    const [row] = await sql<{ failures: number; lockedUntil: Date | null }>(`SELECT failures, "lockedUntil" FROM "SignInThrottle" WHERE key = $1`, [`email:${email}`]);
    expect(row.failures).toBe(5);
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now());

    // locked: the right password is refused too, with a message that says why
    await expect(await attempt(DEMO_PASSWORD)).toHaveText('Too many failed attempts. Wait a few minutes and try again.');
    await expect(page.getByTestId('current-user')).toHaveCount(0);
    await page.goto(`/t/${TENANT}`);
    await expect(page).toHaveURL(/\/signin/);
    // the refused attempt was not counted as a password check: the lock did not grow
    const [after] = await sql<{ failures: number }>(`SELECT failures FROM "SignInThrottle" WHERE key = $1`, [`email:${email}`]);
    expect(after.failures).toBe(5);
  } finally {
    await sql(`DELETE FROM "SignInThrottle" WHERE key = $1`, [`email:${email}`]);
    await sql(`DELETE FROM "SignInThrottle" WHERE key LIKE 'ip:%'`);
    for (const r of ipBefore) {
      await sql(`INSERT INTO "SignInThrottle" (key, failures, "windowStart", "lockedUntil") VALUES ($1, $2, $3, $4)`, [r.key, r.failures, r.windowStart, r.lockedUntil]);
    }
  }
});
