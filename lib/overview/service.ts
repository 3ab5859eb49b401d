import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { can } from '../auth/permissions';
import { requirePermission } from '../auth/require';
import { parseInput } from '../validation';
import { EXPIRING_WITHIN_HOURS, IDLE_IDENTITY_DAYS, overviewQuerySchema, type OverviewRange } from './schemas';

// The overview dashboard's numbers. Decision aggregates are SQL over the decision log, always
// bounded by (tenantId, time >= since): the (tenantId, time desc) index and monthly partitions
// keep them proportional to the range, not to the log. Each section is computed only when the
// viewer's role may read what it summarises; otherwise it is null and the page says so.

const RANGE: Record<OverviewRange, { unit: 'hour' | 'day'; buckets: number; step: string }> = {
  '24h': { unit: 'hour', buckets: 24, step: '1 hour' },
  '7d': { unit: 'day', buckets: 7, step: '1 day' },
};
const TOP = 5;
const LIST = 5;

export interface SeriesPoint {
  start: Date;
  allowed: number;
  denied: number;
}

export interface DeniedEntry {
  id: string | null;
  name: string;
  serverName: string | null;
  denied: number;
  reasons: { reason: string; count: number }[];
}

/** Buckets in the viewer's time zone (a day is their day, DST included), empty ones as zero. */
async function decisionSeries(tenantId: string, range: OverviewRange, tz: string, now: Date): Promise<SeriesPoint[]> {
  const { unit, buckets, step } = RANGE[range];
  const back = `${buckets - 1} ${unit}s`;
  return db().$queryRaw<SeriesPoint[]>`
    WITH series AS (
      SELECT generate_series(
               date_trunc(${unit}, ${now}::timestamptz AT TIME ZONE ${tz}) - ${back}::interval,
               date_trunc(${unit}, ${now}::timestamptz AT TIME ZONE ${tz}),
               ${step}::interval) AS bucket
    ), counts AS (
      SELECT date_trunc(${unit}, d."time" AT TIME ZONE ${tz}) AS bucket,
             count(*) FILTER (WHERE d."allow") AS allowed,
             count(*) FILTER (WHERE NOT d."allow") AS denied
      FROM "DecisionLog" d
      WHERE d."tenantId" = ${tenantId}
        AND d."time" >= ((SELECT min(bucket) FROM series) AT TIME ZONE ${tz})
        AND d."time" <= ${now}::timestamptz
      GROUP BY 1
    )
    SELECT s.bucket AT TIME ZONE ${tz} AS "start",
           coalesce(c.allowed, 0)::int AS allowed,
           coalesce(c.denied, 0)::int AS denied
    FROM series s LEFT JOIN counts c ON c.bucket = s.bucket
    ORDER BY s.bucket`;
}

function topEntries(rows: { key: string | null; reason: string; count: number }[]) {
  const byKey = new Map<string | null, { denied: number; reasons: { reason: string; count: number }[] }>();
  for (const r of rows) {
    const e = byKey.get(r.key) ?? { denied: 0, reasons: [] };
    e.denied += r.count;
    e.reasons.push({ reason: r.reason, count: r.count });
    byKey.set(r.key, e);
  }
  return [...byKey.entries()]
    .sort((a, b) => b[1].denied - a[1].denied)
    .slice(0, TOP)
    .map(([key, e]) => ({ key, denied: e.denied, reasons: e.reasons.sort((a, b) => b.count - a.count) }));
}

async function topDenied(tenantId: string, since: Date, now: Date): Promise<{ agents: DeniedEntry[]; tools: DeniedEntry[] }> {
  const [byAgent, byTool] = await Promise.all([
    db().$queryRaw<{ key: string | null; reason: string; count: number }[]>`
      SELECT d."agentId" AS key, d.reason, count(*)::int AS count
      FROM "DecisionLog" d
      WHERE d."tenantId" = ${tenantId} AND d."time" >= ${since} AND d."time" <= ${now} AND NOT d."allow"
      GROUP BY d."agentId", d.reason`,
    // unknown tools have no id: they are grouped by the name that was asked for
    db().$queryRaw<{ key: string; reason: string; count: number }[]>`
      SELECT coalesce(d."toolId", 'name:' || d.tool) AS key, d.reason, count(*)::int AS count
      FROM "DecisionLog" d
      WHERE d."tenantId" = ${tenantId} AND d."time" >= ${since} AND d."time" <= ${now} AND NOT d."allow"
      GROUP BY 1, d.reason`,
  ]);
  const agentsTop = topEntries(byAgent);
  const toolsTop = topEntries(byTool);
  const agentIds = agentsTop.map((a) => a.key).filter((k): k is string => !!k);
  const toolIds = toolsTop.map((t) => t.key).filter((k): k is string => !!k && !k.startsWith('name:'));
  const [agents, tools] = await Promise.all([
    db().agent.findMany({ where: { tenantId, id: { in: agentIds } }, select: { id: true, name: true } }),
    db().tool.findMany({ where: { tenantId, id: { in: toolIds } }, select: { id: true, name: true, server: { select: { name: true } } } }),
  ]);
  return {
    agents: agentsTop.map((a) => ({
      id: a.key,
      // decisions that failed authentication carry no agent
      name: a.key ? (agents.find((x) => x.id === a.key)?.name ?? 'deleted agent') : 'unauthenticated callers',
      serverName: null,
      denied: a.denied,
      reasons: a.reasons,
    })),
    tools: toolsTop.map((t) => {
      const key = t.key as string;
      if (key.startsWith('name:')) return { id: null, name: key.slice(5), serverName: null, denied: t.denied, reasons: t.reasons };
      const tool = tools.find((x) => x.id === key);
      return { id: key, name: tool?.name ?? 'deleted tool', serverName: tool?.server.name ?? null, denied: t.denied, reasons: t.reasons };
    }),
  };
}

export async function getOverview(ctx: ServiceContext, query: unknown, now = new Date()) {
  requirePermission(ctx, 'tenant.read');
  const { range, tz } = parseInput(overviewQuerySchema, query);
  const tenantId = ctx.tenantId;
  const allowed = (p: Parameters<typeof can>[1]) => ctx.actor.type === 'system' || can(ctx.role, p);

  const decisions = allowed('decisions.read')
    ? await (async () => {
        const series = await decisionSeries(tenantId, range, tz, now);
        const since = series[0]?.start ?? now;
        const top = await topDenied(tenantId, since, now);
        return {
          range,
          since,
          series,
          totals: { allowed: series.reduce((n, p) => n + p.allowed, 0), denied: series.reduce((n, p) => n + p.denied, 0) },
          topDeniedAgents: top.agents,
          topDeniedTools: top.tools,
        };
      })()
    : null;

  const pendingApprovals = await db().accessRequest.count({ where: { tenantId, status: 'pending', expiresAt: { gt: now } } });

  const expiringGrants = allowed('grants.read')
    ? await (async () => {
        const where = { tenantId, revokedAt: null, expiresAt: { gt: now, lte: new Date(now.getTime() + EXPIRING_WITHIN_HOURS * 3_600_000) } };
        const [count, items] = await Promise.all([
          db().grant.count({ where }),
          db().grant.findMany({
            where,
            orderBy: { expiresAt: 'asc' },
            take: LIST,
            select: { id: true, expiresAt: true, kind: true, agent: { select: { id: true, name: true } }, tool: { select: { id: true, name: true } } },
          }),
        ]);
        return { withinHours: EXPIRING_WITHIN_HOURS, count, items };
      })()
    : null;

  const unclassifiedTools = allowed('tools.read')
    ? await (async () => {
        const where = { tenantId, status: 'unclassified' as const };
        const [count, items] = await Promise.all([
          db().tool.count({ where }),
          db().tool.findMany({
            where,
            orderBy: { createdAt: 'asc' },
            take: LIST,
            select: { id: true, name: true, suggestedRisk: true, createdAt: true, server: { select: { id: true, name: true } } },
          }),
        ]);
        return { count, items };
      })()
    : null;

  const idleIdentities = allowed('agents.read')
    ? await (async () => {
        const cutoff = new Date(now.getTime() - IDLE_IDENTITY_DAYS * 86_400_000);
        // never seen counts from when the identity was added: a new identity is not idle yet
        const where = { tenantId, status: 'active' as const, OR: [{ lastSeenAt: { lt: cutoff } }, { lastSeenAt: null, createdAt: { lt: cutoff } }] };
        const [count, items] = await Promise.all([
          db().workloadIdentity.count({ where }),
          db().workloadIdentity.findMany({
            where,
            orderBy: [{ lastSeenAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }],
            take: LIST,
            select: { id: true, subject: true, kind: true, lastSeenAt: true, createdAt: true, agent: { select: { id: true, name: true } } },
          }),
        ]);
        return { days: IDLE_IDENTITY_DAYS, count, items };
      })()
    : null;

  return { generatedAt: now, tz, decisions, pendingApprovals, expiringGrants, unclassifiedTools, idleIdentities };
}
