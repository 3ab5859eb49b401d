'use client';

import Link from 'next/link';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { DataTable, Td, Th } from '@/components/ui/table';
import { GrantKindBadge, GrantRiskBadge, GrantStatusBadge } from './badges';
import { GrantScopeSummary, GrantValidity } from './grant-scope';
import { useGrantList } from './queries';
import { RevokeGrantButton } from './revoke-grant-dialog';
import type { GrantDto, GrantFilters } from './types';

/** Paginated server-side (keyset): "Load more" asks for the next page after the last id. */
export function GrantList({ tenant, filters, canManage, filtered }: { tenant: string; filters: Partial<GrantFilters>; canManage: boolean; filtered: boolean }) {
  const list = useGrantList(tenant, filters);
  const grants = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-label="Grant list" className="space-y-4">
      {list.isFetching && !list.isFetchingNextPage && !list.isPending && (
        <p role="status" className="text-sm text-slate-500">
          Updating…
        </p>
      )}
      {list.isError && <ErrorAlert>Could not load grants: {errorMessage(list.error)}</ErrorAlert>}
      {list.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading grants…
        </p>
      ) : grants.length === 0 && !list.isError ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400" data-testid="grants-empty">
          {filtered ? 'No grants match these filters.' : 'No grants yet. Nothing is allowed by default: every tool call is denied until a grant says otherwise.'}
        </p>
      ) : (
        grants.length > 0 && <GrantTable tenant={tenant} grants={grants} canManage={canManage} />
      )}
      {list.hasNextPage && (
        <button type="button" className="btn-secondary" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}

export function GrantTable({ tenant, grants, canManage, hideAgent = false }: { tenant: string; grants: GrantDto[]; canManage: boolean; hideAgent?: boolean }) {
  return (
    <DataTable
      caption="Grants"
      head={
        <>
          <Th>{hideAgent ? 'Tool' : 'Agent and tool'}</Th>
          <Th>Actions and scope</Th>
          <Th>Validity</Th>
          <Th>Status</Th>
          {canManage && (
            <Th className="text-right">
              <span className="sr-only">Row actions</span>
            </Th>
          )}
        </>
      }
    >
      {grants.map((g) => (
        <tr key={g.id} data-testid="grant-row">
          <Td className="min-w-48">
            {!hideAgent && (
              <div className="whitespace-nowrap">
                <Link href={`/t/${tenant}/agents/${g.agent.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  {g.agent.name}
                </Link>
                {g.agent.status === 'suspended' && <span className="ml-1 text-xs text-amber-700 dark:text-amber-300">(suspended)</span>}
              </div>
            )}
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              {!hideAgent && <span aria-hidden="true" className="text-slate-400">→</span>}
              {/* the tool opens the grant: its details, edit and revoke */}
              <Link
                href={`/t/${tenant}/grants/${g.id}`}
                aria-label={`${g.tool.name}: details of ${g.agent.name}’s grant`}
                className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
              >
                {g.tool.name}
              </Link>
              <GrantRiskBadge risk={g.tool.risk} />
            </div>
            <div className="text-xs text-slate-500 dark:text-slate-400">{g.tool.server.name}</div>
          </Td>
          <Td className="min-w-52 max-w-xs">
            <div className="font-medium">{g.actions.join(', ')}</div>
            <GrantScopeSummary grant={g} />
          </Td>
          <Td className="min-w-36">
            <GrantValidity grant={g} />
          </Td>
          <Td>
            <div className="flex flex-col items-start gap-1">
              <GrantStatusBadge status={g.status} notYetValid={!!g.notBefore && new Date(g.notBefore).getTime() > Date.now()} />
              <GrantKindBadge kind={g.kind} />
            </div>
          </Td>
          {canManage && <Td className="whitespace-nowrap text-right">{g.status !== 'revoked' && <RevokeGrantButton tenant={tenant} grant={g} />}</Td>}
        </tr>
      ))}
    </DataTable>
  );
}
