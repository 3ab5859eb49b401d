import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';
import { z } from 'zod';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMachineApi } from '../../lib/api/app';
import { startDecisionRuntime, type DecisionRuntime } from '../../lib/decisions/runtime';
import { protectedResourceMetadata, requireBearerToken, type ProtectOptions, type Toolwarden } from '../../sdk/src/index';

// Real parts for the MCP integration tests: the machine API over HTTP (stoppable mid-session,
// restartable on the same database), a real OAuth authorization server (oidc-provider) issuing
// JWT access tokens for resource indicators, and an MCP server over Streamable HTTP protected by
// the SDK, reached by the official MCP client.

export interface StoppableApi {
  url: string;
  port: number;
  runtime: DecisionRuntime;
  /** closes every connection at once (including long polls), like a crashed process */
  close: () => Promise<void>;
}

export async function startStoppableApi(port = 0): Promise<StoppableApi> {
  const runtime = await startDecisionRuntime();
  const app = createMachineApi(runtime);
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }) as http.Server;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    runtime,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await runtime.stop();
    },
  };
}

// ───────────────────────────── OAuth authorization server ─────────────────────────────

export interface TestAuthorizationServer {
  issuer: string;
  jwksUrl: string;
  /** client_credentials with an RFC 8707 resource indicator → a JWT access token for that audience */
  token: (clientId: string, clientSecret: string, resource: string) => Promise<string>;
  close: () => Promise<void>;
}

export async function startAuthorizationServer(clients: { clientId: string; clientSecret: string }[]): Promise<TestAuthorizationServer> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'as-es256', alg: 'ES256', use: 'sig' } as JWK;
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      // the provider holds only an ES256 key
      id_token_signed_response_alg: 'ES256',
    })),
    jwks: { keys: [signingKey as never] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined as unknown as string,
        useGrantedResource: () => true,
        // every resource server here takes JWT access tokens whose audience is the indicator
        getResourceServerInfo: (_ctx, resourceIndicator) => ({
          scope: 'mcp:tools',
          audience: resourceIndicator,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 300,
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
    cookies: { keys: ['mcp-tests-cookie-key-mcp-tests-cookie-key'] },
  });
  provider.on('server_error', (_ctx: unknown, err: Error) => console.error('oidc-provider', err));
  server.on('request', provider.callback());
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    token: async (clientId, clientSecret, resource) => {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'mcp:tools' }),
      });
      const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
      if (!res.ok || !body.access_token) throw new Error(`token request failed: ${res.status} ${body.error} ${body.error_description}`);
      return body.access_token;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

// ───────────────────────────── the MCP server under test ─────────────────────────────

export const executed: string[] = [];

/** The billing tools of createPolicyWorld's server, each recording that it ran. */
export function billingMcpServer(): McpServer {
  const server = new McpServer({ name: 'billing-test', version: '1.0.0' });
  server.registerTool(
    'get_invoice',
    { description: 'Fetch one invoice by id', inputSchema: { id: z.string() }, annotations: { readOnlyHint: true } },
    async ({ id }) => {
      executed.push(`get_invoice:${id}`);
      return { content: [{ type: 'text', text: JSON.stringify({ id, amount: 120, status: 'open' }) }] };
    },
  );
  server.registerTool(
    'update_invoice',
    { description: 'Change an open invoice', inputSchema: { id: z.string(), amount: z.number().optional() }, annotations: { readOnlyHint: false, destructiveHint: false } },
    async ({ id }) => {
      executed.push(`update_invoice:${id}`);
      return { content: [{ type: 'text', text: `invoice ${id} updated` }] };
    },
  );
  server.registerTool(
    'create_refund',
    { description: 'Refund a payment', inputSchema: { payment: z.string(), amount: z.number() }, annotations: { destructiveHint: true } },
    async ({ payment }) => {
      executed.push(`create_refund:${payment}`);
      return { content: [{ type: 'text', text: `refunded ${payment}` }] };
    },
  );
  server.registerTool('run_sql', { description: 'Run SQL', inputSchema: { sql: z.string() } }, async () => {
    executed.push('run_sql');
    return { content: [{ type: 'text', text: 'ok' }] };
  });
  return server;
}

export const BILLING_RULES: ProtectOptions['tools'] = {
  get_invoice: { action: 'read', resource: (a) => (typeof a.id === 'string' ? `invoice:${a.id}` : undefined) },
  update_invoice: { action: 'write', resource: (a) => (typeof a.id === 'string' ? `invoice:${a.id}` : undefined) },
  create_refund: { action: 'write', resource: (a) => (typeof a.payment === 'string' ? `payment:${a.payment}` : undefined) },
};

export interface RunningMcp {
  url: string;
  metadataUrl: string;
  close: () => Promise<void>;
}

/**
 * An MCP server over Streamable HTTP (stateless: a server and transport per request, as the SDK's
 * stateless example does), behind the SDK's bearer middleware and metadata document.
 */
export async function startProtectedMcp(
  toolwarden: Toolwarden,
  opts: { audience?: string; authorizationServers?: string[]; protect?: ProtectOptions; build?: () => McpServer } = {},
): Promise<RunningMcp> {
  const httpServer = http.createServer();
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp`;
  const metadata = protectedResourceMetadata({ mcpUrl: url, resource: opts.audience, authorizationServers: opts.authorizationServers ?? ['https://issuer.example'] });
  const bearer = requireBearerToken({ toolwarden, resourceMetadataUrl: metadata.url, audience: opts.audience });
  httpServer.on('request', (req, res) => {
    metadata.handler(req, res, () => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/mcp') {
        res.statusCode = 404;
        return res.end();
      }
      bearer(req, res, async (error?: unknown) => {
        if (error) {
          res.statusCode = 500;
          return res.end();
        }
        const server = (opts.build ?? billingMcpServer)();
        toolwarden.protect(server, { tools: BILLING_RULES, syncTools: false, resourceMetadataUrl: metadata.url, ...opts.protect });
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
        res.on('close', () => {
          void transport.close();
          void server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(req, res);
      });
    });
  });
  return {
    url,
    metadataUrl: metadata.url,
    close: async () => {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeAllConnections();
      await closed;
    },
  };
}

/** The official MCP client over Streamable HTTP, presenting `token` as its bearer token. */
export async function connectClient(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'mcp-tests', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  return client;
}

export function text(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? '').join('\n');
}
