'use client';

import { useEffect, useState } from 'react';
import { useDebouncedValue } from '@/components/ui/use-debounced-value';
import { KINDS, RISKS, type GrantFilters as Filters, type GrantOptions } from './types';

/**
 * The list's filters. Selects apply at once; the hours field applies once typing pauses. The
 * tool choices narrow to the chosen server.
 */
export function GrantFilters({ filters, options, onChange }: { filters: Filters; options: GrantOptions | undefined; onChange: (next: Partial<Filters>) => void }) {
  const [hours, setHours] = useState(filters.expiringWithinHours);
  const debouncedHours = useDebouncedValue(hours, 400);
  useEffect(() => {
    if (debouncedHours !== filters.expiringWithinHours) onChange({ expiringWithinHours: debouncedHours });
    // only a change of the typed value should apply it
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debouncedHours]);
  useEffect(() => setHours(filters.expiringWithinHours), [filters.expiringWithinHours]);

  const servers = options?.servers ?? [];
  const tools = (options?.tools ?? []).filter((t) => !filters.serverId || t.serverId === filters.serverId);
  const serverName = (id: string) => servers.find((s) => s.id === id)?.name ?? '';
  const hoursInvalid = hours !== '' && !(Number.isInteger(Number(hours)) && Number(hours) >= 1 && Number(hours) <= 8760);

  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4 xl:grid-cols-7" role="group" aria-label="Filter grants">
      <FilterSelect id="grant-filter-agent" label="Agent" value={filters.agentId} onChange={(agentId) => onChange({ agentId })}>
        <option value="">All agents</option>
        {options?.agents.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect id="grant-filter-server" label="Server" value={filters.serverId} onChange={(serverId) => onChange({ serverId, toolId: '' })}>
        <option value="">All servers</option>
        {servers.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect id="grant-filter-tool" label="Tool" value={filters.toolId} onChange={(toolId) => onChange({ toolId })}>
        <option value="">All tools</option>
        {tools.map((t) => (
          <option key={t.id} value={t.id}>
            {filters.serverId ? t.name : `${t.name} (${serverName(t.serverId)})`}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect id="grant-filter-risk" label="Risk" value={filters.risk} onChange={(risk) => onChange({ risk: risk as Filters['risk'] })}>
        <option value="">Any risk</option>
        {RISKS.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect id="grant-filter-kind" label="Kind" value={filters.kind} onChange={(kind) => onChange({ kind: kind as Filters['kind'] })}>
        <option value="">Any kind</option>
        {KINDS.map((k) => (
          <option key={k.value} value={k.value}>
            {k.label}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect id="grant-filter-status" label="Status" value={filters.status === '' ? 'all' : filters.status} onChange={(status) => onChange({ status: (status === 'all' ? '' : status) as Filters['status'] })}>
        <option value="active">Active</option>
        <option value="expired">Expired</option>
        <option value="revoked">Revoked</option>
        <option value="all">All statuses</option>
      </FilterSelect>
      <div>
        <label htmlFor="grant-filter-expiring" className="block text-sm font-medium">
          Expiring within (hours)
        </label>
        <input
          id="grant-filter-expiring"
          type="number"
          inputMode="numeric"
          min={1}
          max={8760}
          className="input mt-1"
          placeholder="any time"
          value={hours}
          aria-invalid={hoursInvalid ? true : undefined}
          aria-describedby={hoursInvalid ? 'grant-filter-expiring-error' : undefined}
          onChange={(e) => setHours(e.target.value)}
        />
        {hoursInvalid && (
          <p id="grant-filter-expiring-error" className="field-error">
            Whole hours from 1 to 8760
          </p>
        )}
      </div>
    </div>
  );
}

function FilterSelect({ id, label, value, onChange, children }: { id: string; label: string; value: string; onChange: (v: string) => void; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} className="input mt-1" value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </div>
  );
}
