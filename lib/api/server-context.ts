import type { ServiceContext } from '../context';
import type { AuthenticatedServer } from '../decisions/server-auth';

/** the ServiceContext of a call made by an MCP server with its key */
export function serverContext(server: AuthenticatedServer, serverName: string, requestId: string, headers: { ip?: string | null; userAgent?: string | null }): ServiceContext {
  return {
    tenantId: server.tenantId,
    actor: { type: 'server', id: server.serverId, label: serverName },
    requestMeta: { ip: headers.ip ?? null, userAgent: headers.userAgent ?? null, requestId },
  };
}
