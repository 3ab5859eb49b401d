'use client';

import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { useSetAgentStatus } from './queries';
import type { AgentStatus } from './types';

/** Suspending is reversible and takes effect on the next decision, so it needs no confirm step. */
export function AgentStatusButton({ tenant, agentId, status }: { tenant: string; agentId: string; status: AgentStatus }) {
  const setStatus = useSetAgentStatus(tenant, agentId);
  const suspend = status === 'active';
  return (
    <div className="space-y-2">
      <button type="button" className={suspend ? 'btn-secondary' : 'btn-primary'} disabled={setStatus.isPending} onClick={() => setStatus.mutate(suspend ? 'suspended' : 'active')}>
        {setStatus.isPending ? (suspend ? 'Suspending…' : 'Reactivating…') : suspend ? 'Suspend' : 'Reactivate'}
      </button>
      {setStatus.isError && <ErrorAlert>{errorMessage(setStatus.error)}</ErrorAlert>}
    </div>
  );
}
