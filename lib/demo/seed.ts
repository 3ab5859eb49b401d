import type { Prisma } from '../db/generated/client';
import { db } from '../db/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { hashPassword } from '../auth/passwords';
import { systemContext } from '../context';
import { newId, randomSecret } from '../ids';
import { bootstrapTenantAdmin } from '../tenants/service';
import { toolDefinitionHash } from '../tools/definition-hash';
import { createDemoKey } from './keys';
import { DEMO } from './fixtures';
import { seedDemoHistory } from './history';

export interface DemoSeedResult {
  tenantSlug: string;
  users: { email: string; role: string }[];
  password: string;
}

/**
 * Seeds the demo tenant: users of every role, a SPIFFE trust domain (private key in the data
 * directory), agents with identities, two MCP servers with tools of every risk level (and one
 * unclassified), grants, a deny rule and a pending access request. Every row is audited.
 */
export async function seedDemo(dataDir: string, opts: { password?: string } = {}): Promise<DemoSeedResult> {
  const password = opts.password ?? randomSecret(12);
  const admin = DEMO.users.find((u) => u.role === 'admin')!;
  const { tenant } = await bootstrapTenantAdmin({ slug: DEMO.tenant.slug, name: DEMO.tenant.name, adminEmail: admin.email, adminName: admin.name, adminPassword: password });
  const ctx = systemContext(tenant.id, 'seed-demo');
  const key = await createDemoKey(dataDir, DEMO.tenant.slug, DEMO.trustDomain);
  const passwordHash = await hashPassword(password);

  await inTx(async (tx) => {
    const audit = (event: Parameters<typeof recordAudit>[2]['event'], targetType: string, row: { id: string }) =>
      recordAudit(tx, ctx, { event, targetType, targetId: row.id, after: row });
    const userIds: Record<string, string> = {};
    for (const u of DEMO.users) {
      if (u.role === 'admin') {
        userIds[u.email] = (await tx.user.findUniqueOrThrow({ where: { email: u.email } })).id;
        continue;
      }
      const user = await tx.user.upsert({ where: { email: u.email }, create: { id: newId('user'), email: u.email, name: u.name, passwordHash }, update: {} });
      userIds[u.email] = user.id;
      const m = await tx.membership.create({ data: { id: newId('membership'), tenantId: tenant.id, userId: user.id, role: u.role } });
      await recordAudit(tx, ctx, { event: 'member.added', targetType: 'membership', targetId: m.id, after: { email: u.email, role: u.role } });
    }

    const td = await tx.trustDomain.create({
      data: {
        id: newId('trustDomain'),
        tenantId: tenant.id,
        name: DEMO.trustDomain,
        issuer: null,
        jwks: { keys: [key.publicJwk] } as unknown as Prisma.InputJsonValue,
        allowedAlgs: ['ES256', 'RS256'],
        maxTokenLifetimeSeconds: 3600,
        description: 'Demo SPIFFE trust domain. Mint tokens with: npx toolwarden token mint --agent <name> --audience <server>',
      },
    });
    await audit('trust_domain.created', 'trust_domain', td);

    const agentIds: Record<string, string> = {};
    for (const a of DEMO.agents) {
      const agent = await tx.agent.create({
        data: { id: newId('agent'), tenantId: tenant.id, name: a.name, description: a.description, environment: a.environment, ownerUserId: userIds[a.owner] },
      });
      agentIds[a.name] = agent.id;
      await audit('agent.created', 'agent', agent);
      const identity = await tx.workloadIdentity.create({
        data: { id: newId('identity'), tenantId: tenant.id, agentId: agent.id, trustDomainId: td.id, kind: 'spiffe_jwt', subject: `spiffe://${DEMO.trustDomain}/agents/${a.name}` },
      });
      await audit('identity.created', 'identity', identity);
    }

    const toolIds: Record<string, string> = {};
    for (const s of DEMO.servers) {
      const server = await tx.mcpServer.create({
        data: { id: newId('server'), tenantId: tenant.id, name: s.name, description: s.description, audience: s.audience, environment: 'prod' },
      });
      await audit('server.created', 'server', server);
      for (const t of s.tools) {
        const tool = await tx.tool.create({
          data: {
            id: newId('tool'),
            tenantId: tenant.id,
            serverId: server.id,
            name: t.name,
            description: t.description,
            annotations: t.annotations,
            definitionHash: toolDefinitionHash({ description: t.description, annotations: t.annotations }),
            status: t.risk ? 'active' : 'unclassified',
            risk: t.risk,
            suggestedRisk: t.suggestedRisk ?? t.risk,
            defaultAction: t.action,
            sensitivity: t.sensitivity,
            lastSyncedAt: new Date(),
          },
        });
        toolIds[t.name] = tool.id;
        await audit('tool.created', 'tool', tool);
        if (t.owner) {
          await tx.toolOwner.create({ data: { tenantId: tenant.id, toolId: tool.id, userId: userIds[t.owner] } });
          await recordAudit(tx, ctx, { event: 'tool.owner_added', targetType: 'tool', targetId: tool.id, after: { owner: t.owner } });
        }
      }
    }

    const now = Date.now();
    for (const g of DEMO.grants) {
      const grant = await tx.grant.create({
        data: {
          id: newId('grant'),
          tenantId: tenant.id,
          agentId: agentIds[g.agent],
          toolId: toolIds[g.tool],
          kind: 'standing',
          actions: [...g.actions],
          resourcePatterns: [...(g.resources ?? [])],
          environments: [...(g.environments ?? [])],
          condition: g.condition ?? null,
          expiresAt: g.days ? new Date(now + g.days * 86_400_000) : null,
          justification: g.justification,
        },
      });
      await audit('grant.created', 'grant', grant);
    }

    const deny = await tx.denyRule.create({
      data: { id: newId('denyRule'), tenantId: tenant.id, agentId: agentIds['deploy-agent'], toolId: toolIds['delete_database'], reason: 'Deploy automation must never drop databases (incident 2026-031)' },
    });
    await audit('deny_rule.created', 'deny_rule', deny);

    const request = await tx.accessRequest.create({
      data: {
        id: newId('request'),
        tenantId: tenant.id,
        agentId: agentIds['billing-agent'],
        toolId: toolIds['create_refund'],
        actions: ['write'],
        resource: 'account:*',
        durationSeconds: 3600,
        justification: 'Refund batch for invoice dispute INC-4471, approved by finance lead',
        taskId: 'INC-4471',
        requestedByUserId: userIds['owner@acme.test'],
        expiresAt: new Date(now + 24 * 3_600_000),
      },
    });
    await audit('access_request.created', 'access_request', request);
  });

  await seedDemoHistory(tenant.id);
  return { tenantSlug: DEMO.tenant.slug, users: DEMO.users.map((u) => ({ email: u.email, role: u.role })), password };
}

export async function hasAnyTenant(): Promise<boolean> {
  return (await db().tenant.count()) > 0;
}
