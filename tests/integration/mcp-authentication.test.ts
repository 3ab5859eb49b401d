import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, SignJWT } from 'jose';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { db, disconnectDb } from '../../lib/db/client';
import { newId } from '../../lib/ids';
import { Toolwarden, UNAUTHENTICATED_ERROR_CODE, type ToolDecision } from '../../sdk/src/index';
import { createPolicyWorld, startApi, type PolicyWorld, type RunningApi } from './api-harness';
import {
  billingMcpServer,
  connectClient,
  executed,
  startAuthorizationServer,
  startProtectedMcp,
  text,
  type RunningMcp,
  type TestAuthorizationServer,
} from './mcp-harness';

// An MCP client (the official SDK, Streamable HTTP) calls a server protected by @toolwarden/mcp,
// with credentials from a real OAuth authorization server (oidc-provider, JWT access tokens for
// RFC 8707 resource indicators) and with JWT-SVIDs. Both decision modes answer alike.

const CLIENT_ID = 'billing-oauth-client';
const CLIENT_SECRET = 'billing-oauth-client-secret-billing-oauth-client-secret';

let api: RunningApi;
let w: PolicyWorld;
let as: TestAuthorizationServer;
let oauth: { agentId: string; identityId: string };

beforeAll(async () => {
  w = await createPolicyWorld('mcpauth');
  as = await startAuthorizationServer([{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }]);
  const td = await db().trustDomain.create({
    data: { id: newId('trustDomain'), tenantId: w.t.tenantId, name: 'oauth-as', issuer: as.issuer, jwksUrl: as.jwksUrl, allowedAlgs: ['ES256'] },
  });
  const agent = await db().agent.create({ data: { id: newId('agent'), tenantId: w.t.tenantId, name: 'oauth-agent' } });
  const identity = await db().workloadIdentity.create({
    data: { id: newId('identity'), tenantId: w.t.tenantId, agentId: agent.id, trustDomainId: td.id, kind: 'oauth_client', subject: CLIENT_ID },
  });
  await db().grant.create({ data: { id: newId('grant'), tenantId: w.t.tenantId, agentId: agent.id, toolId: w.tools.get_invoice, actions: ['read'] } });
  oauth = { agentId: agent.id, identityId: identity.id };
  api = await startApi();
});

afterAll(async () => {
  await as?.close();
  await api?.close();
  await disconnectDb();
});

async function expectUnauthenticated(url: string, token: string): Promise<void> {
  let client: Client | undefined;
  let error: unknown;
  try {
    client = await connectClient(url, token);
    await client.listTools();
  } catch (e) {
    error = e;
  } finally {
    await client?.close().catch(() => {});
  }
  expect(error, 'the call must be refused as unauthenticated').toBeDefined();
  const code = (error as { code?: number }).code;
  // a 401 from the HTTP layer, or the MCP error carrying the authentication failure
  expect([401, UNAUTHENTICATED_ERROR_CODE]).toContain(code);
}

describe('tools/sync', () => {
  it('registers the server’s tools/list with name, description and annotations', async () => {
    const tw = new Toolwarden({ baseUrl: api.url, serverKey: w.key });
    const result = await tw.syncTools(billingMcpServer());
    expect(result.created).toBe(0);
    expect(result.missing).toEqual([]);
    const tool = await db().tool.findUniqueOrThrow({ where: { id: w.tools.get_invoice } });
    expect(tool.description).toBe('Fetch one invoice by id');
    expect(tool.annotations).toEqual({ readOnlyHint: true });
    expect((tool.inputSchema as { properties?: Record<string, unknown> }).properties).toHaveProperty('id');
    await tw.close();
  });
});

describe.each(['remote', 'local'] as const)('%s mode', (mode) => {
  let tw: Toolwarden;
  let mcp: RunningMcp;
  const decisions: ToolDecision[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    tw = new Toolwarden({ baseUrl: api.url, serverKey: w.key, mode, backoff: { initialMs: 50, maxMs: 500 }, onDecision: (e) => decisions.push(e.decision) });
    await tw.start();
    // no audience pre-check configured: authentication is Toolwarden's verification
    mcp = await startProtectedMcp(tw, { authorizationServers: [as.issuer] });
  });
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => {});
    await mcp?.close();
    await tw?.close();
  });

  const client = async (token: string) => {
    const c = await connectClient(mcp.url, token);
    clients.push(c);
    return c;
  };

  async function loggedRow(decisionId: string | null) {
    expect(decisionId).toMatch(/^dec_[0-9A-Z]{26}$/);
    if (mode === 'local') expect(await tw.flushDecisionLogs()).toBe(true);
    return db().decisionLog.findFirstOrThrow({ where: { id: decisionId! } });
  }

  describe('OAuth client (oidc-provider JWT access token, resource indicator)', () => {
    let token: string;
    beforeAll(async () => {
      token = await as.token(CLIENT_ID, CLIENT_SECRET, w.server.audience);
    });

    it('lists only the tools the agent may call (plus the access-request tool)', async () => {
      const c = await client(token);
      const names = (await c.listTools()).tools.map((t) => t.name).sort();
      expect(names).toEqual(['get_invoice', 'toolwarden_request_access']);
    });

    it('runs an allowed tool; the decision is logged with the agent and its identity', async () => {
      const c = await client(token);
      const before = decisions.length;
      const result = await c.callTool({ name: 'get_invoice', arguments: { id: `oauth-${mode}` } });
      expect(result.isError).toBeFalsy();
      expect(text(result)).toContain(`"id":"oauth-${mode}"`);
      expect(executed).toContain(`get_invoice:oauth-${mode}`);
      const decision = decisions.slice(before).find((d) => d.allow)!;
      expect(decision.source).toBe(mode);
      const row = await loggedRow(decision.decisionId);
      expect(row).toMatchObject({ allow: true, reason: 'granted', agentId: oauth.agentId, identityId: oauth.identityId, subject: CLIENT_ID, tool: 'get_invoice', resource: `invoice:oauth-${mode}` });
      expect(row.source).toBe(mode === 'local' ? 'local' : 'api');
    });

    it('refuses a denied tool with a tool error that says why and how to escalate', async () => {
      const c = await client(token);
      const refund = await c.callTool({ name: 'create_refund', arguments: { payment: 'pay_1', amount: 10 } });
      expect(refund.isError).toBe(true);
      expect(text(refund)).toContain('approval_required');
      expect(text(refund)).toContain('toolwarden_request_access');
      expect(executed).not.toContain('create_refund:pay_1');
      const update = await c.callTool({ name: 'update_invoice', arguments: { id: '1' } });
      expect(update.isError).toBe(true);
      expect(text(update)).toMatch(/Reason: no_grant — /);
      const meta = (update._meta as Record<string, { decisionId: string }>)['toolwarden/decision']!;
      const row = await loggedRow(meta.decisionId);
      expect(row).toMatchObject({ allow: false, reason: 'no_grant', agentId: oauth.agentId });
    });

    it('rejects a token issued for another audience as unauthenticated', async () => {
      const other = await as.token(CLIENT_ID, CLIENT_SECRET, w.otherServer.audience);
      await expectUnauthenticated(mcp.url, other);
      // once known, the HTTP layer answers 401 with the RFC 9728 hint
      const res = await fetch(mcp.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain(`resource_metadata="${mcp.metadataUrl}"`);
      expect(res.headers.get('www-authenticate')).toContain('audience_mismatch');
    });
  });

  describe('a token that does not verify', () => {
    it('(right audience, signed by another key) is refused as unauthenticated, then 401 at the HTTP layer', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const now = Math.floor(Date.now() / 1000);
      const forged = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: w.kid })
        .setSubject(w.agents.billing.spiffeId)
        .setAudience(w.server.audience)
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(privateKey);
      await expectUnauthenticated(mcp.url, forged);
      const res = await fetch(mcp.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${forged}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('token_signature_invalid');
    });
  });

  describe('SPIFFE JWT-SVID', () => {
    it('lists, runs allowed calls, refuses the rest', async () => {
      const c = await client(await w.mint(w.agents.billing.spiffeId));
      const names = (await c.listTools()).tools.map((t) => t.name).sort();
      // update_invoice: the grant is for invoice:* resources, which a listing cannot name
      expect(names).toEqual(['toolwarden_request_access', 'update_invoice']);
      const ok = await c.callTool({ name: 'update_invoice', arguments: { id: `svid-${mode}` } });
      expect(ok.isError).toBeFalsy();
      expect(executed).toContain(`update_invoice:svid-${mode}`);
      const row = await loggedRow(decisions.filter((d) => d.allow).at(-1)!.decisionId);
      expect(row).toMatchObject({ agentId: w.agents.billing.id, subject: w.agents.billing.spiffeId, resource: `invoice:svid-${mode}` });
      const denied = await c.callTool({ name: 'run_sql', arguments: { sql: 'select 1' } });
      expect(denied.isError).toBe(true);
      expect(text(denied)).toContain('tool_unclassified');
    });

    it('rejects an SVID for another audience, and a request without a token', async () => {
      await expectUnauthenticated(mcp.url, await w.mint(w.agents.billing.spiffeId, { audience: w.otherServer.audience }));
      const res = await fetch(mcp.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${mcp.metadataUrl}"`);
      const metadata = await (await fetch(mcp.metadataUrl)).json();
      expect(metadata).toMatchObject({ resource: mcp.url, authorization_servers: [as.issuer], bearer_methods_supported: ['header'] });
    });
  });

  describe('delegation (RFC 8693 act)', () => {
    it('logs the agent and the user it acts for', async () => {
      const token = await w.mint('alice@example.test', { claims: { act: { sub: w.agents.support.spiffeId } } });
      const c = await client(token);
      const result = await c.callTool({ name: 'get_invoice', arguments: { id: `delegated-${mode}` } });
      expect(result.isError).toBeFalsy();
      const row = await loggedRow(decisions.filter((d) => d.allow).at(-1)!.decisionId);
      expect(row).toMatchObject({ agentId: w.agents.support.id, subject: w.agents.support.spiffeId, onBehalfOf: 'alice@example.test' });
    });
  });
});
