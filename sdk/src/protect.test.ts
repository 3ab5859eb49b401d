import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { protect, readServerTools, UNAUTHENTICATED_ERROR_CODE } from './protect';
import type { Toolwarden } from './toolwarden';
import type { Authentication, Check, ToolDecision } from './types';

// protect() against both server classes of the MCP SDK, with a stand-in for the Toolwarden
// client: the handlers are invoked the way the SDK's Protocol invokes them.

const verified: Authentication = { status: 'verified', reason: null, detail: null, identityId: 'wid_1', agentId: 'agt_1', subject: 'spiffe://t/a', onBehalfOf: null };
const decision = (over: Partial<ToolDecision>): ToolDecision => ({
  allow: false,
  decisionId: 'dec_01J00000000000000000000000',
  source: 'remote',
  authentication: verified,
  reason: 'no_grant',
  explanation: 'No grant.',
  grantId: null,
  expiresAt: null,
  approvalRequired: false,
  action: null,
  cacheTtlSeconds: 0,
  ...over,
});

function fakeToolwarden(answer: (check: Check) => ToolDecision) {
  const checks: { token: string | undefined; check: Check }[] = [];
  const tw = {
    checks,
    autoSynced: 0,
    check: async (token: string | undefined, check: Check) => {
      checks.push({ token, check });
      return answer(check);
    },
    listable: async (token: string | undefined, list: Check[]) => {
      const results = list.map((c) => answer(c));
      return {
        authentication: results[0]?.authentication ?? verified,
        visible: results.map((d) => d.allow || d.reason === 'resource_not_granted'),
      };
    },
    autoSync: () => {
      tw.autoSynced++;
    },
  };
  return tw;
}

const extra = (token?: string) => ({
  signal: new AbortController().signal,
  requestId: 1,
  authInfo: token ? { token, clientId: 'c', scopes: [] } : undefined,
  sendNotification: async () => undefined,
  sendRequest: async () => {
    throw new Error('no');
  },
});

type Handler = (req: unknown, extra: unknown) => Promise<Record<string, unknown>>;
const handlers = (server: McpServer | Server) => {
  const low = (server instanceof McpServer ? server.server : server) as unknown as { _requestHandlers: Map<string, Handler> };
  return { list: (token?: string) => low._requestHandlers.get('tools/list')!({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }, extra(token)), call: (name: string, args: Record<string, unknown>, token?: string) => low._requestHandlers.get('tools/call')!({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: args } }, extra(token)) };
};

function mcpServer(ran: string[]) {
  const s = new McpServer({ name: 't', version: '1' });
  s.registerTool('get_invoice', { description: 'Fetch', inputSchema: { id: z.string() }, annotations: { readOnlyHint: true } }, async ({ id }) => {
    ran.push(`get_invoice:${id}`);
    return { content: [{ type: 'text', text: id }] };
  });
  s.registerTool('create_refund', { inputSchema: { payment: z.string() } }, async () => {
    ran.push('create_refund');
    return { content: [{ type: 'text', text: 'refunded' }] };
  });
  s.registerTool('update_invoice', { inputSchema: { id: z.string() } }, async () => {
    ran.push('update_invoice');
    return { content: [{ type: 'text', text: 'updated' }] };
  });
  return s;
}

const policy = (c: Check): ToolDecision =>
  c.tool === 'get_invoice'
    ? decision({ allow: true, reason: 'granted' })
    : c.tool === 'update_invoice'
      ? decision({ reason: 'resource_not_granted' })
      : decision({ reason: 'approval_required', approvalRequired: true, explanation: 'create_refund is critical.' });

describe('protect(McpServer)', () => {
  it('lists the tools the caller may call, plus the access-request tool', async () => {
    const tw = fakeToolwarden(policy);
    const s = protect(tw as unknown as Toolwarden, mcpServer([]));
    const { tools } = await handlers(s).list('tok');
    expect((tools as { name: string }[]).map((t) => t.name)).toEqual(['get_invoice', 'update_invoice', 'toolwarden_request_access']);
    expect(tw.autoSynced).toBe(1);
  });

  it('runs an allowed call with the action, resource and arguments decided on', async () => {
    const ran: string[] = [];
    const tw = fakeToolwarden(policy);
    const s = protect(tw as unknown as Toolwarden, mcpServer(ran), { tools: { get_invoice: { action: 'read', resource: (a) => `invoice:${a.id}` } }, context: () => ({ taskId: 'task-1' }) });
    const result = await handlers(s).call('get_invoice', { id: '7' }, 'tok');
    expect(result.isError).toBeFalsy();
    expect(ran).toEqual(['get_invoice:7']);
    expect(tw.checks[0]).toEqual({ token: 'tok', check: { tool: 'get_invoice', action: 'read', resource: 'invoice:7', context: { taskId: 'task-1', arguments: { id: '7' } } } });
  });

  it('refuses a denied call with a tool error the model can act on; the tool does not run', async () => {
    const ran: string[] = [];
    const s = protect(fakeToolwarden(policy) as unknown as Toolwarden, mcpServer(ran), { tools: { create_refund: { action: 'write' } } });
    const result = await handlers(s).call('create_refund', { payment: 'p' }, 'tok');
    expect(result.isError).toBe(true);
    const text = (result.content as { text: string }[])[0]!.text;
    expect(text).toContain('approval_required');
    expect(text).toContain('"actions":["write"]');
    expect((result._meta as Record<string, unknown>)['toolwarden/decision']).toMatchObject({ reason: 'approval_required', allow: false });
    expect(ran).toEqual([]);
  });

  it('answers a caller without a token, or one that fails authentication, with the 401 error', async () => {
    const failed = fakeToolwarden(() => decision({ authentication: { ...verified, status: 'failed', reason: 'token_expired', detail: 'expired', agentId: null }, reason: 'not_authenticated' }));
    const s = protect(failed as unknown as Toolwarden, mcpServer([]), { resourceMetadataUrl: 'https://x/.well-known/oauth-protected-resource/mcp' });
    for (const attempt of [() => handlers(s).call('get_invoice', { id: '1' }), () => handlers(s).call('get_invoice', { id: '1' }, 'tok'), () => handlers(s).list('tok')]) {
      const error = await attempt().catch((e) => e);
      expect(error).toBeInstanceOf(McpError);
      expect(error.code).toBe(UNAUTHENTICATED_ERROR_CODE);
      expect(error.data).toMatchObject({ status: 401, resourceMetadata: 'https://x/.well-known/oauth-protected-resource/mcp' });
    }
  });

  it('refuses when the resource cannot be derived, without asking or running', async () => {
    const ran: string[] = [];
    const tw = fakeToolwarden(policy);
    const s = protect(tw as unknown as Toolwarden, mcpServer(ran), {
      tools: {
        get_invoice: {
          resource: () => {
            throw new Error('no id');
          },
        },
      },
    });
    expect((await handlers(s).call('get_invoice', { id: '1' }, 'tok')).isError).toBe(true);
    expect(ran).toEqual([]);
    expect(tw.checks).toEqual([]);
  });

  it('reads the server’s own tool list for tools/sync, without the access-request tool', async () => {
    const s = protect(fakeToolwarden(policy) as unknown as Toolwarden, mcpServer([]), { syncTools: false });
    const tools = await readServerTools(s);
    expect(tools.map((t) => t.name)).toEqual(['get_invoice', 'create_refund', 'update_invoice']);
    expect(tools[0]).toMatchObject({ description: 'Fetch', annotations: { readOnlyHint: true } });
    expect(tools[0]!.inputSchema).toMatchObject({ type: 'object' });
  });

  it('refuses to protect twice or before any tool exists', () => {
    const tw = fakeToolwarden(policy) as unknown as Toolwarden;
    const s = protect(tw, mcpServer([]));
    expect(() => protect(tw, s)).toThrow(/already protected/);
    const empty = new Server({ name: 'e', version: '1' }, { capabilities: { tools: {} } });
    expect(() => protect(tw, empty)).toThrow(/register its tools/);
  });
});

describe('protect(Server)', () => {
  it('guards a low-level server’s own handlers the same way', async () => {
    const ran: string[] = [];
    const s = new Server({ name: 'low', version: '1' }, { capabilities: { tools: {} } });
    s.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: 'get_invoice', inputSchema: { type: 'object' } }, { name: 'create_refund', inputSchema: { type: 'object' } }] }));
    s.setRequestHandler(CallToolRequestSchema, async (req) => {
      ran.push(req.params.name);
      return { content: [{ type: 'text', text: 'ok' }] };
    });
    protect(fakeToolwarden(policy) as unknown as Toolwarden, s, { accessRequestTool: false });
    const { tools } = await handlers(s).list('tok');
    expect((tools as { name: string }[]).map((t) => t.name)).toEqual(['get_invoice']);
    expect((await handlers(s).call('get_invoice', {}, 'tok')).isError).toBeFalsy();
    const denied = await handlers(s).call('create_refund', {}, 'tok');
    expect(denied.isError).toBe(true);
    expect((denied.content as { text: string }[])[0]!.text).not.toContain('toolwarden_request_access');
    expect(ran).toEqual(['get_invoice']);
  });
});
