'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { errorMessage } from '@/components/ui/form-errors';
import { DataTable, Td, Th } from '@/components/ui/table';
import { useDebouncedValue } from '@/components/ui/use-debounced-value';
import { ServerStatusBadge } from './server-status-badge';
import { useServerList, type ServerFilters } from './queries';

export function ServerList({ tenant }: { tenant: string }) {
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<ServerFilters['status']>('');
  const filters: ServerFilters = { q: useDebouncedValue(q), status };
  const list = useServerList(tenant, filters);
  const servers = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = filters.q.trim() !== '' || status !== '';

  return (
    <section aria-label="Server list" className="space-y-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="sm:w-80">
          <label htmlFor="server-search" className="block text-sm font-medium">
            Search
          </label>
          <input id="server-search" type="search" className="input mt-1" placeholder="Name, audience or description" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="sm:w-48">
          <label htmlFor="server-status-filter" className="block text-sm font-medium">
            Status
          </label>
          <select id="server-status-filter" className="input mt-1" value={status} onChange={(e) => setStatus(e.target.value as ServerFilters['status'])}>
            <option value="">All statuses</option>
            <option value="active">Active</option>
            <option value="disabled">Disabled</option>
          </select>
        </div>
        {list.isFetching && !list.isFetchingNextPage && !list.isPending && (
          <p role="status" className="text-sm text-slate-500 sm:pb-2">
            Updating…
          </p>
        )}
      </div>

      {list.isError && <ErrorAlert>Could not load servers: {errorMessage(list.error)}</ErrorAlert>}

      {list.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading servers…
        </p>
      ) : servers.length === 0 && !list.isError ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400" data-testid="servers-empty">
          {filtered ? 'No servers match this search.' : 'No MCP servers yet. Register each server that should ask Toolwarden before running a tool.'}
        </p>
      ) : (
        servers.length > 0 && (
          <DataTable
            caption="MCP servers"
            head={
              <>
                <Th>Server</Th>
                <Th>Audience</Th>
                <Th>Status</Th>
                <Th>Environment</Th>
                <Th className="text-right">Tools</Th>
                <Th className="text-right">Active keys</Th>
              </>
            }
          >
            {servers.map((s) => (
              <tr key={s.id} data-testid="server-row">
                <Td className="max-w-xs">
                  <Link href={`/t/${tenant}/servers/${s.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                    {s.name}
                  </Link>
                  {s.description && <div className="truncate text-xs text-slate-500 dark:text-slate-400">{s.description}</div>}
                </Td>
                <Td className="max-w-xs break-all font-mono text-xs">{s.audience}</Td>
                <Td>
                  <ServerStatusBadge status={s.status} />
                </Td>
                <Td>{s.environment}</Td>
                <Td className="whitespace-nowrap text-right tabular-nums">
                  {s.toolCount}
                  {s.unclassifiedCount > 0 && (
                    <span className="ml-2">
                      <Badge tone="amber">{s.unclassifiedCount} unclassified</Badge>
                    </span>
                  )}
                </Td>
                <Td className="text-right tabular-nums">{s.activeKeyCount}</Td>
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
