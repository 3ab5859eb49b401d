'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { reasonLabel } from './labels';
import { useDecisionStats } from './queries';

const ALLOW = '#059669';
const DENY = '#dc2626';

/** Decisions per hour by outcome, and the top deny reasons, for the current filter. */
export function DecisionCharts({ tenant, filters, onPickReason }: { tenant: string; filters: Record<string, string>; onPickReason: (reason: string) => void }) {
  const stats = useDecisionStats(tenant, filters);
  const data = stats.data;
  const hourly = data?.bucket === 'hour';
  const tick = (iso: string) => {
    const d = new Date(iso);
    return hourly ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  };
  const total = data?.series.reduce((n, b) => n + b.allow + b.deny, 0) ?? 0;
  const reasons = (data?.topDenyReasons ?? []).map((r) => ({ ...r, label: reasonLabel(r.reason, r.authnReason), key: r.authnReason ?? r.reason }));

  return (
    <section aria-label="Decision charts" className="grid grid-cols-1 gap-4 lg:grid-cols-3">
      {stats.isError && (
        <div className="lg:col-span-3">
          <ErrorAlert>Could not load the charts: {errorMessage(stats.error)}</ErrorAlert>
        </div>
      )}
      <div className="card p-4 lg:col-span-2">
        <h2 className="text-sm font-semibold">Decisions per {hourly ? 'hour' : 'day'} by outcome</h2>
        <p className="text-xs text-slate-500" data-testid="chart-window">
          {data
            ? `${new Date(data.from).toLocaleString()} – ${new Date(data.to).toLocaleString()} · ${total.toLocaleString()} decisions${data.truncated ? ' · charts cover the last 31 days of the range' : ''}`
            : 'Loading…'}
        </p>
        <div className="mt-2 h-40" aria-hidden={!data}>
          {data && (
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={data.series} margin={{ top: 4, right: 8, bottom: 0, left: -12 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#cbd5e1" />
                <XAxis dataKey="t" tickFormatter={tick} fontSize={11} minTickGap={24} />
                <YAxis allowDecimals={false} fontSize={11} />
                <Tooltip labelFormatter={(v) => new Date(String(v)).toLocaleString()} />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                <Bar dataKey="allow" name="allow" stackId="o" fill={ALLOW} isAnimationActive={false} />
                <Bar dataKey="deny" name="deny" stackId="o" fill={DENY} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          )}
        </div>
      </div>
      <div className="card p-4">
        <h2 className="text-sm font-semibold">Top deny reasons</h2>
        <p className="text-xs text-slate-500">Same window; click a bar to filter the log by it.</p>
        {data && reasons.length === 0 && <p className="mt-6 text-sm text-slate-600 dark:text-slate-400">No denies in this window.</p>}
        {reasons.length > 0 && (
          <>
            <div className="mt-2 h-40" aria-hidden>
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={reasons} layout="vertical" margin={{ top: 0, right: 8, bottom: 0, left: 0 }}>
                  <XAxis type="number" allowDecimals={false} fontSize={11} />
                  <YAxis type="category" dataKey="label" width={130} fontSize={11} interval={0} />
                  <Tooltip />
                  <Bar
                    dataKey="count"
                    name="denies"
                    fill={DENY}
                    isAnimationActive={false}
                    cursor="pointer"
                    onClick={(d) => {
                      const key = (d as { payload?: { key?: string } }).payload?.key;
                      if (key) onPickReason(key);
                    }}
                  />
                </BarChart>
              </ResponsiveContainer>
            </div>
            {/* the same numbers for screen readers and keyboards (the chart is a picture) */}
            <ul className="sr-only" data-testid="top-deny-reasons">
              {reasons.map((r) => (
                <li key={`${r.reason}:${r.authnReason ?? ''}`}>
                  <button type="button" onClick={() => onPickReason(r.key)}>
                    {r.label}: {r.count.toLocaleString()}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
