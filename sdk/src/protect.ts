// Puts an @modelcontextprotocol/sdk server (McpServer or the low-level Server) under Toolwarden:
// its tools/list answer is filtered to the tools the caller may call, and every tools/call is
// decided before the tool runs. The server's own handlers stay as they are and run only when
// Toolwarden allows.
//
// The SDK has no public hook around request handlers, so protect() swaps the two entries of the
// Server's request-handler map for wrappers that call the originals. It checks that the map has
// the expected shape and throws otherwise, so a future SDK that changes it fails loudly at
// startup instead of running tools unguarded.

import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { ApiError } from './api-client.js';
import { denialText } from './messages.js';
import type { SyncTool, Toolwarden } from './toolwarden.js';
import { ACTION_NAMES, type Action, type Authentication, type Check, type CheckContext, type ToolDecision } from './types.js';

/** JSON-RPC error code for "the caller is not authenticated" (HTTP 401 semantics inside MCP). */
export const UNAUTHENTICATED_ERROR_CODE = -32401;

export interface ToolRule {
  /** the action this tool performs; omitted → the tool's default action in Toolwarden */
  action?: Action;
  /**
   * The resource a call touches, from its arguments, matched against grant resource patterns
   * (e.g. `(args) => \`invoice:${args.id}\``). Receives the arguments as sent, before the tool's
   * schema validated them: return undefined when they do not name one.
   */
  resource?: (args: Record<string, unknown>) => string | undefined;
}

export interface CallInfo {
  tool: string;
  arguments: Record<string, unknown>;
  authInfo: AuthInfo | undefined;
  /** the request's `_meta` */
  meta: Record<string, unknown> | undefined;
}

export interface AccessRequestToolOptions {
  /** default `toolwarden_request_access` */
  name?: string;
  /** when the caller does not say; default 3600 (within every risk level's maximum) */
  defaultDurationSeconds?: number;
  /** the longest a call to this tool waits for a decision; default 50 (MCP clients time out at 60) */
  maxWaitSeconds?: number;
}

export interface ProtectOptions {
  /** per tool name: action and resource */
  tools?: Record<string, ToolRule>;
  /** for tools without an entry in `tools` */
  defaultRule?: ToolRule;
  /** environment, task id or delegating user of a call (e.g. from `_meta` or the session) */
  context?: (call: CallInfo) => Omit<CheckContext, 'arguments'> | undefined;
  /** send the call's arguments for grant conditions (`args.*` in CEL). Default true. */
  sendArguments?: boolean;
  /**
   * Offer the model a tool that files an access request when a call needs approval, and can wait
   * for its outcome. Default on; `false` to leave it out.
   */
  accessRequestTool?: boolean | AccessRequestToolOptions;
  /** register the server's tools with Toolwarden the first time a server is protected. Default true. */
  syncTools?: boolean;
  /** the RFC 9728 metadata URL, included in authentication errors */
  resourceMetadataUrl?: string;
}

type Extra = {
  signal: AbortSignal;
  authInfo?: AuthInfo;
  requestId: string | number;
  [key: string]: unknown;
};
type RawRequest = { method: string; params?: Record<string, unknown>; [key: string]: unknown };
type RawHandler = (request: RawRequest, extra: Extra) => Promise<unknown>;

interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  [key: string]: unknown;
}

/** An McpServer (has `.server`) or a low-level Server. */
export type ProtectableServer = object;

const PROTECTED = Symbol.for('toolwarden.protected');

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** the low-level Server behind an McpServer, or the Server itself */
function lowLevel(server: ProtectableServer): Record<string | symbol, unknown> {
  const s = server as Record<string, unknown>;
  const inner = s.server as Record<string, unknown> | undefined;
  if (isRecord(inner) && typeof inner.setRequestHandler === 'function') return inner;
  if (typeof s.setRequestHandler === 'function') return s;
  throw new TypeError('protect(): expected an McpServer or a Server from @modelcontextprotocol/sdk');
}

function handlerMap(server: ProtectableServer): Map<string, RawHandler> {
  const s = server as Record<string, unknown>;
  const low = lowLevel(server);
  // McpServer installs its tools handlers with the first registered tool; make sure they exist
  if (low !== s && !(low._requestHandlers as Map<string, unknown> | undefined)?.has('tools/call') && typeof s.setToolRequestHandlers === 'function') {
    (s.setToolRequestHandlers as () => void).call(s);
  }
  const map = low._requestHandlers;
  if (!(map instanceof Map)) throw new Error('protect(): this @modelcontextprotocol/sdk version keeps request handlers differently; Toolwarden cannot guard it');
  return map as Map<string, RawHandler>;
}

function syntheticExtra(): Extra {
  return {
    signal: new AbortController().signal,
    requestId: 'toolwarden-tools-sync',
    sendNotification: async () => undefined,
    sendRequest: async () => {
      throw new Error('not available while reading the tool list');
    },
  };
}

/** The server's own tools/list (all pages), as its handler answers it. */
export async function readServerTools(server: ProtectableServer): Promise<SyncTool[]> {
  const low = lowLevel(server);
  const original = (low[PROTECTED] as { list: RawHandler } | undefined)?.list ?? handlerMap(server).get('tools/list');
  if (!original) throw new Error('readServerTools(): the server has no tools/list handler (register tools first)');
  const hidden = (low[PROTECTED] as { hidden?: string } | undefined)?.hidden;
  const tools: SyncTool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await original({ jsonrpc: '2.0', id: 0, method: 'tools/list', params: cursor ? { cursor } : {} }, syntheticExtra());
    if (!isRecord(result) || !Array.isArray(result.tools)) break;
    for (const t of result.tools as ListedTool[]) {
      if (!isRecord(t) || typeof t.name !== 'string' || t.name === hidden) continue;
      tools.push({
        name: t.name,
        title: typeof t.title === 'string' ? t.title : null,
        description: typeof t.description === 'string' ? t.description : null,
        inputSchema: isRecord(t.inputSchema) ? t.inputSchema : null,
        annotations: isRecord(t.annotations) ? (t.annotations as SyncTool['annotations']) : null,
      });
    }
    cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined;
    if (!cursor) break;
  }
  return tools;
}

export function unauthenticatedError(authentication: Pick<Authentication, 'reason' | 'detail'> | null, resourceMetadataUrl?: string): McpError {
  const reason = authentication?.reason ?? 'token_missing';
  const detail = authentication?.detail ?? 'no bearer token was presented';
  return new McpError(UNAUTHENTICATED_ERROR_CODE, `Unauthorized (401): the caller could not be authenticated: ${reason}: ${detail}`, {
    status: 401,
    reason,
    ...(resourceMetadataUrl ? { resourceMetadata: resourceMetadataUrl } : {}),
  });
}

function textResult(text: string, isError: boolean, meta?: Record<string, unknown>) {
  return { content: [{ type: 'text' as const, text }], ...(isError ? { isError: true } : {}), ...(meta ? { _meta: meta } : {}) };
}

function decisionMeta(decision: ToolDecision): Record<string, unknown> {
  return {
    'toolwarden/decision': {
      decisionId: decision.decisionId,
      allow: decision.allow,
      reason: decision.reason,
      approvalRequired: decision.approvalRequired,
      source: decision.source,
    },
  };
}

function accessToolDefinition(name: string, maxWait: number): ListedTool {
  return {
    name,
    title: 'Request access to a tool',
    description:
      'Ask a person for permission to use a tool of this server that was refused and said approval can be requested. ' +
      'Files an access request in Toolwarden (people approve it there) and can wait for the outcome. ' +
      'To check on a request already filed, pass its requestId instead of the other fields. Retry the original tool once it is approved.',
    inputSchema: {
      type: 'object',
      properties: {
        tool: { type: 'string', description: 'the tool to get access to' },
        actions: { type: 'array', items: { type: 'string', enum: [...ACTION_NAMES] }, minItems: 1, description: 'what the access is for' },
        resource: { type: 'string', description: 'the resource, as named in the refusal (optional)' },
        justification: { type: 'string', minLength: 10, description: 'why this task needs the access (shown to approvers)' },
        durationSeconds: { type: 'integer', minimum: 60, description: 'how long the access should last' },
        waitSeconds: { type: 'integer', minimum: 0, maximum: maxWait, description: 'wait this long for a decision (0 = do not wait)' },
        requestId: { type: 'string', description: 'check on (and wait for) a request filed earlier' },
      },
    },
    annotations: { title: 'Request access to a tool', readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  };
}

function describeState(tool: string | null, state: { id: string; status: string; expiresAt?: string; grantExpiresAt?: string }, toolName: string): string {
  const subject = tool ? ` for ${tool}` : '';
  switch (state.status) {
    case 'approved':
      return `Access request ${state.id}${subject} was approved${state.grantExpiresAt ? `; the access lasts until ${state.grantExpiresAt}` : ''}. Retry the call now.`;
    case 'pending':
      return `Access request ${state.id}${subject} is pending: a person must approve it in Toolwarden${state.expiresAt ? ` (unanswered, it expires at ${state.expiresAt})` : ''}. To wait for the outcome, call ${toolName} with {"requestId":"${state.id}","waitSeconds":30}.`;
    default:
      return `Access request ${state.id}${subject} was ${state.status}; the call stays refused. Do not retry it without a new reason.`;
  }
}

/**
 * Guards the server's tools/list and tools/call with Toolwarden. Call after registering tools and
 * before connecting a transport. Returns the same server.
 */
export function protect<S extends ProtectableServer>(toolwarden: Toolwarden, server: S, options: ProtectOptions = {}): S {
  const low = lowLevel(server);
  if (low[PROTECTED]) throw new Error('protect(): this server is already protected');
  const handlers = handlerMap(server);
  const originalList = handlers.get('tools/list');
  const originalCall = handlers.get('tools/call');
  if (typeof originalList !== 'function' || typeof originalCall !== 'function') {
    throw new Error('protect(): the server has no tools/list and tools/call handlers; register its tools before protecting it');
  }
  const rules = options.tools ?? {};
  const sendArguments = options.sendArguments ?? true;
  const accessOpt = options.accessRequestTool ?? true;
  const access = accessOpt === false ? null : {
    name: (accessOpt === true ? undefined : accessOpt.name) ?? 'toolwarden_request_access',
    defaultDuration: (accessOpt === true ? undefined : accessOpt.defaultDurationSeconds) ?? 3600,
    maxWait: Math.min(55, Math.max(0, (accessOpt === true ? undefined : accessOpt.maxWaitSeconds) ?? 50)),
  };
  low[PROTECTED] = { list: originalList, call: originalCall, hidden: access?.name };

  const ruleOf = (tool: string): ToolRule => rules[tool] ?? options.defaultRule ?? {};
  const contextOf = (call: CallInfo): Omit<CheckContext, 'arguments'> => {
    const c = options.context?.(call);
    return c ? { ...c } : {};
  };
  const fail = (authn: Pick<Authentication, 'reason' | 'detail'> | null) => unauthenticatedError(authn, options.resourceMetadataUrl);

  const guardedList: RawHandler = async (request, extra) => {
    const result = await originalList(request, extra);
    const token = extra.authInfo?.token;
    if (!token) throw fail(null);
    const tools = isRecord(result) && Array.isArray(result.tools) ? (result.tools as ListedTool[]) : [];
    const named = tools.filter((t) => isRecord(t) && typeof t.name === 'string' && t.name !== access?.name);
    const checks: Check[] = named.map((t) => {
      const context = contextOf({ tool: t.name, arguments: {}, authInfo: extra.authInfo, meta: undefined });
      return { tool: t.name, action: ruleOf(t.name).action, ...(Object.keys(context).length ? { context } : {}) };
    });
    const { authentication, visible } = await toolwarden.listable(token, checks, { signal: extra.signal });
    if (authentication?.status === 'failed') throw fail(authentication);
    if (checks.length > 0 && authentication === null) {
      throw new McpError(ErrorCode.InternalError, 'Toolwarden, which authorizes this server’s tools, cannot be reached right now; no tools are available until it answers.');
    }
    const listed: ListedTool[] = named.filter((_, i) => visible[i]);
    if (access && !tools.some((t) => t.name === access.name)) listed.push(accessToolDefinition(access.name, access.maxWait));
    return { ...(isRecord(result) ? result : {}), tools: listed };
  };

  const guardedCall: RawHandler = async (request, extra) => {
    const params = isRecord(request.params) ? request.params : {};
    const name = params.name;
    // a malformed request goes to the SDK's own validation, which refuses it; no tool runs
    if (typeof name !== 'string') return originalCall(request, extra);
    const args = isRecord(params.arguments) ? params.arguments : {};
    const token = extra.authInfo?.token;
    if (!token) throw fail(null);
    const meta = isRecord(params._meta) ? params._meta : undefined;
    const call: CallInfo = { tool: name, arguments: args, authInfo: extra.authInfo, meta };
    if (access && name === access.name) return accessRequestCall(call, token, extra);

    const rule = ruleOf(name);
    let resource: string | undefined;
    try {
      const r = rule.resource?.(args);
      if (r !== undefined && r !== null && typeof r !== 'string') throw new TypeError('the resource function must return a string or undefined');
      resource = r ?? undefined;
    } catch (error) {
      return textResult(`The call to ${name} was refused: its arguments do not name a resource Toolwarden can check (${(error as Error).message}).`, true);
    }
    const context: CheckContext = contextOf(call);
    if (sendArguments) context.arguments = args;
    const check: Check = { tool: name, ...(rule.action ? { action: rule.action } : {}), ...(resource !== undefined ? { resource } : {}), context };
    const decision = await toolwarden.check(token, check, { signal: extra.signal });
    if (decision.authentication?.status === 'failed') throw fail(decision.authentication);
    if (!decision.allow) {
      const text = denialText(name, decision, { accessRequestTool: access?.name ?? null, action: rule.action ?? null, resource });
      return textResult(text, true, decisionMeta(decision));
    }
    return originalCall(request, extra);
  };

  async function accessRequestCall(call: CallInfo, token: string, extra: Extra) {
    const a = call.arguments;
    const toolName = access!.name;
    const wait = typeof a.waitSeconds === 'number' && Number.isFinite(a.waitSeconds) ? Math.min(access!.maxWait, Math.max(0, Math.floor(a.waitSeconds))) : 0;
    try {
      if (typeof a.requestId === 'string' && a.requestId) {
        const state = await toolwarden.waitForAccessRequest(a.requestId, { waitSeconds: wait, signal: extra.signal });
        return textResult(describeState(null, state, toolName), false);
      }
      const tool = typeof a.tool === 'string' ? a.tool : '';
      if (!tool) return textResult(`${toolName} needs "tool" (the tool to get access to), or "requestId" to check on a request.`, true);
      let actions = Array.isArray(a.actions) ? a.actions.filter((x): x is Action => (ACTION_NAMES as readonly unknown[]).includes(x)) : [];
      if (actions.length === 0 && ruleOf(tool).action) actions = [ruleOf(tool).action!];
      if (actions.length === 0) return textResult(`${toolName} needs "actions": one or more of ${ACTION_NAMES.join(', ')}.`, true);
      const justification = typeof a.justification === 'string' ? a.justification.trim() : '';
      if (justification.length < 10) return textResult(`${toolName} needs a "justification" of at least 10 characters saying why the task needs this access.`, true);
      const duration = typeof a.durationSeconds === 'number' && Number.isInteger(a.durationSeconds) ? a.durationSeconds : access!.defaultDuration;
      const taskId = contextOf(call).taskId;
      const state = await toolwarden.requestAccess(
        token,
        {
          tool,
          actions: [...new Set(actions)],
          ...(typeof a.resource === 'string' && a.resource ? { resource: a.resource } : {}),
          durationSeconds: duration,
          justification,
          ...(taskId ? { taskId } : {}),
        },
        { waitSeconds: wait, signal: extra.signal },
      );
      return textResult(describeState(tool, state, toolName), false);
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) throw fail({ reason: null, detail: error.message });
      const detail = error instanceof ApiError && typeof error.problem?.detail === 'string' ? error.problem.detail : (error as Error).message;
      return textResult(`The access request could not be filed: ${detail}`, true);
    }
  }

  handlers.set('tools/list', guardedList);
  handlers.set('tools/call', guardedCall);
  if (options.syncTools ?? true) toolwarden.autoSync(() => readServerTools(server));
  return server;
}
