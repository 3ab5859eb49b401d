'use client';

import { useMemo } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { consolePath, withQuery } from '@/components/ui/api';
import { errorMessage } from '@/components/ui/form-errors';
import { StreamDownloadButton } from '@/components/ui/stream-download';
import { pickParams, useUrlParams } from '@/components/ui/use-url-params';
import { AuditFilters, AUDIT_FILTER_KEYS } from './audit-filters';
import { AuditTable } from './audit-table';
import { ChainStatusCard } from './chain-status';
import { useAuditList, useChainStatus } from './queries';
import { RetentionSettingsCard } from './retention-settings';

/** The audit trail: chain verification, retention, filters in the URL, diffs, exports. */
export function AuditView({ tenant, canExport, canManageRetention }: { tenant: string; canExport: boolean; canManageRetention: boolean }) {
  const { params, search, replaceAll } = useUrlParams();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const filters = useMemo(() => pickParams(params, AUDIT_FILTER_KEYS), [search]);
  const highlight = params.get('seq');
  const list = useAuditList(tenant, filters, highlight);
  const chain = useChainStatus(tenant);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const brokenSeq = chain.data && !chain.data.result.ok ? chain.data.result.brokenAt.seq : null;
  const exportHref = (format: 'csv' | 'ndjson') => withQuery(consolePath(tenant, 'audit', 'export'), { ...filters, format });

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="max-w-2xl">
          <h1 className="text-2xl font-semibold">Audit trail</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Every change made in the console or through the API, who made it, and what it changed. Each event is hash-chained to the one before.</p>
        </div>
        {canExport && (
          <div className="flex flex-wrap items-center gap-3">
            <StreamDownloadButton href={exportHref('csv')} label="Export CSV" fallbackFilename="audit.csv" headerLines={1} testId="audit-export-csv" />
            <StreamDownloadButton href={exportHref('ndjson')} label="Export NDJSON" fallbackFilename="audit.ndjson" testId="audit-export-ndjson" />
          </div>
        )}
      </div>

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <ChainStatusCard
            tenant={tenant}
            onShowEvent={(seq) => {
              // the list starts at the broken event (and goes older), its diff open
              replaceAll({ seq });
            }}
          />
        </div>
        <RetentionSettingsCard tenant={tenant} canManage={canManageRetention} />
      </div>

      <AuditFilters key={`filters?${search}`} filters={filters} onApply={(next) => replaceAll(next)} />

      {highlight && (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Showing events from seq {highlight} back.{' '}
          <button type="button" className="text-indigo-700 hover:underline dark:text-indigo-300" onClick={() => replaceAll(filters)}>
            Show the newest events
          </button>
        </p>
      )}
      {list.isError && <ErrorAlert>Could not load the audit trail: {errorMessage(list.error)}</ErrorAlert>}
      {list.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading the audit trail…
        </p>
      ) : items.length === 0 && !list.isError ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400" data-testid="audit-empty">
          {Object.keys(filters).length ? 'No events match these filters.' : 'Nothing has been changed yet.'}
        </p>
      ) : (
        items.length > 0 && <AuditTable key={`table@${highlight ?? ''}`} items={items} brokenSeq={brokenSeq} highlightSeq={highlight} />
      )}
      {list.hasNextPage && (
        <button type="button" className="btn-secondary" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : 'Load older events'}
        </button>
      )}
    </div>
  );
}
