'use client';

import Link from 'next/link';
import { ErrorAlert } from '@/components/ui/alert';
import { ApiError } from '@/components/ui/api';
import { Badge } from '@/components/ui/badge';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { DataTable, Td, Th } from '@/components/ui/table';
import { useAgentDecisions } from './activity-queries';

/** The agent's last 50 decisions with their reasons; the decision log has the rest. */
export function AgentDecisions({ tenant, agentId }: { tenant: string; agentId: string }) {
  const q = useAgentDecisions(tenant, agentId);
  const forbidden = q.error instanceof ApiError && q.error.status === 403;
  const items = q.data?.items ?? [];
  return (
    <section aria-labelledby="agent-decisions-heading" className="card space-y-4 p-4 md:p-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="agent-decisions-heading" className="text-lg font-semibold">
          Recent decisions
        </h2>
        {!forbidden && (
          <Link href={`/t/${tenant}/decisions?agent=${agentId}`} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
            All decisions of this agent
          </Link>
        )}
      </div>
      {forbidden ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Your role does not include reading the decision log.</p>
      ) : q.isError ? (
        <ErrorAlert>Could not load decisions: {errorMessage(q.error)}</ErrorAlert>
      ) : q.isPending ? (
        <p role="status" className="text-sm text-slate-500">
          Loading decisions…
        </p>
      ) : items.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="agent-decisions-empty">
          No decisions yet: this agent has not called any tool through a registered MCP server.
        </p>
      ) : (
        <>
          <DataTable
            caption={`The last ${items.length} decisions`}
            head={
              <>
                <Th>Time</Th>
                <Th>Call</Th>
                <Th>Outcome</Th>
                <Th>Reason</Th>
              </>
            }
          >
            {items.map((d) => (
              <tr key={d.id} data-testid="agent-decision-row">
                <Td className="whitespace-nowrap text-xs">
                  <LocalTime iso={d.time} />
                </Td>
                <Td className="text-xs">
                  <div className="font-medium">
                    {d.tool}
                    {d.action && <span className="font-normal text-slate-500"> · {d.action}</span>}
                  </div>
                  {d.resource && <div className="break-all font-mono text-slate-500">{d.resource}</div>}
                  {d.serverName && <div className="text-slate-500">via {d.serverName}</div>}
                  {d.onBehalfOf && <div className="text-slate-500">for {d.onBehalfOf}</div>}
                </Td>
                <Td>
                  <Badge tone={d.allow ? 'green' : 'red'}>{d.allow ? 'allow' : 'deny'}</Badge>
                </Td>
                <Td className="max-w-md text-xs">
                  <code className="font-mono">{d.reason}</code>
                  {d.explanation && <div className="text-slate-600 dark:text-slate-400">{d.explanation}</div>}
                </Td>
              </tr>
            ))}
          </DataTable>
          {items.length >= (q.data?.limit ?? 50) && <p className="text-xs text-slate-500">Showing the latest {q.data?.limit}. The decision log has everything.</p>}
        </>
      )}
    </section>
  );
}
