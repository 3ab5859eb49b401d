import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { Prisma } from '../../lib/db/generated/client';
import { db } from '../../lib/db/client';
import { newId } from '../../lib/ids';
import { createMachineApiListener } from '../../lib/api/listener';
import { startDecisionRuntime, type DecisionRuntime } from '../../lib/decisions/runtime';
import { createServerKey } from '../../lib/servers/keys';
import { createTenantFixture, type TenantFixture } from './fixtures';

// The machine API over real HTTP (node:http via @hono/node-server) on the run's database.

export interface RunningApi {
  url: string;
  runtime: DecisionRuntime;
  close: () => Promise<void>;
  post: (path: string, body: unknown, key: string | null, headers?: Record<string, string>) => Promise<Response>;
  get: (path: string, key: string | null, headers?: Record<string, string>) => Promise<Response>;
}

export async function startApi(): Promise<RunningApi> {
  const runtime = await startDecisionRuntime();
  // the same listener server.ts mounts: fast path for decisions, Hono for the rest
  const server = http.createServer(createMachineApiListener(runtime));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const auth = (key: string | null): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});
  return {
    url,
    runtime,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.stop();
    },
    post: (path, body, key, headers = {}) =>
      fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth(key), ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    get: (path, key, headers = {}) => fetch(url + path, { headers: { ...auth(key), ...headers } }),
  };
}

export interface PolicyWorld {
  t: TenantFixture;
  trustDomain: { id: string; name: string };
  signingKey: CryptoKey;
  kid: string;
  server: { id: string; audience: string };
  otherServer: { id: string; audience: string };
  key: string;
  otherKey: string;
  agents: Record<'billing' | 'support' | 'idle', { id: string; spiffeId: string }>;
  tools: Record<'get_invoice' | 'update_invoice' | 'create_refund' | 'unclassified' | 'other_server_tool', string>;
  grants: { supportRead: string; billingWrite: string };
  mint: (spiffeId: string, opts?: { audience?: string | string[]; ttl?: number; claims?: Record<string, unknown>; iat?: number }) => Promise<string>;
}

/** One tenant with a SPIFFE trust domain, two servers, tools of several risks and grants. */
export async function createPolicyWorld(label: string): Promise<PolicyWorld> {
  const t = await createTenantFixture(label);
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `k-${label}`;
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const tdName = `${t.slug}.test`;
  const td = await db().trustDomain.create({
    data: { id: newId('trustDomain'), tenantId: t.tenantId, name: tdName, jwks: { keys: [publicJwk] } as unknown as Prisma.InputJsonValue, allowedAlgs: ['ES256'] },
  });
  const mkServer = (name: string) =>
    db().mcpServer.create({ data: { id: newId('server'), tenantId: t.tenantId, name, audience: `https://${name}.${tdName}`, environment: 'prod' } });
  const server = await mkServer('billing');
  const otherServer = await mkServer('ops');
  const mkAgent = async (name: string) => {
    const agent = await db().agent.create({ data: { id: newId('agent'), tenantId: t.tenantId, name } });
    const spiffeId = `spiffe://${tdName}/agents/${name}`;
    await db().workloadIdentity.create({ data: { id: newId('identity'), tenantId: t.tenantId, agentId: agent.id, trustDomainId: td.id, kind: 'spiffe_jwt', subject: spiffeId } });
    return { id: agent.id, spiffeId };
  };
  const agents = { billing: await mkAgent('billing'), support: await mkAgent('support'), idle: await mkAgent('idle') };
  const mkTool = async (serverId: string, name: string, risk: 'low' | 'medium' | 'high' | 'critical' | null, defaultAction: 'read' | 'write') =>
    (
      await db().tool.create({
        data: { id: newId('tool'), tenantId: t.tenantId, serverId, name, definitionHash: name, status: risk ? 'active' : 'unclassified', risk, defaultAction },
      })
    ).id;
  const tools = {
    get_invoice: await mkTool(server.id, 'get_invoice', 'low', 'read'),
    update_invoice: await mkTool(server.id, 'update_invoice', 'medium', 'write'),
    create_refund: await mkTool(server.id, 'create_refund', 'critical', 'write'),
    unclassified: await mkTool(server.id, 'run_sql', null, 'write'),
    other_server_tool: await mkTool(otherServer.id, 'restart_service', 'low', 'write'),
  };
  const grant = (agentId: string, toolId: string, actions: ('read' | 'write')[], extra: Partial<Prisma.GrantUncheckedCreateInput> = {}) =>
    db().grant.create({ data: { id: newId('grant'), tenantId: t.tenantId, agentId, toolId, actions, ...extra } });
  const supportRead = await grant(agents.support.id, tools.get_invoice, ['read']);
  const billingWrite = await grant(agents.billing.id, tools.update_invoice, ['read', 'write'], { resourcePatterns: ['invoice:*'] });
  await grant(agents.billing.id, tools.other_server_tool, ['write']);
  const key = (await createServerKey(t.ctx('admin'), server.id, { name: 'test' })).key;
  const otherKey = (await createServerKey(t.ctx('admin'), otherServer.id, { name: 'test' })).key;
  const mint: PolicyWorld['mint'] = async (spiffeId, opts = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const iat = opts.iat ?? now;
    return new SignJWT({ ...(opts.claims ?? {}) })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(spiffeId)
      .setAudience(opts.audience ?? server.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + (opts.ttl ?? 300))
      .sign(privateKey);
  };
  return {
    t,
    trustDomain: { id: td.id, name: tdName },
    signingKey: privateKey,
    kid,
    server: { id: server.id, audience: server.audience },
    otherServer: { id: otherServer.id, audience: otherServer.audience },
    key,
    otherKey,
    agents,
    tools,
    grants: { supportRead: supportRead.id, billingWrite: billingWrite.id },
    mint,
  };
}

export async function decisionRows(tenantId: string) {
  return db().decisionLog.findMany({ where: { tenantId }, orderBy: { time: 'asc' } });
}

/** poll until fn returns true or the time is up; returns the ms it took */
export async function within(ms: number, fn: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await fn()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`condition not met within ${ms} ms`);
}
