import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { expect, type Page } from '@playwright/test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export const DEMO_PASSWORD = 'e2e-demo-password-1234';
export const TENANT = 'acme';

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toHaveText(email);
}

/** SQL against the e2e server's database, for assertions on what was stored. */
export async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const url = readFileSync(path.join('.e2e-state', `db-url-${process.env.E2E_PORT ?? '3100'}`), 'utf8').trim();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** the e2e server's database URL (e.g. to run the CLI against it) */
export function e2eDatabaseUrl(): string {
  return readFileSync(path.join('.e2e-state', `db-url-${process.env.E2E_PORT ?? '3100'}`), 'utf8').trim();
}

/**
 * Credentials for calling the machine API from a spec: a server key for one of the tenant's MCP
 * servers (inserted with a known secret, stored as its SHA-256 like the real thing) and a signing
 * key added to a trust domain's JWKS, so the spec can mint agents' JWT-SVIDs.
 */
export async function machineApiCredentials(opts: { serverName: string; trustDomain?: string; tenant?: string }) {
  const tenant = opts.tenant ?? TENANT;
  const trustDomain = opts.trustDomain ?? 'acme.test';
  const [server] = await sql<{ id: string; tenantId: string; audience: string }>(
    `SELECT s.id, s."tenantId", s.audience FROM "McpServer" s JOIN "Tenant" t ON t.id = s."tenantId" WHERE t.slug = $1 AND s.name = $2`,
    [tenant, opts.serverName],
  );
  const keyId = randomBytes(12).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await sql(`INSERT INTO "ServerKey" (id, "tenantId", "serverId", name, "secretHash") VALUES ($1, $2, $3, 'e2e', $4)`, [keyId, server.tenantId, server.id, createHash('sha256').update(secret).digest('hex')]);
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = `e2e-${randomBytes(4).toString('hex')}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  await sql(
    `UPDATE "TrustDomain" SET jwks = jsonb_set(coalesce(jwks, '{"keys":[]}'::jsonb), '{keys}', coalesce(jwks->'keys', '[]'::jsonb) || $1::jsonb), "updatedAt" = now()
     WHERE "tenantId" = $2 AND name = $3`,
    [JSON.stringify([jwk]), server.tenantId, trustDomain],
  );
  return {
    tenantId: server.tenantId,
    serverId: server.id,
    audience: server.audience,
    key: `twk_${keyId}_${secret}`,
    /** a JWT-SVID for spiffe://<trust domain>/agents/<agentName> */
    mint: (agentName: string, ttlSeconds = 300) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setSubject(`spiffe://${trustDomain}/agents/${agentName}`)
        .setAudience(server.audience)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .sign(privateKey);
    },
  };
}

/**
 * A member of the demo tenant who signs in with the demo password (the hash is copied from an
 * existing demo user), e.g. a second tool owner for four-eyes flows. Idempotent per e-mail.
 */
export async function addDemoMember(email: string, role: 'admin' | 'security' | 'member' | 'auditor', name = email.split('@')[0]!, tenant = TENANT) {
  const [t] = await sql<{ id: string }>('SELECT id FROM "Tenant" WHERE slug = $1', [tenant]);
  const userId = `usr_e2e${randomBytes(6).toString('hex')}`;
  await sql(
    `INSERT INTO "User" (id, email, name, "passwordHash") SELECT $1, $2, $3, "passwordHash" FROM "User" WHERE email = 'owner@acme.test'
     ON CONFLICT (email) DO NOTHING`,
    [userId, email, name],
  );
  const [user] = await sql<{ id: string }>('SELECT id FROM "User" WHERE email = $1', [email]);
  await sql(`INSERT INTO "Membership" (id, "tenantId", "userId", role) VALUES ($1, $2, $3, $4::"Role") ON CONFLICT ("tenantId", "userId") DO NOTHING`, [
    `mem_e2e${randomBytes(6).toString('hex')}`,
    t.id,
    user.id,
    role,
  ]);
  return { userId: user.id, tenantId: t.id };
}

/** Makes a user an owner of a tool (by tool and server name) in the demo tenant. */
export async function addToolOwner(userId: string, toolName: string, serverName: string, tenant = TENANT) {
  await sql(
    `INSERT INTO "ToolOwner" ("tenantId", "toolId", "userId")
     SELECT t."tenantId", t.id, $1 FROM "Tool" t JOIN "McpServer" s ON s.id = t."serverId" JOIN "Tenant" n ON n.id = t."tenantId"
     WHERE n.slug = $2 AND s.name = $3 AND t.name = $4
     ON CONFLICT DO NOTHING`,
    [userId, tenant, serverName, toolName],
  );
}
