'use client';

import { useMemo } from 'react';
import { FILTER_KEYS } from '@/lib/decision-log/filters';
import { ErrorAlert } from '@/components/ui/alert';
import { consolePath, withQuery } from '@/components/ui/api';
import { errorMessage } from '@/components/ui/form-errors';
import { StreamDownloadButton } from '@/components/ui/stream-download';
import { pickParams, useUrlParams } from '@/components/ui/use-url-params';
import { DecisionCharts } from './decision-charts';
import { DecisionDrawer } from './decision-drawer';
import { DecisionFilters } from './decision-filters';
import { DecisionTable } from './decision-table';
import { useDecisionList, useFilterOptions } from './queries';

/**
 * The decision log explorer. Everything on screen derives from the URL: the filters
 * (?agent=…&outcome=deny…) and the open decision (?open=dec_…), so any view can be shared.
 */
export function DecisionsView({ tenant, canExport }: { tenant: string; canExport: boolean }) {
  const { params, search, patch, replaceAll } = useUrlParams();
  // stable identity per URL, so query keys do not churn on every render
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const filters = useMemo(() => pickParams(params, FILTER_KEYS), [search]);
  const openId = params.get('open');
  const options = useFilterOptions(tenant);
  const list = useDecisionList(tenant, filters);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.keys(filters).length > 0;
  const exportHref = (format: 'csv' | 'ndjson') => withQuery(consolePath(tenant, 'decisions', 'export'), { ...filters, format });

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="max-w-2xl">
          <h1 className="text-2xl font-semibold">Decision log</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Every allow and deny the decision API answered, newest first. The address bar holds the filter: copy it to share this view.</p>
        </div>
        {canExport && (
          <div className="flex flex-wrap items-center gap-3">
            <StreamDownloadButton href={exportHref('csv')} label="Export CSV" fallbackFilename="decisions.csv" headerLines={1} testId="export-csv" />
            <StreamDownloadButton href={exportHref('ndjson')} label="Export NDJSON" fallbackFilename="decisions.ndjson" testId="export-ndjson" />
          </div>
        )}
      </div>

      <DecisionFilters key={`filters?${search}`} filters={filters} options={options.data} onApply={(next) => replaceAll(next)} />

      <DecisionCharts tenant={tenant} filters={filters} onPickReason={(reason) => patch({ reason, outcome: 'deny', open: null })} />

      {list.isError && <ErrorAlert>Could not load decisions: {errorMessage(list.error)}</ErrorAlert>}
      {list.isFetching && !list.isFetchingNextPage && !list.isPending && (
        <p role="status" className="text-sm text-slate-500">
          Updating…
        </p>
      )}

      {list.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading decisions…
        </p>
      ) : items.length === 0 && !list.isError ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400" data-testid="decisions-empty">
          {filtered ? 'No decisions match these filters.' : 'No decisions logged yet. They appear here as MCP servers ask the decision API.'}
        </p>
      ) : (
        items.length > 0 && <DecisionTable tenant={tenant} items={items} onOpen={(id) => patch({ open: id })} />
      )}

      {list.hasNextPage && (
        <button type="button" className="btn-secondary" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : 'Load older decisions'}
        </button>
      )}

      <DecisionDrawer tenant={tenant} id={openId} onClose={() => patch({ open: null })} />
    </div>
  );
}
