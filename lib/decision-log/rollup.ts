import type { Tx } from '../db/client';
import { AUTHN_REASON_SET, type DecisionFilters } from './filters';
import type { Params } from './sql';

// "DecisionLogHourly": decisions counted per tenant, UTC hour, outcome, reason and authn reason
// (migration 20261212000000_decision_log_search_rollup). A statement trigger on the log adds
// every insert in the same transaction; retention subtracts what it deletes or drops, here, in
// its own transaction. So at every commit the roll-up equals the log's own counts, and charts
// over days read a few hundred roll-up rows instead of hundreds of thousands of decisions.

const HOUR = 3_600_000;

/** filters the roll-up can answer exactly: it keeps time, outcome and reason, nothing else */
const ROLLUP_FILTERS: ReadonlySet<keyof DecisionFilters> = new Set(['range', 'from', 'to', 'outcome', 'reason']);

export function rollupAnswers(f: DecisionFilters): boolean {
  return (Object.keys(f) as (keyof DecisionFilters)[]).every((k) => f[k] === undefined || ROLLUP_FILTERS.has(k));
}

/**
 * The whole UTC hours inside [start, end), which the roll-up answers; the ragged edges around
 * them are counted from the log. Null when no whole hour fits.
 */
export function wholeHours(start: number, end: number): { from: number; to: number } | null {
  const from = Math.ceil(start / HOUR) * HOUR;
  const to = Math.floor(end / HOUR) * HOUR;
  return from < to ? { from, to } : null;
}

/** WHERE conditions on the roll-up for a tenant, its whole hours and the filter's outcome/reason */
export function rollupConditions(p: Params, tenantId: string, f: DecisionFilters, hours: { from: number; to: number }): string[] {
  const where = [`"tenantId" = ${p.add(tenantId)}`, `"hour" >= ${p.add(new Date(hours.from))}::timestamptz`, `"hour" < ${p.add(new Date(hours.to))}::timestamptz`];
  if (f.outcome) where.push(`"allow" = ${p.add(f.outcome === 'allow')}`);
  if (f.reason) where.push(AUTHN_REASON_SET.has(f.reason) ? `"authnReason" = ${p.add(f.reason)}` : `"reason" = ${p.add(f.reason)}`);
  return where;
}

/** rows of `source` (a table or a CTE of decision-log rows) grouped on the roll-up's key */
function groupedByKey(source: string): string {
  return `SELECT "tenantId", date_trunc('hour', "time", 'UTC') AS "hour", "allow", "reason", coalesce("authnReason", '') AS "authnReason", count(*) AS "n"
          FROM ${source} GROUP BY 1, 2, 3, 4, 5`;
}

const SUBTRACT = `UPDATE "DecisionLogHourly" h SET "count" = h."count" - g."n"
  FROM gone g
  WHERE h."tenantId" = g."tenantId" AND h."hour" = g."hour" AND h."allow" = g."allow" AND h."reason" = g."reason" AND h."authnReason" = g."authnReason"`;

/** counts that reached zero are removed, so the roll-up does not outgrow the log it summarises */
async function dropEmpty(tx: Tx, tenantIds: string[]): Promise<void> {
  if (tenantIds.length) await tx.$executeRawUnsafe(`DELETE FROM "DecisionLogHourly" WHERE "tenantId" = ANY($1::text[]) AND "count" <= 0`, tenantIds);
}

/**
 * Before a partition is dropped: subtracts all its rows from the roll-up (inside the caller's
 * transaction, which then drops it) and returns how many rows each tenant had in it.
 */
export async function subtractPartition(tx: Tx, quotedPartition: string): Promise<{ tenantId: string; n: number }[]> {
  const counts = await tx.$queryRawUnsafe<{ tenantId: string; n: number }[]>(
    `WITH gone AS (${groupedByKey(quotedPartition)}),
          subtracted AS (${SUBTRACT} RETURNING 1)
     SELECT "tenantId", sum("n")::float8 AS "n" FROM gone GROUP BY 1`,
  );
  await dropEmpty(
    tx,
    counts.map((c) => c.tenantId),
  );
  return counts.map((c) => ({ tenantId: c.tenantId, n: Number(c.n) }));
}

/**
 * Deletes the rows `deleteSql` names (a DELETE … RETURNING *) and subtracts them from the
 * roll-up in the same statement; returns the number of rows deleted.
 */
export async function deleteAndSubtract(tx: Tx, tenantId: string, deleteSql: string, params: unknown[]): Promise<number> {
  const [row] = await tx.$queryRawUnsafe<{ n: number }[]>(
    `WITH deleted AS (${deleteSql}),
          gone AS (${groupedByKey('deleted')}),
          subtracted AS (${SUBTRACT} RETURNING 1)
     SELECT coalesce(sum("n"), 0)::float8 AS "n" FROM gone`,
    ...params,
  );
  const n = Number(row?.n ?? 0);
  if (n > 0) await dropEmpty(tx, [tenantId]);
  return n;
}
