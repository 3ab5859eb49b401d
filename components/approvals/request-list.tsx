'use client';

import Link from 'next/link';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { DataTable, Td, Th } from '@/components/ui/table';
import { shortDuration } from '@/lib/approval-policies/rules';
import { RequestStatusBadge, RiskBadge } from './badges';
import { useRequestList, type RequestView } from './queries';

const EMPTY: Record<RequestView, string> = {
  waiting: 'Nothing is waiting for you. Requests you may approve appear here as they come in.',
  mine: 'You have not filed any requests, and none concern agents you own.',
  all: 'No access requests yet.',
};

export function RequestList({ tenant, view, status }: { tenant: string; view: RequestView; status: string }) {
  const list = useRequestList(tenant, view, status);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-label="Access requests" className="space-y-3">
      {list.isError && <ErrorAlert>Could not load requests: {errorMessage(list.error)}</ErrorAlert>}
      {list.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading requests…
        </p>
      ) : items.length === 0 && !list.isError ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400" data-testid="requests-empty">
          {status ? 'No requests with this status.' : EMPTY[view]}
        </p>
      ) : (
        items.length > 0 && (
          <DataTable
            caption="Access requests"
            head={
              <>
                <Th>Request</Th>
                <Th>Status</Th>
                <Th>Scope</Th>
                <Th>Approvals</Th>
                <Th>Filed</Th>
              </>
            }
          >
            {items.map((r) => (
              <tr key={r.id} data-testid="request-row">
                <Td className="max-w-md">
                  <Link href={`/t/${tenant}/approvals/${r.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                    {r.agent.name} → {r.tool.name}
                  </Link>{' '}
                  <RiskBadge risk={r.tool.risk} />
                  <div className="truncate text-xs text-slate-500 dark:text-slate-400" title={r.justification}>
                    {r.justification}
                  </div>
                </Td>
                <Td>
                  <RequestStatusBadge status={r.status} />
                </Td>
                <Td className="text-xs">
                  {r.actions.join(', ')}
                  {r.resource && (
                    <>
                      {' '}
                      on <code className="font-mono">{r.resource}</code>
                    </>
                  )}
                  <div className="text-slate-500">{shortDuration(r.durationSeconds)}</div>
                </Td>
                <Td className="tabular-nums">
                  {r.approvalsRecorded} of {r.approvalsRequired}
                  {r.status === 'pending' && !r.mine.canApprove && r.mine.reason && view !== 'waiting' && <div className="max-w-xs text-xs text-slate-500">{r.mine.reason}</div>}
                </Td>
                <Td className="text-xs">
                  <LocalTime iso={r.createdAt} />
                  <div className="text-slate-500">by {r.requestedBy ? (r.requestedBy.type === 'user' ? r.requestedBy.email : `${r.requestedBy.name} (MCP server)`) : 'unknown'}</div>
                </Td>
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
