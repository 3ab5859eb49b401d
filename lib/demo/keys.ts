import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

// The demo trust domain's signing key. Only the public half goes into the database; the private
// half stays in the data directory (mode 600), so only this machine can mint demo tokens.

export interface DemoSigningKey {
  kid: string;
  alg: 'ES256';
  privateJwk: JWK;
  publicJwk: JWK;
}

function keyFile(dataDir: string, tenantSlug: string, trustDomain: string): string {
  return path.join(dataDir, 'demo-keys', `${tenantSlug}__${trustDomain}.jwk.json`);
}

export async function createDemoKey(dataDir: string, tenantSlug: string, trustDomain: string): Promise<DemoSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `demo-${Date.now().toString(36)}`;
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const file = keyFile(dataDir, tenantSlug, trustDomain);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ kid, alg: 'ES256', privateJwk, publicJwk }, null, 2));
  chmodSync(file, 0o600);
  return { kid, alg: 'ES256', privateJwk, publicJwk };
}

export function loadDemoKey(dataDir: string, tenantSlug: string, trustDomain: string): DemoSigningKey | null {
  const file = keyFile(dataDir, tenantSlug, trustDomain);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as DemoSigningKey;
}

export async function importDemoPrivateKey(key: DemoSigningKey) {
  return importJWK(key.privateJwk, key.alg);
}
