'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { DataTable, Td, Th } from '@/components/ui/table';
import { useDebouncedValue } from '@/components/ui/use-debounced-value';
import { AgentStatusBadge } from './agent-status-badge';
import { useAgentList, type AgentFilters } from './queries';

export function AgentList({ tenant }: { tenant: string }) {
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<AgentFilters['status']>('');
  const filters: AgentFilters = { q: useDebouncedValue(q), status };
  const list = useAgentList(tenant, filters);
  const agents = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = filters.q.trim() !== '' || status !== '';

  return (
    <section aria-label="Agent list" className="space-y-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="sm:w-80">
          <label htmlFor="agent-search" className="block text-sm font-medium">
            Search
          </label>
          <input id="agent-search" type="search" className="input mt-1" placeholder="Agent or description" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="sm:w-48">
          <label htmlFor="agent-status-filter" className="block text-sm font-medium">
            Status
          </label>
          <select id="agent-status-filter" className="input mt-1" value={status} onChange={(e) => setStatus(e.target.value as AgentFilters['status'])}>
            <option value="">All statuses</option>
            <option value="active">Active</option>
            <option value="suspended">Suspended</option>
          </select>
        </div>
        {list.isFetching && !list.isFetchingNextPage && !list.isPending && (
          <p role="status" className="text-sm text-slate-500 sm:pb-2">
            Updating…
          </p>
        )}
      </div>

      {list.isError && <ErrorAlert>Could not load agents: {errorMessage(list.error)}</ErrorAlert>}

      {list.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading agents…
        </p>
      ) : agents.length === 0 && !list.isError ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400" data-testid="agents-empty">
          {filtered ? 'No agents match this search.' : 'No agents yet. Register one agent per workload or workflow: never a pooled credential.'}
        </p>
      ) : (
        agents.length > 0 && (
          <DataTable
            caption="Agents"
            head={
              <>
                <Th>Agent</Th>
                <Th>Status</Th>
                <Th>Environment</Th>
                <Th className="text-right">Identities</Th>
                <Th className="text-right">Live grants</Th>
              </>
            }
          >
            {agents.map((a) => (
              <tr key={a.id} data-testid="agent-row">
                <Td className="max-w-md">
                  <Link href={`/t/${tenant}/agents/${a.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                    {a.name}
                  </Link>
                  {a.description && <div className="truncate text-xs text-slate-500 dark:text-slate-400">{a.description}</div>}
                </Td>
                <Td>
                  <AgentStatusBadge status={a.status} />
                </Td>
                <Td>{a.environment}</Td>
                <Td className="text-right tabular-nums">{a.identityCount}</Td>
                <Td className="text-right tabular-nums">{a.grantCount}</Td>
              </tr>
            ))}
          </DataTable>
        )
      )}

      {list.hasNextPage && (
        <button type="button" className="btn-secondary" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
