'use client';

import { useRef, useState, type FormEvent } from 'react';
import { AUDIT_EVENTS } from '@/lib/audit/events';
import { AUDIT_RANGE_KEYS } from '@/lib/audit/filters';
import { isoToLocalInput, localInputToIso } from '@/components/decisions/labels';

export const AUDIT_FILTER_KEYS = ['range', 'from', 'to', 'actor', 'actorType', 'event', 'targetType', 'targetId'] as const;

const RANGE_LABELS: Record<string, string> = { '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days', '90d': 'Last 90 days', '365d': 'Last year' };

// target types follow the event names' resource part (grant.revoked → grant)
const TARGET_TYPES = [...new Set(AUDIT_EVENTS.map((e) => e.split('.')[0]))].sort();

/** The audit trail's filters; the URL is the state (see DecisionFilters). */
export function AuditFilters({ filters, onApply }: { filters: Record<string, string>; onApply: (next: Record<string, string>) => void }) {
  const form = useRef<HTMLFormElement>(null);
  const [custom, setCustom] = useState(!!(filters.from || filters.to));
  const applyNow = () => form.current?.requestSubmit();

  function submit(e: FormEvent) {
    e.preventDefault();
    const data = new FormData(form.current!);
    const next: Record<string, string> = {};
    for (const key of AUDIT_FILTER_KEYS) {
      const raw = data.get(key);
      let value = typeof raw === 'string' ? raw.trim() : '';
      if (key === 'range' && value === '__custom') continue;
      if ((key === 'from' || key === 'to') && value) value = localInputToIso(value);
      if (value) next[key] = value;
    }
    onApply(next);
  }

  return (
    <form ref={form} onSubmit={submit} aria-label="Audit filters" className="card space-y-3 p-3">
      <div className="grid grid-cols-1 gap-x-3 gap-y-2 sm:grid-cols-2 md:grid-cols-3 xl:grid-cols-6">
        <L label="Time range" htmlFor="a-range">
          <select
            id="a-range"
            name="range"
            className="input py-1.5"
            defaultValue={custom ? '__custom' : (filters.range ?? '')}
            onChange={(e) => {
              if (e.target.value === '__custom') return setCustom(true);
              setCustom(false);
              for (const k of ['from', 'to']) {
                const input = form.current?.elements.namedItem(k) as HTMLInputElement | null;
                if (input) input.value = '';
              }
              applyNow();
            }}
          >
            <option value="">All time</option>
            {AUDIT_RANGE_KEYS.map((r) => (
              <option key={r} value={r}>
                {RANGE_LABELS[r]}
              </option>
            ))}
            <option value="__custom">Custom dates…</option>
          </select>
        </L>
        {custom && (
          <>
            <L label="From" htmlFor="a-from">
              <input id="a-from" name="from" type="datetime-local" className="input py-1.5" defaultValue={isoToLocalInput(filters.from)} />
            </L>
            <L label="To" htmlFor="a-to">
              <input id="a-to" name="to" type="datetime-local" className="input py-1.5" defaultValue={isoToLocalInput(filters.to)} />
            </L>
          </>
        )}
        <L label="Actor" htmlFor="a-actor">
          <input id="a-actor" name="actor" className="input py-1.5" placeholder="e-mail, server name or id" defaultValue={filters.actor ?? ''} />
        </L>
        <L label="Actor type" htmlFor="a-actor-type">
          <select id="a-actor-type" name="actorType" className="input py-1.5" defaultValue={filters.actorType ?? ''} onChange={applyNow}>
            <option value="">Any</option>
            <option value="user">Person</option>
            <option value="server">MCP server</option>
            <option value="system">System</option>
          </select>
        </L>
        <L label="Event" htmlFor="a-event">
          <select id="a-event" name="event" className="input py-1.5" defaultValue={filters.event ?? ''} onChange={applyNow}>
            <option value="">Any event</option>
            {AUDIT_EVENTS.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </L>
        <L label="Target type" htmlFor="a-target-type">
          <select id="a-target-type" name="targetType" className="input py-1.5" defaultValue={filters.targetType ?? ''} onChange={applyNow}>
            <option value="">Any target</option>
            {[...new Set([...TARGET_TYPES, 'membership', 'server_key', 'trust_domain', 'access_request', 'decision_log', 'audit_trail', 'review_campaign', ...(filters.targetType ? [filters.targetType] : [])])].sort().map((t) => (
              <option key={t} value={t}>
                {t.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </L>
        <L label="Target id" htmlFor="a-target-id">
          <input id="a-target-id" name="targetId" className="input py-1.5" placeholder="gnt_…, agt_…" defaultValue={filters.targetId ?? ''} />
        </L>
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary py-1.5">
          Apply filters
        </button>
        <button type="button" className="btn-secondary py-1.5" onClick={() => onApply({})}>
          Clear all
        </button>
      </div>
    </form>
  );
}

function L({ label, htmlFor, children }: { label: string; htmlFor: string; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={htmlFor} className="block text-xs font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      <div className="mt-0.5">{children}</div>
    </div>
  );
}
