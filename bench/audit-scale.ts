import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../tests/setup/test-database';
import type { ServiceContext } from '../lib/context';

// `npm run bench:audit` (tsx bench/audit-scale.ts): the decision-log explorer at scale. A fresh
// database, one tenant with 5,000,000 decisions over ~3 months, then the first page of every
// single-filter view measured through the console's own query function (listDecisions), plus
// charts, detail, deep pages, an export and a retention pass. Target: first page ≤ 300 ms.
//
// Flags: --rows N (default 5,000,000), --runs N (default 10), --compare (first measure without
// the indexes of the decision_log_indexes migration, then with them), --keep (do not drop the
// database; prints its URL), --out FILE (default docs/benchmarks-audit.md).

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ROWS = Number(arg('rows') ?? 5_000_000);
const RUNS = Number(arg('runs') ?? 10);
const COMPARE = process.argv.includes('--compare');
const KEEP = process.argv.includes('--keep');
// seed, VACUUM and stop (with --keep: a 5M-row database to EXPLAIN ANALYZE against)
const SEED_ONLY = process.argv.includes('--seed-only');
const OUT = arg('out') ?? 'docs/benchmarks-audit.md';
const TARGET_MS = 300;
const DAY = 86_400_000;
const SPAN_DAYS = 90;
const INDEX_MIGRATION = path.join('prisma', 'migrations', '20261124010000_decision_log_indexes', 'migration.sql');
// the trigram index and the charts' roll-up trigger: their insert cost is measured by removing them
const SEARCH_MIGRATION = path.join('prisma', 'migrations', '20261212000000_decision_log_search_rollup', 'migration.sql');

const log = (m: string) => console.log(m);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (Number.isNaN(n) ? 'timeout' : n < 10 ? n.toFixed(1) : fmt(n));

interface World {
  tenantId: string;
  servers: string[];
  agents: { id: string; identity: string; subject: string }[];
  tools: { id: string; name: string; serverId: string; action: string }[];
}

async function seedCatalog(client: pg.Client): Promise<World> {
  const { newId } = await import('../lib/ids');
  const tenantId = newId('tenant');
  await client.query(`INSERT INTO "Tenant" (id, slug, name, "updatedAt") VALUES ($1, 'bench', 'Bench Corp', now())`, [tenantId]);
  const td = newId('trustDomain');
  await client.query(`INSERT INTO "TrustDomain" (id, "tenantId", name, jwks, "updatedAt") VALUES ($1, $2, 'bench.test', '{"keys":[]}', now())`, [td, tenantId]);
  const servers: string[] = [];
  for (let s = 0; s < 5; s++) {
    const id = newId('server');
    servers.push(id);
    await client.query(`INSERT INTO "McpServer" (id, "tenantId", name, audience, "updatedAt") VALUES ($1, $2, $3, $4, now())`, [id, tenantId, `server-${s}`, `https://server-${s}.bench.test`]);
  }
  const agents: World['agents'] = [];
  for (let a = 0; a < 40; a++) {
    const id = newId('agent');
    const identity = newId('identity');
    const subject = `spiffe://bench.test/agents/agent-${a}`;
    await client.query(`INSERT INTO "Agent" (id, "tenantId", name, "updatedAt") VALUES ($1, $2, $3, now())`, [id, tenantId, `agent-${a}`]);
    await client.query(`INSERT INTO "WorkloadIdentity" (id, "tenantId", "agentId", "trustDomainId", kind, subject, "updatedAt") VALUES ($1, $2, $3, $4, 'spiffe_jwt', $5, now())`, [
      identity,
      tenantId,
      id,
      td,
      subject,
    ]);
    agents.push({ id, identity, subject });
  }
  const tools: World['tools'] = [];
  const actions = ['read', 'read', 'write', 'read', 'admin', 'read', 'write', 'export', 'read', 'write'];
  for (let t = 0; t < 50; t++) {
    const id = newId('tool');
    const serverId = servers[t % 5];
    const name = `tool_${t}`;
    await client.query(`INSERT INTO "Tool" (id, "tenantId", "serverId", name, "definitionHash", status, risk, "updatedAt") VALUES ($1, $2, $3, $4, $4, 'active', 'low', now())`, [
      id,
      tenantId,
      serverId,
      name,
    ]);
    tools.push({ id, name, serverId, action: actions[t % actions.length] });
  }
  return { tenantId, servers, agents, tools };
}

// One INSERT … SELECT generate_series per chunk. Skewed choices (power of random()) make some
// agents, tools, users busy and others rare, like a real tenant. Times rise with g, as rows arrive.
const SEED_SQL = `
INSERT INTO "DecisionLog" ("id", "time", "tenantId", "serverId", "identityId", "agentId", "subject", "onBehalfOf", "tool", "toolId", "action", "resource",
  "allow", "reason", "authnReason", "grantId", "taskId", "latencyUs", "requestId", "source", "explanation", "context")
SELECT
  'dec_B' || lpad(to_hex(g), 12, '0'),
  $2::timestamptz + (g::float8 / $3) * ($4::float8 * interval '1 millisecond'),
  $1,
  (x.servers)[x.ti + 1],
  CASE WHEN x.unauth THEN NULL ELSE ($6::text[])[x.ai + 1] END,
  CASE WHEN x.unauth THEN NULL ELSE ($5::text[])[x.ai + 1] END,
  ($7::text[])[x.ai + 1],
  CASE WHEN x.r3 < 0.30 THEN 'user' || floor(500 * power(x.r5, 2))::int || '@bench.test' END,
  ($9::text[])[x.ti + 1],
  ($8::text[])[x.ti + 1],
  ($11::text[])[x.ti + 1],
  CASE WHEN x.r6 < 0.9 THEN 'invoice:' || floor(x.r6 / 0.9 * 500000)::int END,
  x.allow,
  CASE WHEN x.allow THEN 'granted'
       WHEN x.unauth THEN 'not_authenticated'
       WHEN x.r2 < 0.40 THEN 'no_grant'
       WHEN x.r2 < 0.55 THEN 'action_not_granted'
       WHEN x.r2 < 0.70 THEN 'resource_not_granted'
       WHEN x.r2 < 0.85 THEN 'approval_required'
       WHEN x.r2 < 0.90 THEN 'condition_failed'
       WHEN x.r2 < 0.999 THEN 'denied_by_rule'
       ELSE 'delegation_mismatch' END,
  CASE WHEN x.unauth THEN CASE WHEN x.r5 < 0.8 THEN 'token_expired' ELSE 'token_signature_invalid' END END,
  CASE WHEN x.allow THEN 'gnt_bench_' || x.ai || '_' || x.ti END,
  CASE WHEN x.r3 >= 0.30 AND x.r3 < 0.50 THEN 'task-' || (g / 40) END,
  200 + floor(x.r4 * 3000)::int,
  md5(g::text),
  'api',
  CASE WHEN x.allow THEN 'An active grant allows this agent the call.' ELSE 'No grant of this agent covers this call; an access request would.' END,
  '{"environment":"prod"}'::jsonb
FROM generate_series($12::bigint, $13::bigint) AS g
-- referencing g makes the lateral run per row (fresh random() values for each)
CROSS JOIN LATERAL (
  SELECT floor(40 * power(random(), 2.2))::int AS ai,
         floor(50 * power(random(), 1.6))::int AS ti,
         random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6,
         g AS gg
) y
CROSS JOIN LATERAL (
  SELECT y.ai, y.ti, y.r2, y.r3, y.r4, y.r5, y.r6,
         $10::text[] AS servers,
         y.r1 < 0.88 AS allow,
         (y.r1 >= 0.88 AND y.r2 >= 0.90 AND y.r2 < 0.95) AS unauth
) x`;

async function seedDecisions(client: pg.Client, w: World, rows: number, end: number): Promise<number> {
  const start = end - SPAN_DAYS * DAY;
  await client.query(`SELECT tw_ensure_decision_partitions($1::date, 5)`, [new Date(start).toISOString().slice(0, 10)]);
  await client.query(`SET synchronous_commit = off`);
  await client.query(`SELECT setseed(0.4242)`);
  const chunk = 250_000;
  const t0 = Date.now();
  for (let lo = 0; lo < rows; lo += chunk) {
    const hi = Math.min(rows, lo + chunk) - 1;
    await client.query(SEED_SQL, [
      w.tenantId,
      new Date(start),
      rows,
      SPAN_DAYS * DAY,
      w.agents.map((a) => a.id),
      w.agents.map((a) => a.identity),
      w.agents.map((a) => a.subject),
      w.tools.map((t) => t.id),
      w.tools.map((t) => t.name),
      w.tools.map((t) => t.serverId),
      w.tools.map((t) => t.action),
      lo,
      hi,
    ]);
    const done = hi + 1;
    const rate = done / ((Date.now() - t0) / 1000);
    process.stdout.write(`\r  ${fmt(done)} / ${fmt(rows)} rows (${fmt(rate)} rows/s)   `);
  }
  process.stdout.write('\n');
  return Date.now() - t0;
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

async function timeIt(fn: () => Promise<unknown>, runs: number): Promise<{ p50: number; p95: number; max: number }> {
  await fn(); // warm-up: plan cache, connection, buffer cache as a console user would find it
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: times[times.length - 1] };
}

interface View {
  name: string;
  filters: Record<string, string>;
  why: string;
}

async function pickViews(client: pg.Client, w: World): Promise<View[]> {
  const one = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows[0];
  // typical and rare values, chosen from the data (frequencies as seeded)
  const agentCounts = (
    await client.query<{ agentId: string; n: string }>(`SELECT "agentId", count(*) AS n FROM "DecisionLog" WHERE "tenantId" = $1 AND "agentId" IS NOT NULL GROUP BY 1 ORDER BY 2 DESC`, [w.tenantId])
  ).rows;
  const typicalAgent = agentCounts[Math.floor(agentCounts.length / 2)].agentId;
  const rareAgent = agentCounts[agentCounts.length - 1].agentId;
  const toolCounts = (await client.query<{ toolId: string; n: string }>(`SELECT "toolId", count(*) AS n FROM "DecisionLog" WHERE "tenantId" = $1 GROUP BY 1 ORDER BY 2 DESC`, [w.tenantId])).rows;
  const typicalTool = toolCounts[Math.floor(toolCounts.length / 2)].toolId;
  const rareTool = toolCounts[toolCounts.length - 1].toolId;
  const subject = w.agents.find((a) => a.id === typicalAgent)!.subject;
  const rareSubject = w.agents.find((a) => a.id === rareAgent)!.subject;
  const oboCounts = (
    await client.query<{ onBehalfOf: string }>(`SELECT "onBehalfOf" FROM "DecisionLog" WHERE "tenantId" = $1 AND "onBehalfOf" IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC`, [w.tenantId])
  ).rows;
  const obo = oboCounts[Math.floor(oboCounts.length / 2)];
  const rareObo = oboCounts[oboCounts.length - 1];
  const task = await one<{ taskId: string }>(`SELECT "taskId" FROM "DecisionLog" WHERE "tenantId" = $1 AND "taskId" IS NOT NULL AND "time" < now() - interval '45 days' LIMIT 1`, [w.tenantId]);
  const grant = `gnt_bench_${w.agents.findIndex((a) => a.id === typicalAgent)}_${w.tools.findIndex((t) => t.id === typicalTool)}`;
  const toolName = w.tools.find((t) => t.id === typicalTool)!.name;
  return [
    { name: 'no filter', filters: {}, why: 'newest 50 of the tenant' },
    { name: 'time range (last 24 h)', filters: { range: '24h' }, why: '' },
    { name: 'time range (a day 60 days ago)', filters: { from: new Date(Date.now() - 60 * DAY).toISOString(), to: new Date(Date.now() - 59 * DAY).toISOString() }, why: '' },
    { name: 'server', filters: { server: w.servers[2] }, why: '1 of 5' },
    { name: 'agent (typical)', filters: { agent: typicalAgent }, why: 'median of 40 agents' },
    { name: 'agent (rarest)', filters: { agent: rareAgent }, why: 'least busy agent' },
    { name: 'identity subject (typical)', filters: { subject }, why: '' },
    { name: 'identity subject (rarest)', filters: { subject: rareSubject }, why: '' },
    { name: 'tool by id (typical)', filters: { tool: typicalTool }, why: 'median of 50 tools' },
    { name: 'tool by id (rarest)', filters: { tool: rareTool }, why: '' },
    { name: 'tool by name', filters: { tool: toolName }, why: '' },
    { name: 'action', filters: { action: 'admin' }, why: '' },
    { name: 'outcome: allow', filters: { outcome: 'allow' }, why: '88 % of rows' },
    { name: 'outcome: deny', filters: { outcome: 'deny' }, why: '12 % of rows' },
    { name: 'reason: no_grant', filters: { reason: 'no_grant' }, why: 'commonest deny' },
    { name: 'reason: delegation_mismatch', filters: { reason: 'delegation_mismatch' }, why: 'rare: ~0.01 % of rows' },
    { name: 'authn reason: token_signature_invalid', filters: { reason: 'token_signature_invalid' }, why: 'rare' },
    { name: 'on behalf of (typical)', filters: { onBehalfOf: obo.onBehalfOf }, why: 'median of 500 users' },
    { name: 'on behalf of (rarest)', filters: { onBehalfOf: rareObo.onBehalfOf }, why: 'least active user' },
    { name: 'task id', filters: { task: task.taskId }, why: 'a task 45+ days old, ~8 rows' },
    { name: 'resource contains', filters: { resource: 'invoice:424242' }, why: 'free text, ~10 matches' },
    { name: 'resource contains, last 24 h', filters: { resource: 'invoice:4242', range: '24h' }, why: 'free text within a day' },
    { name: 'resource contains, last 7 days', filters: { resource: 'invoice:4242', range: '7d' }, why: 'free text within a week' },
    { name: 'resource contains, digits only', filters: { resource: '424242' }, why: 'free text, one token' },
    { name: 'resource contains, common text', filters: { resource: 'voice' }, why: 'in 90 % of rows' },
    { name: 'grant', filters: { grant }, why: 'one agent × tool grant' },
    { name: 'agent + outcome deny + range 7 d', filters: { agent: typicalAgent, outcome: 'deny', range: '7d' }, why: 'a combined view' },
  ];
}

interface Result {
  view: View;
  p50: number;
  p95: number;
  rows: number;
  error?: string;
}

async function measureViews(ctx: ServiceContext, views: View[]): Promise<Result[]> {
  const { listDecisions } = await import('../lib/decision-log/query');
  const results: Result[] = [];
  for (const view of views) {
    let rows = 0;
    try {
      // a view that cannot meet the target is measured fewer times (each run may take seconds)
      const probe = performance.now();
      rows = (await listDecisions(ctx, { ...view.filters, limit: '50' })).items.length;
      const slow = performance.now() - probe > 2_000;
      const t = await timeIt(async () => {
        rows = (await listDecisions(ctx, { ...view.filters, limit: '50' })).items.length;
      }, slow ? 2 : RUNS);
      results.push({ view, p50: t.p50, p95: t.p95, rows });
      log(`  ${view.name.padEnd(42)} p50 ${ms(t.p50).padStart(6)} ms  p95 ${ms(t.p95).padStart(6)} ms  (${rows} rows)`);
    } catch (err) {
      results.push({ view, p50: NaN, p95: NaN, rows: 0, error: (err as Error).message });
      log(`  ${view.name.padEnd(42)} failed: ${(err as Error).message}`);
    }
  }
  return results;
}

/**
 * The hot path's cost: group-commit batches (500 rows, one INSERT of a JSON batch, `insertDecisionRows`) into the current
 * partition, as the decision API writes them, with the table's current set of indexes.
 */
/**
 * Three rounds of `batches` batches; the median round (the machine is shared and noisy). Written
 * as another tenant, so the measured views and charts never see these rows.
 */
async function measureInserts(w: World, batches: number): Promise<{ rowsPerSec: number; p50: number; p95: number }> {
  const rounds = [];
  for (let r = 0; r < 3; r++) rounds.push(await insertRound(w, batches, r));
  rounds.sort((a, b) => a.rowsPerSec - b.rowsPerSec);
  return rounds[1];
}

async function insertRound(w: World, batches: number, round: number): Promise<{ rowsPerSec: number; p50: number; p95: number }> {
  const { insertDecisionRows } = await import('../lib/decisions/log-writer');
  const { pgPool } = await import('../lib/db/pool');
  const { newId } = await import('../lib/ids');
  const times: number[] = [];
  let n = 0;
  const t0 = performance.now();
  for (let b = 0; b < batches; b++) {
    const rows = Array.from({ length: 500 }, (_, i) => {
      const k = (round * batches + b) * 500 + i;
      const agent = w.agents[k % w.agents.length];
      const tool = w.tools[k % w.tools.length];
      const allow = k % 8 !== 0;
      return {
        id: newId('decision'),
        time: new Date(),
        tenantId: `${w.tenantId}_inserts`,
        serverId: tool.serverId,
        identityId: agent.identity,
        agentId: agent.id,
        subject: agent.subject,
        onBehalfOf: k % 10 < 3 ? `user${k % 500}@bench.test` : null,
        tool: tool.name,
        toolId: tool.id,
        action: tool.action,
        resource: `invoice:${k}`,
        allow,
        reason: allow ? 'granted' : 'no_grant',
        authnReason: null,
        grantId: allow ? `gnt_bench_${k % 40}_${k % 50}` : null,
        taskId: k % 10 >= 3 && k % 10 < 5 ? `insert-task-${Math.floor(k / 8)}` : null,
        latencyUs: 500,
        requestId: null,
        source: 'api',
        explanation: 'bench',
        context: { environment: 'prod' },
      };
    });
    const t = performance.now();
    await insertDecisionRows(pgPool(), rows);
    times.push(performance.now() - t);
    n += rows.length;
  }
  const secs = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  return { rowsPerSec: n / secs, p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
}

function indexStatements(file = INDEX_MIGRATION): { name: string; create: string }[] {
  if (!existsSync(file)) return [];
  const sql = readFileSync(file, 'utf8').replace(/--.*$/gm, '');
  return sql
    .split(';')
    .map((s) => s.trim())
    .filter((s) => /^CREATE INDEX/i.test(s))
    .map((s) => ({ name: /CREATE INDEX (?:IF NOT EXISTS )?"([^"]+)"/i.exec(s)![1], create: s }));
}

async function main() {
  const started = new Date();
  log(`▸ fresh database; seeding ${fmt(ROWS)} decisions over ${SPAN_DAYS} days for one tenant`);
  const database = await createTestDatabase('benchaudit');
  process.env.DATABASE_URL = database.url;
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const sections: string[] = [];
  try {
    const w = await seedCatalog(client);
    const end = Date.now() - 60_000;
    const seedMs = await seedDecisions(client, w, ROWS, end);
    log(`  seeded in ${(seedMs / 1000).toFixed(0)} s; VACUUM ANALYZE`);
    await client.query(`VACUUM (ANALYZE) "DecisionLog"`);
    const size = (await client.query<{ t: string; i: string }>(`
      SELECT pg_size_pretty(sum(pg_table_size(c.oid))) AS t, pg_size_pretty(sum(pg_indexes_size(c.oid))) AS i
      FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid WHERE h.inhparent = '"DecisionLog"'::regclass`)).rows[0];
    const ctx: ServiceContext = {
      tenantId: w.tenantId,
      actor: { type: 'user', id: 'usr_bench', label: 'bench@bench.test' },
      role: 'auditor',
      requestMeta: { ip: null, userAgent: 'bench', requestId: 'bench' },
    };
    if (SEED_ONLY) {
      log(`  seed only: tenant ${w.tenantId}, table ${size.t}, indexes ${size.i}`);
      return;
    }
    const views = await pickViews(client, w);
    const indexes = indexStatements();

    let before: Result[] | null = null;
    let insertsBefore: Awaited<ReturnType<typeof measureInserts>> | null = null;
    let buildSecs = 0;
    if (COMPARE && indexes.length) {
      log(`▸ first page of each view WITHOUT the ${indexes.length} added index(es) (${RUNS} runs each)`);
      // statistics stay those of the seeded log for both measurements (no ANALYZE in between),
      // so the planner's choices differ only by the indexes
      for (const ix of indexes) await client.query(`DROP INDEX IF EXISTS "${ix.name}"`);
      before = await measureViews(ctx, views);
      // a checkpoint first, so neither measurement pays for the other's writes (superuser only)
      await client.query('CHECKPOINT').catch(() => {});
      insertsBefore = await measureInserts(w, 40);
      log(`  group-commit inserts without them: ${fmt(insertsBefore.rowsPerSec)} rows/s, batch p50 ${ms(insertsBefore.p50)} ms, p95 ${ms(insertsBefore.p95)} ms`);
      log('▸ creating the added indexes');
      const t = Date.now();
      for (const ix of indexes) await client.query(ix.create);
      buildSecs = (Date.now() - t) / 1000;
      log(`  built in ${buildSecs.toFixed(1)} s`);
    }
    log(`▸ first page of each view (${RUNS} runs each, through listDecisions)`);
    const after = await measureViews(ctx, views);
    await client.query('CHECKPOINT').catch(() => {});
    const insertsAfter = await measureInserts(w, 40);
    log(`  group-commit inserts: ${fmt(insertsAfter.rowsPerSec)} rows/s, batch p50 ${ms(insertsAfter.p50)} ms, p95 ${ms(insertsAfter.p95)} ms`);
    // the same without the trigram index and the roll-up trigger, then both back (rows written
    // meanwhile belong to the insert tenant, which nothing below reads)
    const search = indexStatements(SEARCH_MIGRATION);
    for (const ix of search) await client.query(`DROP INDEX IF EXISTS "${ix.name}"`);
    await client.query(`ALTER TABLE "DecisionLog" DISABLE TRIGGER "DecisionLog_hourly"`);
    await client.query('CHECKPOINT').catch(() => {});
    const insertsBare = await measureInserts(w, 40);
    log(`  … without the trigram index and roll-up trigger: ${fmt(insertsBare.rowsPerSec)} rows/s, batch p50 ${ms(insertsBare.p50)} ms, p95 ${ms(insertsBare.p95)} ms`);
    await client.query(`ALTER TABLE "DecisionLog" ENABLE TRIGGER "DecisionLog_hourly"`);
    const rebuildStart = Date.now();
    await client.query(`SET maintenance_work_mem = '256MB'`);
    for (const ix of search) await client.query(ix.create);
    await client.query(`RESET maintenance_work_mem`);
    const trgmBuildSecs = (Date.now() - rebuildStart) / 1000;
    log(`  trigram index rebuilt in ${trgmBuildSecs.toFixed(0)} s`);
    const indexSizes = (
      await client.query<{ name: string; size: string }>(
        `SELECT regexp_replace(c.relname, '^DecisionLog_[0-9_]+_|^DecisionLog_default_', '') AS name, pg_size_pretty(sum(pg_relation_size(c.oid))) AS size
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_inherits h ON h.inhrelid = i.indrelid
         WHERE h.inhparent = '"DecisionLog"'::regclass GROUP BY 1 ORDER BY sum(pg_relation_size(c.oid)) DESC`,
      )
    ).rows;

    const rollupSize = (
      await client.query<{ n: string; size: string }>(`SELECT (SELECT count(*) FROM "DecisionLogHourly") AS n, pg_size_pretty(pg_total_relation_size('"DecisionLogHourly"')) AS size`)
    ).rows[0];

    // beyond the first page, the charts, the drawer, an export, retention
    const { listDecisions } = await import('../lib/decision-log/query');
    const { decisionStats } = await import('../lib/decision-log/stats');
    const { getDecision } = await import('../lib/decision-log/detail');
    const { exportDecisions } = await import('../lib/decision-log/export');
    log('▸ deep pages, charts, detail, export');
    const extra: { name: string; p50: number; p95: number; note: string }[] = [];
    {
      // page 200 of the no-filter view: follow cursors once, then time the 200th page
      let cursor: string | null = null;
      for (let i = 0; i < 199; i++) cursor = (await listDecisions(ctx, { limit: '50', ...(cursor ? { cursor } : {}) })).nextCursor;
      const t = await timeIt(() => listDecisions(ctx, { limit: '50', cursor: cursor! }), RUNS);
      extra.push({ name: 'page 200 (keyset), no filter', ...t, note: 'same cost as page 1: no OFFSET' });
    }
    for (const [name, input] of [
      ['charts, default window (24 h)', {}],
      ['charts, 7 days (per day)', { range: '7d' }],
      ['charts, 30 days (per day)', { range: '30d' }],
      ['charts, 7 days, outcome deny', { range: '7d', outcome: 'deny' }],
      ['charts, 30 days, one agent', { range: '30d', agent: views[4].filters.agent }],
      ['charts, 7 days, one server', { range: '7d', server: w.servers[2] }],
    ] as const) {
      const t = await timeIt(() => decisionStats(ctx, input), Math.min(RUNS, 5));
      const fromRollup = Object.keys(input).every((k) => ['range', 'outcome', 'reason'].includes(k));
      extra.push({ name, ...t, note: `per-bucket counts + top deny reasons, ${fromRollup ? 'hourly roll-up + the edges from the log' : 'counted from the log'}` });
    }
    {
      const ids = (await client.query<{ id: string }>(`SELECT id FROM "DecisionLog" WHERE "tenantId" = $1 AND time < now() - interval '30 days' LIMIT 20`, [w.tenantId])).rows.map((r) => r.id);
      let i = 0;
      const t = await timeIt(() => getDecision(ctx, ids[i++ % ids.length]), RUNS);
      extra.push({ name: 'decision detail (drawer)', ...t, note: 'by id across partitions, with names' });
    }
    let exportNote = '';
    {
      const filters = { agent: views[4].filters.agent, range: '30d' };
      const t = performance.now();
      const { stream } = exportDecisions(ctx, { ...filters, format: 'csv' });
      const reader = stream.getReader();
      let bytes = 0;
      let lines = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
        for (let k = 0; k < value.length; k++) if (value[k] === 10) lines++;
      }
      const secs = (performance.now() - t) / 1000;
      exportNote = `CSV export of one typical agent over 30 days: ${fmt(lines - 1)} rows, ${(bytes / 2 ** 20).toFixed(1)} MiB in ${secs.toFixed(1)} s (${fmt((lines - 1) / secs)} rows/s), streamed in pages of 2,000 with the process's memory flat.`;
      log(`  ${exportNote}`);
    }
    for (const e of extra) log(`  ${e.name.padEnd(42)} p50 ${ms(e.p50).padStart(6)} ms  p95 ${ms(e.p95).padStart(6)} ms`);

    log('▸ retention: 60-day retention on the 90-day log');
    const { pruneDecisionLog } = await import('../lib/decision-log/retention');
    await client.query(`UPDATE "Tenant" SET "decisionRetentionDays" = 60 WHERE id = $1`, [w.tenantId]);
    const pt = performance.now();
    const pruned = await pruneDecisionLog({ log });
    const pruneSecs = (performance.now() - pt) / 1000;
    const droppedRows = pruned.droppedPartitions.reduce((n, p) => n + p.rows, 0);
    const deletedRows = pruned.deleted.reduce((n, d) => n + d.rows, 0);
    // the roll-up lost exactly what was pruned: its total equals the tenant's remaining rows
    const check = (
      await client.query<{ log: string; rollup: string }>(
        `SELECT (SELECT count(*) FROM "DecisionLog" WHERE "tenantId" = $1) AS "log", (SELECT coalesce(sum("count"), 0) FROM "DecisionLogHourly" WHERE "tenantId" = $1) AS "rollup"`,
        [w.tenantId],
      )
    ).rows[0];
    const pruneNote = `Retention 90 → 60 days: ${pruned.droppedPartitions.length} partition(s) dropped (${fmt(droppedRows)} rows), ${fmt(deletedRows)} rows deleted in batches, in ${pruneSecs.toFixed(1)} s; every step recorded as \`decision_log.pruned\`. Afterwards the charts' roll-up counts ${fmt(Number(check.rollup))} decisions and the log holds ${fmt(Number(check.log))}${check.rollup === check.log ? ' (equal)' : ' (**they differ**)'}.`;
    log(`  ${pruneNote}`);

    const met = after.filter((r) => r.p95 <= TARGET_MS).length;
    const row = (r: Result, b?: Result) =>
      `| ${r.view.name}${r.view.why ? ` <br><sub>${r.view.why}</sub>` : ''} | ${b ? `${ms(b.p50)} / ${ms(b.p95)}` : ''}${b ? ' | ' : ''}${ms(r.p50)} | ${ms(r.p95)} | ${r.rows} | ${r.p95 <= TARGET_MS ? 'yes' : '**no**'} |`;
    sections.push(
      [
        `## Decision log explorer at ${fmt(ROWS)} rows`,
        '',
        `Generated by \`npm run bench:audit\` on ${started.toISOString()}. Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL 15 on 127.0.0.1 (default settings).`,
        '',
        `One tenant, ${fmt(ROWS)} decisions spread evenly over ${SPAN_DAYS} days (monthly partitions), 40 agents and 50 tools with skewed traffic, 12 % denies, 30 % on behalf of one of 500 users, 20 % with a task id. Seeded with \`INSERT … SELECT generate_series\` in ${(seedMs / 1000).toFixed(0)} s; then \`VACUUM (ANALYZE)\`. Table ${size.t}, indexes ${size.i}.`,
        '',
        `Each view: the first page (50 rows, newest first) through \`listDecisions\`, the function behind the console's list route, ${RUNS} runs after one warm-up. Target: **≤ ${TARGET_MS} ms**. Met by ${met} of ${after.length} views (p95).`,
        '',
        before ? `| view | without added indexes p50 / p95 ms | p50 ms | p95 ms | rows | ≤ ${TARGET_MS} ms |` : `| view | p50 ms | p95 ms | rows | ≤ ${TARGET_MS} ms |`,
        before ? '|---|---:|---:|---:|---:|---|' : '|---|---:|---:|---:|---|',
        ...after.map((r, i) => row(r, before?.[i])),
        '',
        '| also measured | p50 ms | p95 ms | note |',
        '|---|---:|---:|---|',
        ...extra.map((e) => `| ${e.name} | ${ms(e.p50)} | ${ms(e.p95)} | ${e.note} |`),
        '',
        exportNote,
        '',
        pruneNote,
        '',
        '### What the indexes cost',
        '',
        insertsBefore
          ? `Group-commit inserts (500-row batches written by \`insertDecisionRows\` into the current partition, as the decision API writes them; median of three rounds of 20,000 rows): **${fmt(insertsBefore.rowsPerSec)} rows/s** (batch p50 ${ms(insertsBefore.p50)} ms, p95 ${ms(insertsBefore.p95)} ms) without the added indexes, **${fmt(insertsAfter.rowsPerSec)} rows/s** (batch p50 ${ms(insertsAfter.p50)} ms, p95 ${ms(insertsAfter.p95)} ms) with them. Building them on the ${fmt(ROWS)}-row log took ${buildSecs.toFixed(0)} s.`
          : `Group-commit inserts (500-row batches written by \`insertDecisionRows\` into the current partition, as the decision API writes them; median of three rounds of 20,000 rows): ${fmt(insertsAfter.rowsPerSec)} rows/s (batch p50 ${ms(insertsAfter.p50)} ms, p95 ${ms(insertsAfter.p95)} ms).`,
        '',
        `Without the trigram index and the roll-up trigger (dropped and disabled for the measurement): ${fmt(insertsBare.rowsPerSec)} rows/s (batch p50 ${ms(insertsBare.p50)} ms, p95 ${ms(insertsBare.p95)} ms). Rebuilding the trigram index on the ${fmt(ROWS)}-row log took ${trgmBuildSecs.toFixed(0)} s.`,
        '',
        '| index (all partitions) | size |',
        '|---|---:|',
        ...indexSizes.map((r) => `| ${r.name} | ${r.size} |`),
        `| DecisionLogHourly (roll-up table with its key; ${fmt(Number(rollupSize.n))} rows) | ${rollupSize.size} |`,
      ].join('\n'),
    );
  } finally {
    await client.end();
    const { disconnectDb } = await import('../lib/db/client');
    await disconnectDb();
    if (KEEP) log(`database kept: ${database.url}`);
    else await database.drop();
  }
  if (SEED_ONLY) return;

  const intro = existsSync(OUT) ? readFileSync(OUT, 'utf8').split('\n## Decision log explorer at')[0].trimEnd() : '';
  writeFileSync(OUT, `${intro || '# Benchmarks: audit views'}\n\n${sections.join('\n\n')}\n`);
  log(`wrote ${OUT}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
