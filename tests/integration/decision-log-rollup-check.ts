import { db } from '../../lib/db/client';

// The invariant of the charts' hourly roll-up: for every tenant, UTC hour, outcome and reason,
// "DecisionLogHourly" holds exactly the log's own count, and nothing where the log has nothing
// (a left-over zero shows up as { log: null, rollup: 0 }).

export interface RollupMismatch {
  tenantId: string;
  hour: Date;
  allow: boolean;
  reason: string;
  authnReason: string;
  log: number | null;
  rollup: number | null;
}

export async function rollupMismatches(tenantIds: string[]): Promise<RollupMismatch[]> {
  return db().$queryRawUnsafe<RollupMismatch[]>(
    `WITH raw AS (
       SELECT "tenantId", date_trunc('hour', "time", 'UTC') AS "hour", "allow", "reason", coalesce("authnReason", '') AS "authnReason", count(*) AS "n"
       FROM "DecisionLog" WHERE "tenantId" = ANY($1::text[]) GROUP BY 1, 2, 3, 4, 5),
     roll AS (
       SELECT "tenantId", "hour", "allow", "reason", "authnReason", "count" AS "n"
       FROM "DecisionLogHourly" WHERE "tenantId" = ANY($1::text[]))
     SELECT "tenantId", "hour", "allow", "reason", "authnReason", raw."n"::int AS "log", roll."n"::int AS "rollup"
     FROM raw FULL JOIN roll USING ("tenantId", "hour", "allow", "reason", "authnReason")
     WHERE raw."n" IS DISTINCT FROM roll."n"
     ORDER BY 1, 2`,
    tenantIds,
  );
}

export async function rollupTotal(tenantId: string): Promise<number> {
  const [r] = await db().$queryRawUnsafe<{ n: number }[]>(`SELECT coalesce(sum("count"), 0)::int AS "n" FROM "DecisionLogHourly" WHERE "tenantId" = $1`, tenantId);
  return r.n;
}
