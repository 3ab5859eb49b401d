// @toolwarden/mcp — put an MCP server under Toolwarden.
//
//   const toolwarden = new Toolwarden({ baseUrl, serverKey, mode: 'local' });
//   await toolwarden.start();
//   toolwarden.protect(mcpServer, { tools: { update_invoice: { action: 'write', resource: (a) => `invoice:${a.id}` } } });
//   app.post('/mcp', requireBearerToken({ toolwarden, resourceMetadataUrl }), handler);
//
// See docs/integrating.md.

export { Toolwarden, SDK_VERSION, wireCheck } from './toolwarden.js';
export type { CheckOptions, SyncTool, ToolSyncResult, ToolwardenStatus } from './toolwarden.js';
export { protect, readServerTools, unauthenticatedError, UNAUTHENTICATED_ERROR_CODE } from './protect.js';
export type { AccessRequestToolOptions, CallInfo, ProtectOptions, ProtectableServer, ToolRule } from './protect.js';
export {
  bearerToken,
  protectedResourceMetadata,
  requireBearerToken,
  resourceMetadataUrl,
  sendUnauthorized,
} from './http-auth.js';
export type { AuthenticatedRequest, NextFunction, ProtectedResourceMetadata, ProtectedResourceOptions, RequireBearerTokenOptions, UnauthorizedOptions } from './http-auth.js';
export { ApiError } from './api-client.js';
export type { ApiErrorKind } from './api-client.js';
export { denialText } from './messages.js';
export { newDecisionId, DECISION_ID_PATTERN } from './ulid.js';
export { ACTION_NAMES } from './types.js';
export type * from './types.js';
