import type { ServiceContext } from '../context';
import { requirePermission } from '../auth/require';
import { parseInput } from '../validation';
import { decisionFilterSchema, timeWindow } from './filters';
import { decisionConditions, Params, readQuery } from './sql';
import { resourceIndexToken } from './resource-search';
import { rollupAnswers, rollupConditions, wholeHours } from './rollup';

// The explorer's charts for the current filter: decisions per hour by outcome and the top deny
// reasons. The window is the filter's own range, else the last 24 hours; at most 31 days,
// counted per day beyond 3 days. Filters on time, outcome and reason are read from the hourly
// roll-up (rollup.ts); any other filter counts the matching rows of the log.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_SPAN = 31 * DAY;
const HOURLY_UP_TO = 3 * DAY;

export interface DecisionStats {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
  /** the filter's range was longer than the charts cover */
  truncated: boolean;
  series: { t: string; allow: number; deny: number }[];
  topDenyReasons: { reason: string; authnReason: string | null; count: number }[];
}

export async function decisionStats(ctx: ServiceContext, input: unknown, now = Date.now()): Promise<DecisionStats> {
  requirePermission(ctx, 'decisions.read');
  const filters = parseInput(decisionFilterSchema, input);
  const w = timeWindow(filters, now);
  const end = Math.min(w.to?.getTime() ?? now, now + HOUR);
  let start = w.from?.getTime() ?? end - DAY;
  const truncated = end - start > MAX_SPAN;
  if (truncated) start = end - MAX_SPAN;
  const bucket = end - start > HOURLY_UP_TO ? 'day' : 'hour';
  const size = bucket === 'day' ? DAY : HOUR;

  // Whole hours come from the hourly roll-up when it can answer the filter (time, outcome,
  // reason); the ragged edges around them, and every other filter, from the log itself with the
  // list's own conditions. Both count the same rows, so the charts are exact either way.
  const hours = rollupAnswers(filters) ? wholeHours(start, end) : null;
  const token = await resourceIndexToken(filters.resource);
  const rawWindows = hours ? [[start, hours.from], [hours.to, end]].filter(([a, b]) => a < b) : [[start, end]];
  const logPart = (p: Params, select: string, extra: string, group: string) =>
    rawWindows.map(([a, b]) => {
      const windowed = { ...filters, range: undefined, from: new Date(a), to: new Date(b) };
      return `SELECT ${select} FROM "DecisionLog" WHERE ${decisionConditions(p, ctx.tenantId, windowed, now, token).join(' AND ')}${extra} GROUP BY ${group}`;
    });

  // grouped on the truncated timestamp (cheap per row), then turned into epoch ms of the UTC
  // hour/day once per bucket: a plain number, no time-zone guessing on the way out
  const sp = new Params();
  const unit = sp.add(bucket);
  const seriesParts = logPart(sp, `date_trunc(${unit}, "time" AT TIME ZONE 'UTC') AS "bucket", "allow", count(*) AS "n"`, '', '1, 2');
  if (hours) {
    seriesParts.push(`SELECT date_trunc(${unit}, "hour" AT TIME ZONE 'UTC') AS "bucket", "allow", sum("count") AS "n"
      FROM "DecisionLogHourly" WHERE ${rollupConditions(sp, ctx.tenantId, filters, hours).join(' AND ')} GROUP BY 1, 2`);
  }
  const seriesSql = `
    SELECT (extract(epoch FROM u."bucket") * 1000)::float8 AS "t", u."allow", sum(u."n")::float8 AS "n"
    FROM (${seriesParts.join(' UNION ALL ')}) u
    GROUP BY 1, 2`;

  const rp = new Params();
  const reasonParts = logPart(rp, `"reason", coalesce("authnReason", '') AS "authnReason", count(*) AS "n"`, ` AND "allow" = false`, '1, 2');
  if (hours) {
    reasonParts.push(`SELECT "reason", "authnReason", sum("count") AS "n"
      FROM "DecisionLogHourly" WHERE ${rollupConditions(rp, ctx.tenantId, filters, hours).join(' AND ')} AND "allow" = false GROUP BY 1, 2`);
  }
  const reasonsSql = `
    SELECT u."reason", nullif(u."authnReason", '') AS "authnReason", sum(u."n")::float8 AS "n"
    FROM (${reasonParts.join(' UNION ALL ')}) u
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 8`;
  const [seriesRows, reasonRows] = await Promise.all([
    readQuery<{ t: number; allow: boolean; n: number }>(seriesSql, sp.values),
    readQuery<{ reason: string; authnReason: string | null; n: number }>(reasonsSql, rp.values),
  ]);

  // every bucket of the window, zeros included, so gaps read as "nothing happened"
  const first = Math.floor(start / size) * size;
  const buckets = new Map<number, { allow: number; deny: number }>();
  for (let t = first; t < end; t += size) buckets.set(t, { allow: 0, deny: 0 });
  for (const r of seriesRows) {
    const t = Number(r.t);
    const b = buckets.get(t) ?? { allow: 0, deny: 0 };
    if (r.allow) b.allow += Number(r.n);
    else b.deny += Number(r.n);
    buckets.set(t, b);
  }
  return {
    from: new Date(start).toISOString(),
    to: new Date(end).toISOString(),
    bucket,
    truncated,
    series: [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t: new Date(t).toISOString(), ...v })),
    topDenyReasons: reasonRows.map((r) => ({ reason: r.reason, authnReason: r.authnReason, count: Number(r.n) })),
  };
}
