import { db } from '../db/client';
import { compile, type PolicyData } from '../policy';
import type { AgentRecord, IdentityRecord, TrustDomainKeys } from '../identity';
import { identityKey, type ServerRecord, type TenantSnapshot } from './snapshot-types';

const ms = (d: Date | null) => (d ? d.getTime() : null);

/** Reads one tenant's policy from Postgres and compiles it. Revoked grants are left out. */
export async function loadTenantSnapshot(tenantId: string): Promise<TenantSnapshot> {
  const prisma = db();
  // read the version first: a change committed while we read bumps it again, so the cache
  // never marks newer data as seen
  const versionRow = await prisma.policyVersion.findUnique({ where: { tenantId } });
  const [tenant, tools, grants, denyRules, servers, trustDomains, identities, agents] = await Promise.all([
    prisma.tenant.findUnique({ where: { id: tenantId } }),
    prisma.tool.findMany({ where: { tenantId } }),
    prisma.grant.findMany({ where: { tenantId, revokedAt: null } }),
    prisma.denyRule.findMany({ where: { tenantId } }),
    prisma.mcpServer.findMany({ where: { tenantId } }),
    prisma.trustDomain.findMany({ where: { tenantId } }),
    prisma.workloadIdentity.findMany({ where: { tenantId } }),
    prisma.agent.findMany({ where: { tenantId }, select: { id: true, name: true, status: true } }),
  ]);
  if (!tenant) throw new Error(`tenant ${tenantId} not found`);

  const data: PolicyData = {
    tools: tools.map((t) => ({ id: t.id, serverId: t.serverId, name: t.name, status: t.status, risk: t.risk, defaultAction: t.defaultAction })),
    grants: grants.map((g) => ({
      id: g.id,
      agentId: g.agentId,
      toolId: g.toolId,
      kind: g.kind,
      actions: g.actions,
      resourcePatterns: g.resourcePatterns,
      environments: g.environments,
      notBefore: ms(g.notBefore),
      expiresAt: ms(g.expiresAt),
      maxUses: g.maxUses,
      uses: g.uses,
      condition: g.condition,
      delegation: g.delegation,
      delegationUsers: g.delegationUsers,
      revokedAt: null,
    })),
    denyRules: denyRules.map((d) => ({ id: d.id, agentId: d.agentId, toolId: d.toolId, resourcePattern: d.resourcePattern, environment: d.environment, reason: d.reason })),
  };

  return {
    tenantId,
    version: versionRow?.version ?? 0n,
    builtAt: Date.now(),
    data,
    index: compile(data),
    servers: new Map<string, ServerRecord>(
      servers.map((s) => [s.id, { id: s.id, name: s.name, audience: s.audience, environment: s.environment, mayAssertIdentity: s.mayAssertIdentity, status: s.status }]),
    ),
    trustDomains: trustDomains.map(
      (t): TrustDomainKeys => ({
        id: t.id,
        name: t.name,
        issuer: t.issuer,
        jwks: (t.jwks as TrustDomainKeys['jwks']) ?? null,
        jwksUrl: t.jwksUrl,
        allowedAlgs: t.allowedAlgs,
        maxTokenLifetimeSeconds: t.maxTokenLifetimeSeconds,
      }),
    ),
    identities: new Map<string, IdentityRecord>(
      identities.map((i) => [identityKey(i.trustDomainId, i.kind, i.subject), { id: i.id, agentId: i.agentId, trustDomainId: i.trustDomainId, kind: i.kind, subject: i.subject, status: i.status }]),
    ),
    agents: new Map<string, AgentRecord>(agents.map((a) => [a.id, { id: a.id, name: a.name, status: a.status }])),
    captureArguments: tenant.captureArguments,
    maskedArgumentFields: tenant.maskedArgumentFields,
  };
}
