// A billing MCP server under Toolwarden: four tools, one of each risk level, served over
// Streamable HTTP. Every tools/list is filtered to what the calling agent may call, every
// tools/call is decided by Toolwarden before the tool runs.
//
//   TOOLWARDEN_KEY=$(npx toolwarden server-key create --server billing-mcp) npx tsx examples/billing-server/main.ts
//
// Environment:
//   TOOLWARDEN_KEY    the billing-mcp server key (twk_…), required
//   TOOLWARDEN_URL    the Toolwarden console/API, default http://127.0.0.1:3000
//   TOOLWARDEN_MODE   remote (ask the API per call, default) or local (decide in-process from a snapshot)
//   AUDIENCE          what agent tokens are issued for, default https://billing.mcp.acme.test (the demo's billing-mcp)
//   AUTHORIZATION_SERVERS  comma-separated issuers for the RFC 9728 metadata (optional)
//   HOST, PORT        where this server listens, default 127.0.0.1:3001 (PORT=0: any free port)

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
// In your own project: import { … } from '@toolwarden/mcp';
import { protectedResourceMetadata, requireBearerToken, Toolwarden, type ProtectOptions } from '../../sdk/src/index.js';

const serverKey = process.env.TOOLWARDEN_KEY;
if (!serverKey) {
  console.error('TOOLWARDEN_KEY is not set. Create a key for the demo server:\n  TOOLWARDEN_KEY=$(npx toolwarden server-key create --server billing-mcp) npx tsx examples/billing-server/main.ts');
  process.exit(2);
}
const baseUrl = process.env.TOOLWARDEN_URL ?? 'http://127.0.0.1:3000';
const mode = process.env.TOOLWARDEN_MODE === 'local' ? 'local' : 'remote';
const audience = process.env.AUDIENCE ?? 'https://billing.mcp.acme.test';
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 3001);
const authorizationServers = (process.env.AUTHORIZATION_SERVERS ?? '').split(',').filter(Boolean);

// ── the server's own tools: nothing here knows about Toolwarden ────────────────────────────

const invoices = new Map<string, { id: string; customer: string; amount: number; dueDate: string; status: 'open' | 'paid' }>([
  ['inv_1001', { id: 'inv_1001', customer: 'Globex', amount: 1200, dueDate: '2026-07-01', status: 'open' }],
  ['inv_1002', { id: 'inv_1002', customer: 'Initech', amount: 310, dueDate: '2026-06-15', status: 'paid' }],
]);
const json = (value: unknown) => ({ content: [{ type: 'text' as const, text: JSON.stringify(value, null, 2) }] });

function buildServer(): McpServer {
  const server = new McpServer({ name: 'billing-mcp', version: '1.0.0' });
  server.registerTool(
    'get_invoice',
    { description: 'Fetch one invoice by id', inputSchema: { id: z.string().describe('invoice id, e.g. inv_1001') }, annotations: { readOnlyHint: true } },
    async ({ id }) => json(invoices.get(id) ?? { error: `no invoice ${id}` }),
  );
  server.registerTool(
    'update_invoice',
    {
      description: 'Change an open invoice (lines, due date)',
      inputSchema: { id: z.string(), amount: z.number().positive().optional(), dueDate: z.string().optional() },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    },
    async ({ id, amount, dueDate }) => {
      const invoice = invoices.get(id);
      if (!invoice) return json({ error: `no invoice ${id}` });
      if (amount !== undefined) invoice.amount = amount;
      if (dueDate !== undefined) invoice.dueDate = dueDate;
      return json(invoice);
    },
  );
  server.registerTool(
    'export_ledger',
    { description: 'Export the general ledger as CSV', inputSchema: { period: z.string().describe('e.g. 2026-05') }, annotations: { readOnlyHint: true, openWorldHint: true } },
    async ({ period }) => ({ content: [{ type: 'text', text: `account,period,debit,credit\n4000,${period},0,1510\n1200,${period},1510,0\n` }] }),
  );
  server.registerTool(
    'create_refund',
    {
      description: 'Refund a payment to the customer’s card',
      inputSchema: { paymentId: z.string(), amount: z.number().positive(), reason: z.string() },
      annotations: { readOnlyHint: false, destructiveHint: true },
    },
    async ({ paymentId, amount }) => json({ refund: `re_${Date.now()}`, paymentId, amount, status: 'succeeded' }),
  );
  return server;
}

// ── Toolwarden ──────────────────────────────────────────────────────────────────────────────

/** what each tool does, and which resource a call touches (matched against grant patterns) */
const rules: ProtectOptions['tools'] = {
  get_invoice: { action: 'read', resource: (a) => (typeof a.id === 'string' ? `invoice:${a.id}` : undefined) },
  update_invoice: { action: 'write', resource: (a) => (typeof a.id === 'string' ? `invoice:${a.id}` : undefined) },
  export_ledger: { action: 'export', resource: (a) => (typeof a.period === 'string' ? `ledger:${a.period}` : undefined) },
  create_refund: { action: 'write', resource: (a) => (typeof a.paymentId === 'string' ? `payment:${a.paymentId}` : undefined) },
};

const toolwarden = new Toolwarden({
  baseUrl,
  serverKey,
  mode,
  onError: (error, kind) => console.warn(`[toolwarden] ${kind}: ${error.message}`),
});
await toolwarden.start();
try {
  const synced = await toolwarden.syncTools(buildServer());
  console.log(`[toolwarden] tools registered: ${synced.created} new, ${synced.updated} changed, ${synced.unchanged} unchanged`);
} catch (error) {
  console.error(`[toolwarden] could not register the tools with ${baseUrl}: ${(error as Error).message}`);
  process.exit(1);
}

// ── HTTP: the MCP endpoint, its bearer-token gate and RFC 9728 metadata ───────────────────────

const app = createMcpExpressApp({ host });
const listener = app.listen(port, host, () => {
  const address = listener.address() as AddressInfo;
  const mcpUrl = new URL(`http://${host}:${address.port}/mcp`);
  console.log(`billing-mcp (${mode} decisions) listening on ${mcpUrl.href}`);
  console.log(`  try: TOKEN=$(npx toolwarden token mint --agent billing-agent --audience billing-mcp) MCP_URL=${mcpUrl.href} npx tsx examples/billing-server/client.ts`);
  metadata = protectedResourceMetadata({ mcpUrl, resource: audience, authorizationServers, resourceName: 'Billing MCP (Toolwarden example)' });
  bearer = requireBearerToken({ toolwarden, resourceMetadataUrl: metadata.url, audience });
});
let metadata: ReturnType<typeof protectedResourceMetadata> | undefined;
let bearer: ReturnType<typeof requireBearerToken> | undefined;

app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => (metadata ? metadata.handler(req, res, next) : next()));

// Stateless Streamable HTTP: a server and transport per request (the MCP SDK's stateless pattern).
app.post('/mcp', (req: IncomingMessage, res: ServerResponse, next: () => void) => bearer!(req, res, next));
app.post('/mcp', async (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => {
  const server = toolwarden.protect(buildServer(), { tools: rules, syncTools: false, resourceMetadataUrl: metadata?.url });
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  try {
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  } catch (error) {
    console.error('MCP request failed', error);
    if (!res.headersSent) {
      res.statusCode = 500;
      res.end();
    }
  }
});
const notAllowed = (_req: IncomingMessage, res: ServerResponse) => {
  res.statusCode = 405;
  res.setHeader('Allow', 'POST');
  res.end();
};
app.get('/mcp', notAllowed);
app.delete('/mcp', notAllowed);

async function shutdown() {
  listener.close();
  const { unsentDecisionLogs } = await toolwarden.close();
  if (unsentDecisionLogs) console.warn(`[toolwarden] ${unsentDecisionLogs} decision log entries were not uploaded`);
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
