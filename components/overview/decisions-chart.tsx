'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { OverviewDto } from './types';

const ALLOW = '#059669';
const DENY = '#dc2626';

/** Allow vs deny per hour (24 h) or per day (7 d). The numbers are also given as text. */
export function DecisionsChart({ decisions }: { decisions: NonNullable<OverviewDto['decisions']> }) {
  const hourly = decisions.range === '24h';
  const tick = (iso: string) => {
    const d = new Date(iso);
    return hourly ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' });
  };
  const label = (iso: string) => {
    const d = new Date(iso);
    return hourly ? d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : d.toLocaleDateString(undefined, { dateStyle: 'full' });
  };
  return (
    <div className="h-60" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={decisions.series} margin={{ top: 4, right: 8, bottom: 0, left: -12 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#cbd5e1" />
          <XAxis dataKey="start" tickFormatter={tick} fontSize={11} minTickGap={20} />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip labelFormatter={(v) => label(String(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="allowed" name="allow" fill={ALLOW} isAnimationActive={false} />
          <Bar dataKey="denied" name="deny" fill={DENY} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
