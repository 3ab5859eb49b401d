// An agent's view of the billing server: list the tools, call a few, print what comes back.
//
//   TOKEN=$(npx toolwarden token mint --agent billing-agent --audience billing-mcp) npx tsx examples/billing-server/client.ts

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const url = new URL(process.env.MCP_URL ?? 'http://127.0.0.1:3001/mcp');
const token = process.env.TOKEN;
if (!token) {
  console.error('TOKEN is not set:\n  TOKEN=$(npx toolwarden token mint --agent billing-agent --audience billing-mcp) npx tsx examples/billing-server/client.ts');
  process.exit(2);
}

const client = new Client({ name: 'billing-example-client', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));

const { tools } = await client.listTools();
console.log(`tools/list → ${tools.map((t) => t.name).join(', ')}\n`);

const calls: { name: string; arguments: Record<string, unknown> }[] = [
  { name: 'get_invoice', arguments: { id: 'inv_1001' } },
  { name: 'update_invoice', arguments: { id: 'inv_1001', dueDate: '2026-08-01' } },
  { name: 'update_invoice', arguments: { id: 'inv_1001', amount: 9000 } },
  { name: 'create_refund', arguments: { paymentId: 'pay_77', amount: 120, reason: 'duplicate charge' } },
];
for (const call of calls) {
  const result = await client.callTool(call);
  const text = (result.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('\n');
  console.log(`${result.isError ? 'DENIED ' : 'OK     '} ${call.name} ${JSON.stringify(call.arguments)}\n${text.replace(/^/gm, '    ')}\n`);
}
await client.close();
