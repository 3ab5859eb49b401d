'use client';

import { useRef, useState, type FormEvent } from 'react';
import { AUTHZ_REASONS } from '@/lib/policy/types';
import { AUTHN_REASONS } from '@/lib/identity/types';
import { DECISION_ACTIONS, FILTER_KEYS, RANGE_KEYS, RESOURCE_MIN_LENGTH } from '@/lib/decision-log/filters';
import { isoToLocalInput, localInputToIso, RANGE_LABELS, reasonLabel } from './labels';
import type { FilterOptions } from './types';

/**
 * The decision log's filters. The URL is the state: the form starts from it (re-keyed by the
 * parent when the URL changes) and writes it back on submit. Choices apply at once; typed
 * values apply on Enter or "Apply".
 */
export function DecisionFilters({ filters, options, onApply }: { filters: Record<string, string>; options: FilterOptions | undefined; onApply: (next: Record<string, string>) => void }) {
  const form = useRef<HTMLFormElement>(null);
  const [custom, setCustom] = useState(!!(filters.from || filters.to));

  function read(): Record<string, string> {
    const data = new FormData(form.current!);
    const next: Record<string, string> = {};
    for (const key of FILTER_KEYS) {
      const raw = data.get(key);
      let value = typeof raw === 'string' ? raw.trim() : '';
      if (key === 'range' && value === '__custom') continue;
      if ((key === 'from' || key === 'to') && value) value = localInputToIso(value);
      if (value) next[key] = value;
    }
    return next;
  }

  function submit(e?: FormEvent) {
    e?.preventDefault();
    onApply(read());
  }

  const applyNow = () => form.current?.requestSubmit();

  // a value from the URL that is not among the options (a deleted agent, a tool name) stays selectable
  const withCurrent = <T extends { id: string }>(list: T[] | undefined, current: string | undefined, make: (id: string) => T): T[] => {
    const l = list ?? [];
    return current && !l.some((o) => o.id === current) ? [make(current), ...l] : l;
  };
  const servers = withCurrent(options?.servers, filters.server, (id) => ({ id, name: id }));
  const agents = withCurrent(options?.agents, filters.agent, (id) => ({ id, name: id }));
  const tools = withCurrent(options?.tools, filters.tool, (id) => ({ id, name: id, serverName: null }));

  return (
    <form ref={form} onSubmit={submit} aria-label="Decision filters" className="card space-y-3 p-3">
      <div className="grid grid-cols-1 gap-x-3 gap-y-2 sm:grid-cols-2 md:grid-cols-3 xl:grid-cols-6">
        <Labelled label="Time range" htmlFor="f-range">
          <select
            id="f-range"
            name="range"
            className="input py-1.5"
            defaultValue={custom ? '__custom' : (filters.range ?? '')}
            onChange={(e) => {
              if (e.target.value === '__custom') {
                setCustom(true);
                return;
              }
              setCustom(false);
              // a preset replaces explicit dates
              for (const k of ['from', 'to'] as const) {
                const input = form.current?.elements.namedItem(k) as HTMLInputElement | null;
                if (input) input.value = '';
              }
              applyNow();
            }}
          >
            <option value="">All retained</option>
            {RANGE_KEYS.map((r) => (
              <option key={r} value={r}>
                {RANGE_LABELS[r]}
              </option>
            ))}
            <option value="__custom">Custom dates…</option>
          </select>
        </Labelled>
        {custom && (
          <>
            <Labelled label="From" htmlFor="f-from">
              <input id="f-from" name="from" type="datetime-local" className="input py-1.5" defaultValue={isoToLocalInput(filters.from)} />
            </Labelled>
            <Labelled label="To" htmlFor="f-to">
              <input id="f-to" name="to" type="datetime-local" className="input py-1.5" defaultValue={isoToLocalInput(filters.to)} />
            </Labelled>
          </>
        )}
        <Labelled label="Outcome" htmlFor="f-outcome">
          <select id="f-outcome" name="outcome" className="input py-1.5" defaultValue={filters.outcome ?? ''} onChange={applyNow}>
            <option value="">Allow and deny</option>
            <option value="allow">Allowed</option>
            <option value="deny">Denied</option>
          </select>
        </Labelled>
        <Labelled label="Reason" htmlFor="f-reason">
          <select id="f-reason" name="reason" className="input py-1.5" defaultValue={filters.reason ?? ''} onChange={applyNow}>
            <option value="">Any reason</option>
            <optgroup label="Authorization">
              {AUTHZ_REASONS.map((r) => (
                <option key={r} value={r}>
                  {reasonLabel(r)}
                </option>
              ))}
            </optgroup>
            <optgroup label="Authentication">
              {AUTHN_REASONS.map((r) => (
                <option key={r} value={r}>
                  {reasonLabel(r)}
                </option>
              ))}
            </optgroup>
          </select>
        </Labelled>
        <Labelled label="Server" htmlFor="f-server">
          <select id="f-server" name="server" className="input py-1.5" defaultValue={filters.server ?? ''} onChange={applyNow}>
            <option value="">All servers</option>
            {servers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label="Agent" htmlFor="f-agent">
          <select id="f-agent" name="agent" className="input py-1.5" defaultValue={filters.agent ?? ''} onChange={applyNow}>
            <option value="">All agents</option>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label="Tool" htmlFor="f-tool">
          <select id="f-tool" name="tool" className="input py-1.5" defaultValue={filters.tool ?? ''} onChange={applyNow}>
            <option value="">All tools</option>
            {tools.map((t) => (
              <option key={t.id} value={t.id}>
                {t.serverName ? `${t.name} (${t.serverName})` : t.name}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label="Action" htmlFor="f-action">
          <select id="f-action" name="action" className="input py-1.5" defaultValue={filters.action ?? ''} onChange={applyNow}>
            <option value="">Any action</option>
            {DECISION_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label="Identity subject" htmlFor="f-subject">
          <input id="f-subject" name="subject" className="input py-1.5" placeholder="spiffe://…" defaultValue={filters.subject ?? ''} />
        </Labelled>
        <Labelled label="On behalf of" htmlFor="f-obo">
          <input id="f-obo" name="onBehalfOf" className="input py-1.5" placeholder="alice@example.com" defaultValue={filters.onBehalfOf ?? ''} />
        </Labelled>
        <Labelled label="Task id" htmlFor="f-task">
          <input id="f-task" name="task" className="input py-1.5" defaultValue={filters.task ?? ''} />
        </Labelled>
        <Labelled label="Resource contains" htmlFor="f-resource">
          <input
            id="f-resource"
            name="resource"
            className="input py-1.5"
            placeholder="invoice:42"
            minLength={RESOURCE_MIN_LENGTH}
            aria-describedby="f-resource-hint"
            defaultValue={filters.resource ?? ''}
          />
          <p id="f-resource-hint" className="mt-0.5 text-[11px] leading-tight text-slate-500">
            At least {RESOURCE_MIN_LENGTH} characters, found anywhere in the resource.
          </p>
        </Labelled>
        <Labelled label="Grant id" htmlFor="f-grant">
          <input id="f-grant" name="grant" className="input py-1.5" placeholder="gnt_…" defaultValue={filters.grant ?? ''} />
        </Labelled>
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

function Labelled({ label, htmlFor, children }: { label: string; htmlFor: string; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={htmlFor} className="block text-xs font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      <div className="mt-0.5">{children}</div>
    </div>
  );
}
