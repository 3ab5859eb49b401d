'use client';

import Link from 'next/link';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { DataTable, Td, Th } from '@/components/ui/table';
import { useAgentRequests } from './activity-queries';

function duration(seconds: number): string {
  if (seconds >= 86_400 && seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds >= 3_600 && seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  return `${Math.round(seconds / 60)} min`;
}

/** Access requests for the agent still waiting for a decision. Read-only: approvals decide them. */
export function AgentRequests({ tenant, agentId }: { tenant: string; agentId: string }) {
  const q = useAgentRequests(tenant, agentId);
  const items = q.data?.items ?? [];
  return (
    <section aria-labelledby="agent-requests-heading" className="card space-y-4 p-4 md:p-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="agent-requests-heading" className="text-lg font-semibold">
          Pending requests
        </h2>
        <Link href={`/t/${tenant}/approvals`} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          Approvals
        </Link>
      </div>
      {q.isError && <ErrorAlert>Could not load requests: {errorMessage(q.error)}</ErrorAlert>}
      {q.isPending ? (
        <p role="status" className="text-sm text-slate-500">
          Loading requests…
        </p>
      ) : items.length === 0 && !q.isError ? (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="agent-requests-empty">
          No access requests are waiting for this agent.
        </p>
      ) : (
        items.length > 0 && (
          <DataTable
            caption="Pending access requests"
            head={
              <>
                <Th>Tool</Th>
                <Th>Asked for</Th>
                <Th>Justification</Th>
                <Th>Requested</Th>
                <Th>Expires</Th>
              </>
            }
          >
            {items.map((r) => (
              <tr key={r.id} data-testid="agent-request-row">
                <Td>
                  <span className="font-medium">{r.tool?.name ?? 'deleted tool'}</span>
                  {r.tool && (
                    <div className="text-xs text-slate-500">
                      {r.tool.serverName} · {r.tool.risk ?? 'unclassified'} risk
                    </div>
                  )}
                </Td>
                <Td className="text-xs">
                  <div>{r.actions.join(', ')}</div>
                  {r.resource && <div className="break-all font-mono">{r.resource}</div>}
                  <div>for {duration(r.durationSeconds)}</div>
                </Td>
                <Td className="max-w-sm text-xs">
                  {r.justification}
                  {r.taskId && <div className="text-slate-500">task {r.taskId}</div>}
                </Td>
                <Td className="whitespace-nowrap text-xs">
                  <LocalTime iso={r.createdAt} />
                  {r.requestedBy && <div className="text-slate-500">by {r.requestedBy}</div>}
                  {r.approvalsSoFar > 0 && <div className="text-slate-500">{r.approvalsSoFar} approval(s) so far</div>}
                </Td>
                <Td className="whitespace-nowrap text-xs">
                  <LocalTime iso={r.expiresAt} />
                </Td>
              </tr>
            ))}
          </DataTable>
        )
      )}
    </section>
  );
}
