'use client';

import Link from 'next/link';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { formatDateTime } from '@/components/ui/format';
import { GrantRiskBadge } from './badges';
import { useGrantMatrix } from './queries';
import { kindLabel } from './types';

/**
 * Agents × one server's tools, live grants only. A filled cell names the granted actions and
 * opens the list filtered to that agent and tool; on a phone the table scrolls sideways with
 * the agent column pinned.
 */
export function GrantMatrix({ tenant, serverId, onServerChange }: { tenant: string; serverId: string; onServerChange: (id: string) => void }) {
  const matrix = useGrantMatrix(tenant, serverId);
  const m = matrix.data;
  const cell = (agentId: string, toolId: string) => m?.cells.find((c) => c.agentId === agentId && c.toolId === toolId);
  return (
    <section aria-label="Agent × tool matrix" className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-full sm:w-64">
          <label htmlFor="matrix-server" className="block text-sm font-medium">
            Server
          </label>
          <select id="matrix-server" className="input mt-1" value={m?.server?.id ?? serverId} onChange={(e) => onServerChange(e.target.value)}>
            {(m?.servers ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <p className="text-sm text-slate-600 dark:text-slate-400">Live grants (not expired, not revoked). Select a cell to see its grants.</p>
        {matrix.isFetching && !matrix.isPending && (
          <p role="status" className="text-sm text-slate-500">
            Updating…
          </p>
        )}
      </div>
      {matrix.isError && <ErrorAlert>Could not load the matrix: {errorMessage(matrix.error)}</ErrorAlert>}
      {matrix.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading the matrix…
        </p>
      ) : !m?.server ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400">No MCP servers yet: register one and sync its tools first.</p>
      ) : m.tools.length === 0 || m.agents.length === 0 ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400">{m.tools.length === 0 ? `${m.server.name} has no tools yet.` : 'No agents yet.'}</p>
      ) : (
        <div className="card relative overflow-x-auto" data-testid="grant-matrix">
          <table className="text-left text-sm">
            <caption className="sr-only">Grants of each agent on the tools of {m.server.name}</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs dark:border-slate-800 dark:bg-slate-900/60">
              <tr>
                <th scope="col" className="sticky left-0 z-10 bg-slate-50 px-3 py-2 font-medium uppercase tracking-wide text-slate-500 dark:bg-slate-900">
                  Agent
                </th>
                {m.tools.map((t) => (
                  <th key={t.id} scope="col" className="min-w-28 px-3 py-2 align-bottom font-medium">
                    <div className="break-all">{t.name}</div>
                    <div className="mt-1">{t.status === 'active' ? <GrantRiskBadge risk={t.risk} /> : <span className="text-slate-500">{t.status}</span>}</div>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {m.agents.map((a) => (
                <tr key={a.id}>
                  <th scope="row" className="sticky left-0 z-10 bg-white px-3 py-2 font-medium dark:bg-slate-900">
                    <Link href={`/t/${tenant}/agents/${a.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
                      {a.name}
                    </Link>
                  </th>
                  {m.tools.map((t) => {
                    const c = cell(a.id, t.id);
                    if (!c) {
                      return (
                        <td key={t.id} className="px-3 py-2 text-slate-300 dark:text-slate-700">
                          <span aria-label="no grant">·</span>
                        </td>
                      );
                    }
                    const title = `${c.grantCount} grant${c.grantCount === 1 ? '' : 's'} (${c.kinds.map(kindLabel).join(', ')}), ${c.expiresAt ? `until ${formatDateTime(c.expiresAt)}` : 'no end date'}`;
                    return (
                      <td key={t.id} className="px-3 py-2">
                        <Link
                          href={`/t/${tenant}/grants?agentId=${a.id}&toolId=${t.id}`}
                          title={title}
                          aria-label={`${a.name} on ${t.name}: ${c.actions.join(', ')}; ${title}`}
                          className="inline-block rounded bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800 ring-1 ring-emerald-600/20 hover:bg-emerald-100 dark:bg-emerald-950 dark:text-emerald-300"
                        >
                          {c.actions.join(' · ')}
                          {c.kinds.some((k) => k !== 'standing') && ' ⏱'}
                        </Link>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {m?.truncated && <p className="text-sm text-slate-500">Only the first 200 agents and 60 tools are shown; use the list’s filters for the rest.</p>}
    </section>
  );
}
