import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../tests/setup/test-database';
import { startOidcProvider } from '../tests/setup/oidc-provider';

// Playwright's web server: the real production server on a fresh database of its own, seeded
// with the demo tenant under a known password. Writes the database URL where specs can read it
// (they assert on the audit trail in the database).

export const E2E_DEMO_PASSWORD = 'e2e-demo-password-1234';

async function main() {
  const database = await createTestDatabase('e2e');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tw-e2e-data-'));
  mkdirSync('.e2e-state', { recursive: true });
  writeFileSync(path.join('.e2e-state', `db-url-${process.env.E2E_PORT ?? '3100'}`), database.url);
  process.env.DATABASE_URL = database.url;
  process.env.TOOLWARDEN_DATA_DIR = dataDir;
  process.env.TOOLWARDEN_DEMO_PASSWORD = E2E_DEMO_PASSWORD;
  process.env.PORT = process.env.E2E_PORT ?? '3100';
  // a real OpenID Provider for the SSO sign-in spec
  const oidc = await startOidcProvider({ redirectUris: [`http://127.0.0.1:${process.env.PORT}/api/auth/callback/oidc`] });
  process.env.AUTH_OIDC_ISSUER = oidc.issuer;
  process.env.AUTH_OIDC_CLIENT_ID = oidc.clientId;
  process.env.AUTH_OIDC_CLIENT_SECRET = oidc.clientSecret;
  process.env.AUTH_OIDC_NAME = 'Test SSO';
  const { start, stopOnSignals } = await import('./start');
  const app = await start();
  stopOnSignals(app, async () => {
    await oidc.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
