'use client';

import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorAlert } from '@/components/ui/alert';
import { formErrors } from '@/components/ui/form-errors';
import { useRevokeGrant } from './queries';

/**
 * Revoke with a mandatory reason (it is what an auditor reads later). The button's accessible
 * name carries the agent and tool, so one row's "Revoke" is told apart from the next.
 */
export function RevokeGrantButton({ tenant, grant, onRevoked }: { tenant: string; grant: { id: string; agent: { name: string }; tool: { name: string } }; onRevoked?: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const revoke = useRevokeGrant(tenant);
  const errors = formErrors(revoke.error, ['reason'] as const);
  const close = () => {
    setOpen(false);
    setReason('');
    revoke.reset();
  };
  return (
    <>
      <button type="button" className="btn-secondary text-red-700 dark:text-red-400" aria-label={`Revoke grant of ${grant.agent.name} on ${grant.tool.name}`} onClick={() => setOpen(true)}>
        Revoke
      </button>
      <ConfirmDialog
        open={open}
        title={`Revoke ${grant.agent.name}’s grant on ${grant.tool.name}?`}
        confirmLabel="Revoke grant"
        pendingLabel="Revoking…"
        confirmDisabled={reason.trim().length < 3}
        pending={revoke.isPending}
        onClose={close}
        onConfirm={() =>
          revoke.mutate(
            { id: grant.id, reason },
            {
              onSuccess: () => {
                close();
                onRevoked?.();
              },
            },
          )
        }
      >
        <p>The grant ends now: every MCP server denies the next call it covers, within a second. This cannot be undone; a new grant would be needed.</p>
        <div>
          <label htmlFor={`revoke-reason-${grant.id}`} className="block font-medium">
            Reason (required)
          </label>
          <textarea
            id={`revoke-reason-${grant.id}`}
            className="input mt-1"
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={errors.fields.reason ? true : undefined}
            aria-describedby={`revoke-reason-${grant.id}-hint`}
            autoFocus
            required
          />
          <p id={`revoke-reason-${grant.id}-hint`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
            At least 3 characters, e.g. a ticket number. Kept in the audit trail.
          </p>
          {errors.fields.reason && <p className="field-error">{errors.fields.reason}</p>}
        </div>
        <ErrorAlert>{errors.general}</ErrorAlert>
      </ConfirmDialog>
    </>
  );
}
