'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { GrantTable } from '@/components/grants/grant-list';
import { useAgentGrants } from '@/components/grants/queries';

/** The agent's grants, newest first, with revoke for roles that manage grants. */
export function AgentGrants({ tenant, agentId, agentName }: { tenant: string; agentId: string; agentName: string }) {
  const [status, setStatus] = useState('active');
  const list = useAgentGrants(tenant, agentId, status === 'all' ? '' : status);
  const grants = list.data?.pages.flatMap((p) => p.items) ?? [];
  const canManage = list.data?.pages[0]?.viewer.canManage ?? false;
  return (
    <section aria-labelledby="agent-grants-heading" className="card space-y-4 p-4 md:p-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="agent-grants-heading" className="text-lg font-semibold">
            Grants
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">The tools {agentName} may call, and within what scope. Nothing else is allowed.</p>
        </div>
        <div className="flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor="agent-grants-status" className="block text-sm font-medium">
              Status
            </label>
            <select id="agent-grants-status" className="input mt-1" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="active">Active</option>
              <option value="expired">Expired</option>
              <option value="revoked">Revoked</option>
              <option value="all">All</option>
            </select>
          </div>
          {canManage && (
            <Link href={`/t/${tenant}/grants/new?agentId=${agentId}`} className="btn-secondary">
              New grant for {agentName}
            </Link>
          )}
        </div>
      </div>
      {list.isError && <ErrorAlert>Could not load grants: {errorMessage(list.error)}</ErrorAlert>}
      {list.isPending ? (
        <p role="status" className="text-sm text-slate-500">
          Loading grants…
        </p>
      ) : grants.length === 0 && !list.isError ? (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="agent-grants-empty">
          {status === 'active' ? 'No active grants: every tool call by this agent is denied.' : 'No grants with this status.'}
        </p>
      ) : (
        grants.length > 0 && <GrantTable tenant={tenant} grants={grants} canManage={canManage} hideAgent />
      )}
      {list.hasNextPage && (
        <button type="button" className="btn-secondary" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
