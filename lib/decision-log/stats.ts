import type { ServiceContext } from '../context';
import { requirePermission } from '../auth/require';
import { parseInput } from '../validation';
import { decisionFilterSchema, timeWindow } from './filters';
import { decisionConditions, Params, readQuery } from './sql';

// The explorer's charts for the current filter: decisions per hour by outcome and the top deny
// reasons. Aggregates scan every matching row, so the window is bounded: the filter's own
// range, else the last 24 hours; at most 31 days, counted per day beyond 3 days.

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

  // the same conditions as the list, with the chart's window in place of the filter's
  const windowed = { ...filters, range: undefined, from: new Date(start), to: new Date(end) };
  const sp = new Params();
  const seriesCond = decisionConditions(sp, ctx.tenantId, windowed, now).join(' AND ');
  // grouped on the truncated timestamp (cheap per row), then turned into epoch ms of the UTC
  // hour/day once per bucket: a plain number, no time-zone guessing on the way out
  const seriesSql = `
    SELECT (extract(epoch FROM b."bucket") * 1000)::float8 AS "t", b."allow", b."n"
    FROM (
      SELECT date_trunc(${sp.add(bucket)}, "time" AT TIME ZONE 'UTC') AS "bucket", "allow", count(*)::int AS "n"
      FROM "DecisionLog" WHERE ${seriesCond}
      GROUP BY 1, 2
    ) b`;
  const rp = new Params();
  const reasonsSql = `
    SELECT "reason", "authnReason", count(*)::int AS "n"
    FROM "DecisionLog" WHERE ${decisionConditions(rp, ctx.tenantId, windowed, now).join(' AND ')} AND "allow" = false
    GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 8`;
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
    if (r.allow) b.allow += r.n;
    else b.deny += r.n;
    buckets.set(t, b);
  }
  return {
    from: new Date(start).toISOString(),
    to: new Date(end).toISOString(),
    bucket,
    truncated,
    series: [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t: new Date(t).toISOString(), ...v })),
    topDenyReasons: reasonRows.map((r) => ({ reason: r.reason, authnReason: r.authnReason, count: r.n })),
  };
}
