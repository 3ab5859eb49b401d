'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { useDeleteAgent } from './queries';
import type { AgentDetail } from './types';

/**
 * Deleting takes the agent's identities and grants with it, so the name must be typed: a
 * stray click or Enter cannot do it. Suspending is offered as the reversible alternative.
 */
export function DeleteAgentButton({ tenant, agent }: { tenant: string; agent: AgentDetail }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const del = useDeleteAgent(tenant, agent.id);
  const close = () => {
    setOpen(false);
    setTyped('');
    del.reset();
  };
  return (
    <>
      <button type="button" className="btn-danger" onClick={() => setOpen(true)}>
        Delete agent
      </button>
      <ConfirmDialog
        open={open}
        title={`Delete ${agent.name}?`}
        confirmLabel="Delete permanently"
        pendingLabel="Deleting…"
        confirmDisabled={typed.trim() !== agent.name}
        pending={del.isPending}
        onClose={close}
        onConfirm={() => del.mutate(undefined, { onSuccess: () => router.push(`/t/${tenant}/agents`) })}
      >
        <p>
          This deletes the agent, its {agent.identities.length === 1 ? '1 workload identity' : `${agent.identities.length} workload identities`} and all its grants. Decisions
          already logged stay in the log. This cannot be undone; to stop it for now, suspend it instead.
        </p>
        <div>
          <label htmlFor="delete-agent-confirm" className="block font-medium">
            Type the agent name to confirm
          </label>
          <input
            id="delete-agent-confirm"
            className="input mt-1 font-mono"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            placeholder={agent.name}
            autoComplete="off"
            spellCheck={false}
            autoFocus
          />
        </div>
        {del.isError && <ErrorAlert>{errorMessage(del.error)}</ErrorAlert>}
      </ConfirmDialog>
    </>
  );
}
