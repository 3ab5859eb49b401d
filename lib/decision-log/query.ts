import type { ServiceContext } from '../context';
import { requirePermission } from '../auth/require';
import { parseInput } from '../validation';
import { decisionFilterSchema, decisionPageSchema, type DecisionFilters } from './filters';
import { resourceIndexToken } from './resource-search';
import { afterCursor, decisionConditions, decodeCursor, encodeCursor, Params, readQuery, type Cursor } from './sql';

// The decision log explorer's list: newest first, keyset-paginated on (time desc, id desc), never
// OFFSET (page 1,000 costs what page 1 costs). The console, the exports and the scale benchmark
// all go through fetchDecisionRows, so what is measured is what people get.

export interface DecisionLogItem {
  id: string;
  time: Date;
  serverId: string | null;
  serverName: string | null;
  identityId: string | null;
  agentId: string | null;
  agentName: string | null;
  subject: string | null;
  onBehalfOf: string | null;
  tool: string;
  toolId: string | null;
  action: string | null;
  resource: string | null;
  allow: boolean;
  reason: string;
  authnReason: string | null;
  grantId: string | null;
  taskId: string | null;
  latencyUs: number;
  requestId: string | null;
  source: string;
  explanation: string | null;
  context: unknown;
}

export interface DecisionPage {
  items: DecisionLogItem[];
  nextCursor: string | null;
}

/**
 * One page of a tenant's decisions. The inner query picks the page from the log alone (indexes
 * on tenantId + filter + time desc); names are joined onto those few rows afterwards.
 */
export async function fetchDecisionRows(tenantId: string, filters: DecisionFilters, cursor: Cursor | null, limit: number, now = Date.now()): Promise<DecisionLogItem[]> {
  const p = new Params();
  const where = decisionConditions(p, tenantId, filters, now, await resourceIndexToken(filters.resource));
  if (cursor) where.push(afterCursor(p, cursor));
  const tenant = '$1'; // decisionConditions always binds the tenant first
  const sql = `
    SELECT d."id", d."time", d."serverId", s."name" AS "serverName", d."identityId", d."agentId", a."name" AS "agentName",
           d."subject", d."onBehalfOf", d."tool", d."toolId", d."action", d."resource", d."allow", d."reason", d."authnReason",
           d."grantId", d."taskId", d."latencyUs", d."requestId", d."source", d."explanation", d."context"
    FROM (
      SELECT * FROM "DecisionLog"
      WHERE ${where.join(' AND ')}
      ORDER BY "time" DESC, "id" DESC
      LIMIT ${p.add(limit)}
    ) d
    LEFT JOIN "Agent" a ON a."id" = d."agentId" AND a."tenantId" = ${tenant}
    LEFT JOIN "McpServer" s ON s."id" = d."serverId" AND s."tenantId" = ${tenant}
    ORDER BY d."time" DESC, d."id" DESC`;
  return readQuery<DecisionLogItem>(sql, p.values);
}

/** ?<filters>&cursor&limit → { items, nextCursor } (permission decisions.read) */
export async function listDecisions(ctx: ServiceContext, input: unknown): Promise<DecisionPage> {
  requirePermission(ctx, 'decisions.read');
  const filters = parseInput(decisionFilterSchema, input);
  const { cursor, limit } = parseInput(decisionPageSchema, input);
  const rows = await fetchDecisionRows(ctx.tenantId, filters, cursor ? decodeCursor(cursor) : null, limit + 1);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null };
}
