-- Decision-log explorer at 5,000,000 rows, the two views that missed the 300 ms target
-- (measured in docs/benchmarks-audit.md):
--
-- 1. Free-text "resource contains" (ILIKE '%text%') walked the tenant's whole time index: ~6 s
--    over the log. A trigram GIN index answers it from the index. pg_trgm is a trusted extension
--    (PostgreSQL 13+: a database owner may create it) and ships with PGlite, which loads it in
--    lib/db/embedded.ts. fastupdate = off: without it, inserts append to a pending list that the
--    inserting backend must flush when it fills, a latency spike on the group-commit path; with
--    it off every batch pays a small, steady cost instead.
--
-- 2. The charts (decisions per hour by outcome, top deny reasons) counted every row of their
--    window: ~1 s for 7 days. "DecisionLogHourly" keeps those counts per tenant, UTC hour,
--    outcome and reason, maintained by a statement trigger on the log, so every writer (group
--    commit, SDK uploads, seeds) updates it in the same transaction as its insert, and it is
--    exactly what the log holds. Retention subtracts what it deletes or drops, in the same
--    transaction (lib/decision-log/rollup.ts). Charts whose filter the roll-up cannot answer
--    (agent, tool, server, …) still count the log itself.
--
-- On a large existing log this migration holds a lock that blocks inserts while it indexes and
-- back-fills (minutes at millions of rows). There, build each partition's trigram index
-- CONCURRENTLY first and attach it (see 20261124010000_decision_log_indexes).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

SET LOCAL maintenance_work_mem = '256MB';

-- on the parent: every partition, present and future, gets one
CREATE INDEX "DecisionLog_resource_trgm_idx" ON "DecisionLog" USING gin ("resource" gin_trgm_ops) WITH (fastupdate = off);

-- "authnReason" is '' when there was none (primary-key columns cannot be null)
CREATE TABLE "DecisionLogHourly" (
    "tenantId" TEXT NOT NULL,
    "hour" TIMESTAMPTZ NOT NULL,
    "allow" BOOLEAN NOT NULL,
    "reason" TEXT NOT NULL,
    "authnReason" TEXT NOT NULL DEFAULT '',
    "count" BIGINT NOT NULL,
    CONSTRAINT "DecisionLogHourly_pkey" PRIMARY KEY ("tenantId", "hour", "allow", "reason", "authnReason")
);

-- Once per INSERT statement, however many rows: one upsert of a few grouped rows. Keys are
-- upserted in primary-key order, so concurrent batches lock them in the same order (no deadlock).
CREATE OR REPLACE FUNCTION tw_decision_hourly_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "DecisionLogHourly" AS h ("tenantId", "hour", "allow", "reason", "authnReason", "count")
  SELECT "tenantId", date_trunc('hour', "time", 'UTC'), "allow", "reason", coalesce("authnReason", ''), count(*)
  FROM added
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ("tenantId", "hour", "allow", "reason", "authnReason") DO UPDATE SET "count" = h."count" + EXCLUDED."count";
  RETURN NULL;
END $$;

-- A statement trigger on the partitioned parent sees the rows routed to every partition.
-- (Writing into a partition directly would bypass it: nothing in Toolwarden does.)
CREATE TRIGGER "DecisionLog_hourly" AFTER INSERT ON "DecisionLog"
  REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION tw_decision_hourly_add();

-- back-fill what is already logged (the trigger's lock above keeps inserts out meanwhile, so
-- nothing is counted twice or missed)
INSERT INTO "DecisionLogHourly" ("tenantId", "hour", "allow", "reason", "authnReason", "count")
SELECT "tenantId", date_trunc('hour', "time", 'UTC'), "allow", "reason", coalesce("authnReason", ''), count(*)
FROM "DecisionLog"
GROUP BY 1, 2, 3, 4, 5;
