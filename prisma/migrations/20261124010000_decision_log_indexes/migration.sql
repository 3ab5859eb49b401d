-- Decision-log explorer indexes (measured in docs/benchmarks-audit.md, 5,000,000 rows).
--
-- Without these, two of the explorer's single-filter views walk the tenant's whole
-- (tenantId, time desc) index looking for matches, because the values they filter on are rare:
--   task id        a task makes a handful of decisions: ~2 s at 5M rows, 2 ms with the index
--   deny reason    rare reasons (delegation_mismatch, grant_exhausted): ~0.35 s, 5 ms with it
-- Both are PARTIAL, so only the rows that carry the value pay for them on the insert path: rows
-- with a task id, and denies (allowed calls, the bulk of the log, add nothing to the reason
-- index). Agent, tool and time already have indexes (init migration). Server, subject, action,
-- outcome and on-behalf-of are dense enough that the time-ordered scan finds a page within the
-- target (an on-behalf-of index was measured too: it helped only the rarest users and was the
-- largest of the three, so it is left out). Grant links carry the grant's agent, so they use the
-- agent index. Free-text resource search ("contains") cannot use a b-tree and stays a scan
-- bounded by the time range.
--
-- An index on the partitioned parent is created on every partition (and on partitions created
-- later). On a large existing log this build blocks inserts while it runs; there, create each
-- partition's index CONCURRENTLY first, then the parent's with ON ONLY and ATTACH PARTITION.

CREATE INDEX "DecisionLog_tenantId_taskId_time_idx" ON "DecisionLog" ("tenantId", "taskId", "time" DESC) WHERE "taskId" IS NOT NULL;

CREATE INDEX "DecisionLog_tenantId_denyReason_time_idx" ON "DecisionLog" ("tenantId", "reason", "time" DESC) WHERE "reason" <> 'granted';
