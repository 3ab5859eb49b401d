import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request, type APIRequestContext } from '@playwright/test';
import { DEMO_PASSWORD, e2eDatabaseUrl, sql } from '../helpers';
import type { Role } from '../../lib/auth/permissions';

// Tenants of the security specs' own, so their mutations (members, approval policies, retention)
// never touch the demo tenant the other specs share. Created the way an operator would: the
// tenant and its first admin with the CLI against the e2e database, every further user through
// the console's members API (whose one-time initial password they sign in with), each signed in
// through the real sign-in form.

export interface TenantUser {
  key: string;
  role: Role;
  email: string;
  userId: string;
  membershipId: string;
  /** an API client carrying this user's session cookie (no default Origin: callers choose) */
  api: APIRequestContext;
}

export interface OwnTenant {
  id: string;
  slug: string;
  name: string;
  users: Record<string, TenantUser>;
  dispose: () => Promise<void>;
}

export const rand = () => randomBytes(4).toString('hex');

/** `toolwarden create-admin` against the e2e server's database */
export async function createTenantWithCli(slug: string, name: string, adminEmail: string, password = DEMO_PASSWORD): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'create-admin', '--tenant', slug, '--name', name, '--email', adminEmail, '--password', password], {
    env: { ...process.env, DATABASE_URL: e2eDatabaseUrl() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`create-admin failed (${code}): ${out}`);
}

/**
 * Signs in through Auth.js's credentials sign-in (the CSRF token, then the callback the sign-in
 * form's server action drives: same password check, same throttle) and returns an API client
 * holding the session cookie. The form itself is exercised in security-session.spec.ts; here the
 * browser round trip would only make a dozen sign-ins slow.
 */
export async function signedInApi(baseURL: string, email: string, password: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL });
  const csrf = await api.get('/api/auth/csrf');
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await api.post('/api/auth/callback/credentials', { form: { csrfToken, email, password, callbackUrl: '/' }, maxRedirects: 0 });
  const session = (await (await api.get('/api/auth/session')).json()) as { user?: { email?: string } } | null;
  if (res.status() !== 302 || session?.user?.email !== email) {
    await api.dispose();
    throw new Error(`sign-in of ${email} failed: ${res.status()} ${res.headers()['location'] ?? ''}`);
  }
  return api;
}

/**
 * A tenant with one signed-in user per requested key and role (the first must be an admin: it
 * is the CLI's user and adds the others). `marker` goes into the tenant name and every e-mail,
 * so a response can be searched for anything of this tenant's.
 */
export async function createOwnTenant(
  baseURL: string,
  opts: { prefix: string; marker: string; users: { key: string; role: Role }[] },
): Promise<OwnTenant> {
  const slug = `${opts.prefix}-${rand()}`;
  const name = `Tenant ${opts.marker}`;
  const [first, ...rest] = opts.users;
  if (!first || first.role !== 'admin') throw new Error('the first user must be the admin');
  const adminEmail = `${first.key}-${opts.marker}@${slug}.test`;
  await createTenantWithCli(slug, name, adminEmail);
  const [tenant] = await sql<{ id: string }>('SELECT id FROM "Tenant" WHERE slug = $1', [slug]);
  const origin = new URL(baseURL).origin;

  const users: Record<string, TenantUser> = {};
  const adminApi = await signedInApi(baseURL, adminEmail, DEMO_PASSWORD);
  const [adminRow] = await sql<{ userId: string; id: string }>('SELECT m."userId", m.id FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1 AND m."tenantId" = $2', [
    adminEmail,
    tenant.id,
  ]);
  users[first.key] = { key: first.key, role: 'admin', email: adminEmail, userId: adminRow.userId, membershipId: adminRow.id, api: adminApi };

  const added: { u: (typeof rest)[number]; email: string; userId: string; membershipId: string; password: string }[] = [];
  for (const u of rest) {
    const email = `${u.key}-${opts.marker}@${slug}.test`;
    const res = await adminApi.post(`/api/console/t/${slug}/members`, { data: { email, role: u.role, name: `${u.key} ${opts.marker}` }, headers: { origin } });
    if (res.status() !== 201) throw new Error(`adding ${email} failed: ${res.status()} ${await res.text()}`);
    const body = (await res.json()) as { membership: { id: string }; user: { id: string }; initialPassword: string };
    added.push({ u, email, userId: body.user.id, membershipId: body.membership.id, password: body.initialPassword });
  }
  // each new user signs in with the one-time password the admin was shown
  const apis = await Promise.all(added.map((a) => signedInApi(baseURL, a.email, a.password)));
  added.forEach((a, i) => (users[a.u.key] = { key: a.u.key, role: a.u.role, email: a.email, userId: a.userId, membershipId: a.membershipId, api: apis[i]! }));
  return {
    id: tenant.id,
    slug,
    name,
    users,
    dispose: async () => {
      for (const u of Object.values(users)) await u.api.dispose();
    },
  };
}
