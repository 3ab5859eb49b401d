import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/hash';
import type { PolicyData } from '../policy';
import type { AgentRecord, IdentityRecord, TrustDomainKeys } from '../identity';
import type { ServerRecord, TenantSnapshot } from './snapshot-types';

// What one MCP server may see for local evaluation: its own tools, the grants and deny rules
// that touch them, and the identities of the agents those grants name. Never another server's
// grants, never another tenant's anything.

export interface ServerSnapshot {
  version: string;
  server: Pick<ServerRecord, 'id' | 'name' | 'audience' | 'environment'>;
  policy: PolicyData;
  trustDomains: TrustDomainKeys[];
  identities: IdentityRecord[];
  agents: AgentRecord[];
}

export function serverSnapshot(snap: TenantSnapshot, server: ServerRecord): { body: ServerSnapshot; etag: string } {
  const tools = snap.data.tools.filter((t) => t.serverId === server.id);
  const toolIds = new Set(tools.map((t) => t.id));
  const grants = snap.data.grants.filter((g) => toolIds.has(g.toolId));
  const denyRules = snap.data.denyRules.filter((d) => d.toolId === null || toolIds.has(d.toolId));
  const agentIds = new Set(grants.map((g) => g.agentId));
  const identities = [...snap.identities.values()].filter((i) => agentIds.has(i.agentId));
  const agents = [...agentIds].map((id) => snap.agents.get(id)).filter((a): a is AgentRecord => !!a);
  const trustIds = new Set(identities.map((i) => i.trustDomainId));
  const body: ServerSnapshot = {
    version: String(snap.version),
    server: { id: server.id, name: server.name, audience: server.audience, environment: server.environment },
    policy: { tools, grants, denyRules },
    trustDomains: snap.trustDomains.filter((t) => trustIds.has(t.id)),
    identities,
    agents,
  };
  // strong ETag over the content (not the version: a change elsewhere in the tenant leaves it)
  const { version: _v, ...content } = body;
  const etag = `"${createHash('sha256').update(canonicalJson(content)).digest('base64url')}"`;
  return { body, etag };
}
