'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { DataTable, Td, Th } from '@/components/ui/table';
import { useDebouncedValue } from '@/components/ui/use-debounced-value';
import { useServerOptions } from '@/components/servers/queries';
import { DefinitionChangedBadge, RiskBadge, ToolStatusBadge } from './tool-badges';
import { useToolList, type ToolFilters } from './queries';
import { RISKS } from './types';

/**
 * The catalog with search and filters. On a server's page `serverId` is fixed and the server
 * column and filter are left out.
 */
export function ToolCatalog({ tenant, serverId, heading = 'Catalog' }: { tenant: string; serverId?: string; heading?: string }) {
  const [q, setQ] = useState('');
  const [server, setServer] = useState('');
  const [status, setStatus] = useState<ToolFilters['status']>('');
  const [risk, setRisk] = useState<ToolFilters['risk']>('');
  const filters: ToolFilters = { q: useDebouncedValue(q), serverId: serverId ?? server, status, risk };
  const list = useToolList(tenant, filters);
  const servers = useServerOptions(tenant);
  const tools = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = filters.q.trim() !== '' || status !== '' || risk !== '' || (!serverId && server !== '');
  const idp = serverId ? `server-tools` : 'tools';

  return (
    <section aria-labelledby={`${idp}-heading`} className="space-y-4">
      <h2 id={`${idp}-heading`} className="text-lg font-semibold">
        {heading}
      </h2>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <label htmlFor={`${idp}-search`} className="block text-sm font-medium">
            Search
          </label>
          <input id={`${idp}-search`} type="search" className="input mt-1" placeholder="Name, title or description" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        {!serverId && (
          <div>
            <label htmlFor={`${idp}-server`} className="block text-sm font-medium">
              Server
            </label>
            <select id={`${idp}-server`} className="input mt-1" value={server} onChange={(e) => setServer(e.target.value)}>
              <option value="">All servers</option>
              {servers.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div>
          <label htmlFor={`${idp}-status`} className="block text-sm font-medium">
            Status
          </label>
          <select id={`${idp}-status`} className="input mt-1" value={status} onChange={(e) => setStatus(e.target.value as ToolFilters['status'])}>
            <option value="">All statuses</option>
            <option value="unclassified">Unclassified</option>
            <option value="active">Active</option>
            <option value="disabled">Disabled</option>
          </select>
        </div>
        <div>
          <label htmlFor={`${idp}-risk`} className="block text-sm font-medium">
            Risk
          </label>
          <select id={`${idp}-risk`} className="input mt-1" value={risk} onChange={(e) => setRisk(e.target.value as ToolFilters['risk'])}>
            <option value="">All risks</option>
            {RISKS.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
      </div>
      {list.isFetching && !list.isFetchingNextPage && !list.isPending && (
        <p role="status" className="text-sm text-slate-500">
          Updating…
        </p>
      )}

      {list.isError && <ErrorAlert>Could not load tools: {errorMessage(list.error)}</ErrorAlert>}

      {list.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading tools…
        </p>
      ) : tools.length === 0 && !list.isError ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400" data-testid="tools-empty">
          {filtered ? 'No tools match these filters.' : serverId ? 'This server has no tools yet. They appear when it syncs its tools/list with its key, or when you add one by hand.' : 'No tools yet. Servers register theirs with POST /api/v1/tools/sync.'}
        </p>
      ) : (
        tools.length > 0 && (
          <DataTable
            caption="Tools"
            head={
              <>
                <Th>Tool</Th>
                {!serverId && <Th>Server</Th>}
                <Th>Status</Th>
                <Th>Risk</Th>
                <Th>Default action</Th>
                <Th>Sensitivity</Th>
                <Th className="text-right">Owners</Th>
                <Th className="text-right">Live grants</Th>
              </>
            }
          >
            {tools.map((t) => (
              <tr key={t.id} data-testid="tool-row">
                <Td className="max-w-xs">
                  <Link href={`/t/${tenant}/tools/${t.id}`} className="break-all font-mono font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                    {t.name}
                  </Link>
                  {t.definitionFlag && (
                    <span className="ml-2">
                      <DefinitionChangedBadge liveGrants={t.definitionFlag.liveGrants} />
                    </span>
                  )}
                  {(t.title || t.description) && <div className="truncate text-xs text-slate-500 dark:text-slate-400">{t.title ?? t.description}</div>}
                </Td>
                {!serverId && (
                  <Td className="whitespace-nowrap">
                    <Link href={`/t/${tenant}/servers/${t.server.id}`} className="hover:underline">
                      {t.server.name}
                    </Link>
                  </Td>
                )}
                <Td>
                  <ToolStatusBadge status={t.status} />
                </Td>
                <Td>{t.risk ? <RiskBadge risk={t.risk} /> : <RiskBadge risk={t.suggestedRisk} suggested />}</Td>
                <Td>{t.defaultAction}</Td>
                <Td>{t.sensitivity}</Td>
                <Td className="text-right tabular-nums">{t.ownerCount}</Td>
                <Td className="text-right tabular-nums">{t.liveGrantCount}</Td>
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
