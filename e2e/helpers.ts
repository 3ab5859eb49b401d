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
