import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { db, disconnectDb } from '../../lib/db/client';
import { systemContext } from '../../lib/context';
import { DEMO } from '../../lib/demo/fixtures';
import { loadDemoKey } from '../../lib/demo/keys';
import { mintJwtSvid } from '../../lib/demo/mint-token';
import { seedDemo } from '../../lib/demo/seed';
import { createServerKey } from '../../lib/servers/keys';
import { connectClient, startStoppableApi, text, type StoppableApi } from './mcp-harness';

// examples/billing-server as documented: the demo tenant's billing-mcp server key, the example
// started as its own process, and a demo JWT-SVID for billing-agent — what README's one command
// does against `npm start`, here against the API on the run's database.

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'tw-example-'));
let api: StoppableApi;
let child: ChildProcess | undefined;
let mcpUrl: string;
let output = '';
let client: Client | undefined;

function startExample(env: Record<string, string>): Promise<string> {
  child = spawn(process.execPath, ['--import', 'tsx', 'examples/billing-server/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`example did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child!.stdout!.on('data', onData);
    child!.stderr!.on('data', onData);
    child!.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`example exited with ${code}:\n${output}`));
    });
  });
}

beforeAll(async () => {
  const existing = await db().tenant.findUnique({ where: { slug: DEMO.tenant.slug } });
  if (!existing) await seedDemo(dataDir, { password: 'example-test-password' });
  const tenant = await db().tenant.findUniqueOrThrow({ where: { slug: DEMO.tenant.slug } });
  const server = await db().mcpServer.findFirstOrThrow({ where: { tenantId: tenant.id, name: 'billing-mcp' } });
  const key = await createServerKey(systemContext(tenant.id, 'test'), server.id, { name: 'example' });
  api = await startStoppableApi();
  mcpUrl = await startExample({ TOOLWARDEN_KEY: key.key, TOOLWARDEN_URL: api.url, PORT: '0' });
}, 60_000);

afterAll(async () => {
  await client?.close().catch(() => {});
  child?.kill('SIGTERM');
  await api?.close();
  await disconnectDb();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('examples/billing-server', () => {
  it('registers its tools and answers a demo agent as the grants say', async () => {
    expect(output).toMatch(/tools registered/);
    const key = loadDemoKey(dataDir, DEMO.tenant.slug, DEMO.trustDomain);
    expect(key, 'the demo key written by seedDemo').not.toBeNull();
    const token = await mintJwtSvid({ key: key!, spiffeId: `spiffe://${DEMO.trustDomain}/agents/billing-agent`, audience: 'https://billing.mcp.acme.test' });
    client = await connectClient(mcpUrl, token);

    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(['get_invoice', 'toolwarden_request_access', 'update_invoice']);

    const invoice = await client.callTool({ name: 'get_invoice', arguments: { id: 'inv_1001' } });
    expect(invoice.isError).toBeFalsy();
    expect(text(invoice)).toContain('Globex');

    const small = await client.callTool({ name: 'update_invoice', arguments: { id: 'inv_1001', dueDate: '2026-08-01' } });
    expect(small.isError).toBeFalsy();
    // the demo grant's condition: amounts up to 5,000
    const large = await client.callTool({ name: 'update_invoice', arguments: { id: 'inv_1001', amount: 9000 } });
    expect(large.isError).toBe(true);
    expect(text(large)).toContain('condition_failed');

    for (const name of ['export_ledger', 'create_refund']) {
      const args = name === 'export_ledger' ? { period: '2026-05' } : { paymentId: 'pay_1', amount: 5, reason: 'test' };
      const denied = await client.callTool({ name, arguments: args });
      expect(denied.isError).toBe(true);
      expect(text(denied)).toContain('approval_required');
    }
  });
});
