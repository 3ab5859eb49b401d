'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { useMembers } from '@/components/members/queries';
import { AgentEditForm } from './agent-edit-form';
import { AgentStatusBadge } from './agent-status-badge';
import { AgentStatusButton } from './agent-status-button';
import { DeleteAgentButton } from './delete-agent-dialog';
import { IdentityForm } from './identity-form';
import { IdentityTable } from './identity-table';
import { AgentDecisions } from './agent-decisions';
import { AgentGrants } from './agent-grants';
import { AgentRequests } from './agent-requests';
import { useAgent } from './queries';
import type { AgentDetail as AgentDetailData } from './types';

/**
 * One agent: header with status and actions, details, identities, its grants, its pending access
 * requests and its latest decisions. Mutation controls render only when the server said this user may manage the agent;
 * the server checks again on every request.
 */
export function AgentDetail({ tenant, initialAgent, canManage, canChooseOwner }: { tenant: string; initialAgent: AgentDetailData; canManage: boolean; canChooseOwner: boolean }) {
  const query = useAgent(tenant, initialAgent.id, initialAgent);
  const agent = query.data;
  const members = useMembers(tenant);
  const owner = agent.ownerUserId ? members.data?.find((m) => m.user.id === agent.ownerUserId)?.user : undefined;

  return (
    <div className="space-y-6">
      <div>
        <Link href={`/t/${tenant}/agents`} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          ← Agents
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="break-all text-2xl font-semibold">{agent.name}</h1>
          <AgentStatusBadge status={agent.status} />
        </div>
        {agent.description && <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{agent.description}</p>}
        <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <Meta term="Environment">{agent.environment}</Meta>
          <Meta term="Owner">{agent.ownerUserId ? (owner ? `${owner.name} (${owner.email})` : members.isPending ? '…' : 'former member') : 'none'}</Meta>
          <Meta term="Last seen">
            <LocalTime iso={agent.lastSeenAt} />
          </Meta>
          <Meta term="Created">
            <LocalTime iso={agent.createdAt} />
          </Meta>
        </dl>
      </div>

      {query.isError && <ErrorAlert>Could not refresh this agent: {errorMessage(query.error)}</ErrorAlert>}

      {canManage && (
        <section aria-label="Agent actions" className="flex flex-wrap items-start gap-3">
          <AgentStatusButton tenant={tenant} agentId={agent.id} status={agent.status} />
          <DeleteAgentButton tenant={tenant} agent={agent} />
        </section>
      )}
      {agent.status === 'suspended' && (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Suspended: every tool call by this agent is denied, whatever its grants say.
        </p>
      )}

      {canManage && (
        <section aria-labelledby="agent-details-heading" className="card p-4 md:p-6">
          <h2 id="agent-details-heading" className="mb-4 text-lg font-semibold">
            Details
          </h2>
          <AgentEditForm tenant={tenant} agent={agent} canChooseOwner={canChooseOwner} />
        </section>
      )}

      <section aria-labelledby="identities-heading" className="card space-y-4 p-4 md:p-6">
        <div>
          <h2 id="identities-heading" className="text-lg font-semibold">
            Workload identities
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">The credentials this agent authenticates with. A verified token only says who is calling; grants say what it may do.</p>
        </div>
        <IdentityTable tenant={tenant} identities={agent.identities} canManage={canManage} />
        {canManage && <IdentityForm tenant={tenant} agentId={agent.id} />}
      </section>

      <AgentGrants tenant={tenant} agentId={agent.id} agentName={agent.name} />
      <AgentRequests tenant={tenant} agentId={agent.id} />
      <AgentDecisions tenant={tenant} agentId={agent.id} />
    </div>
  );
}

function Meta({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex gap-2">
      <dt className="text-slate-500 dark:text-slate-400">{term}:</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}
