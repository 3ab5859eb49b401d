import { z } from 'zod';
import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { requirePermission } from '../auth/require';
import { notFound } from '../errors';
import { parseInput } from '../validation';
import { readQuery } from './sql';
import type { DecisionLogItem } from './query';

// One decision with everything that explains it: the full row, the names behind its ids, the
// grant it was decided under and, for a just-in-time grant, the access request and approvals
// that produced it.

const idSchema = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'Not a valid decision id');

export async function getDecision(ctx: ServiceContext, rawId: unknown) {
  requirePermission(ctx, 'decisions.read');
  const id = parseInput(idSchema, rawId);
  // the primary key is (id, time): looking up by id probes each partition's key index once (no
  // ORDER BY: it would tempt the planner into walking the tenant's time index instead)
  const [row] = await readQuery<DecisionLogItem>(`SELECT * FROM "DecisionLog" WHERE "id" = $2 AND "tenantId" = $1 LIMIT 1`, [ctx.tenantId, id]);
  if (!row) throw notFound('Decision');

  const tenantId = ctx.tenantId;
  const [server, agent, identity, tool, grant] = await Promise.all([
    row.serverId ? db().mcpServer.findFirst({ where: { id: row.serverId, tenantId }, select: { id: true, name: true, audience: true, environment: true } }) : null,
    row.agentId ? db().agent.findFirst({ where: { id: row.agentId, tenantId }, select: { id: true, name: true, status: true, environment: true } }) : null,
    row.identityId
      ? db().workloadIdentity.findFirst({ where: { id: row.identityId, tenantId }, select: { id: true, kind: true, subject: true, status: true, trustDomain: { select: { id: true, name: true } } } })
      : null,
    row.toolId ? db().tool.findFirst({ where: { id: row.toolId, tenantId }, select: { id: true, name: true, risk: true, status: true, defaultAction: true } }) : null,
    row.grantId ? db().grant.findFirst({ where: { id: row.grantId, tenantId }, include: { agent: { select: { name: true } }, tool: { select: { name: true } } } }) : null,
  ]);

  let request = null;
  if (grant?.sourceRequestId) {
    const found = await db().accessRequest.findFirst({ where: { id: grant.sourceRequestId, tenantId }, include: { approvals: { orderBy: { createdAt: 'asc' } } } });
    if (found) {
      const userIds = [...new Set([found.requestedByUserId, ...found.approvals.map((a) => a.approverUserId)].filter((u): u is string => !!u))];
      // only users who belong to this tenant are named
      const users = userIds.length
        ? await db().user.findMany({ where: { id: { in: userIds }, memberships: { some: { tenantId } } }, select: { id: true, email: true, name: true } })
        : [];
      const byId = new Map(users.map((u) => [u.id, u]));
      request = {
        ...found,
        requestedBy: found.requestedByUserId ? (byId.get(found.requestedByUserId) ?? null) : null,
        approvals: found.approvals.map((a) => ({ ...a, approver: byId.get(a.approverUserId) ?? null })),
      };
    }
  }

  const userIds = [grant?.createdById, grant?.revokedById].filter((u): u is string => !!u);
  const grantUsers = userIds.length ? await db().user.findMany({ where: { id: { in: userIds }, memberships: { some: { tenantId } } }, select: { id: true, email: true } }) : [];
  const email = (uid: string | null | undefined) => grantUsers.find((u) => u.id === uid)?.email ?? null;

  return {
    decision: { ...row, serverName: server?.name ?? null, agentName: agent?.name ?? null },
    authentication: {
      status: row.authnReason ? ('failed' as const) : row.identityId ? ('verified' as const) : ('unknown' as const),
      reason: row.authnReason,
      subject: row.subject,
      identity,
      agent,
      onBehalfOf: row.onBehalfOf,
    },
    server,
    tool,
    grant: grant ? { ...grant, createdByEmail: email(grant.createdById), revokedByEmail: email(grant.revokedById) } : null,
    // the grant row may be gone (agent deleted): the decision still names its id
    grantMissing: !!row.grantId && !grant,
    accessRequest: request,
  };
}

export type DecisionDetail = Awaited<ReturnType<typeof getDecision>>;
