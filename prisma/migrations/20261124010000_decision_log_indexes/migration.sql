-- Decision-log explorer indexes (measured in docs/benchmarks-audit.md, 5,000,000 rows).
--
-- Without these, three of the explorer's single-filter views walk the tenant's whole
-- (tenantId, time desc) index looking for matches, because the values they filter on are rare:
--   task id        a task makes a handful of decisions: ~4 s at 5M rows
--   on behalf of   one delegating user among hundreds: ~0.5 s, more for rare users
--   deny reason    rare reasons (delegation_mismatch, grant_exhausted): ~0.7 s
-- Each index is PARTIAL, so only the rows that carry the value pay for it on the insert path:
-- rows with a task id, delegated rows, and denies (allowed calls, the bulk of the log, add
-- nothing to the reason index). Agent, tool and time already have indexes (init migration);
-- server, subject, action and outcome are dense enough that the time-ordered scan finds a page
-- quickly; grant links carry the grant's agent, so they use the agent index. Free-text resource
-- search ("contains") cannot use a b-tree and stays a scan bounded by the time range.
--
-- An index on the partitioned parent is created on every partition (and on partitions created
-- later). On a large existing log this build blocks inserts while it runs; there, create each
-- partition's index CONCURRENTLY first, then the parent's with ON ONLY and ATTACH PARTITION.

CREATE INDEX "DecisionLog_tenantId_taskId_time_idx" ON "DecisionLog" ("tenantId", "taskId", "time" DESC) WHERE "taskId" IS NOT NULL;

CREATE INDEX "DecisionLog_tenantId_onBehalfOf_time_idx" ON "DecisionLog" ("tenantId", "onBehalfOf", "time" DESC) WHERE "onBehalfOf" IS NOT NULL;

CREATE INDEX "DecisionLog_tenantId_denyReason_time_idx" ON "DecisionLog" ("tenantId", "reason", "time" DESC) WHERE "reason" <> 'granted';
