'use client';

import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import { errorMessage, formErrors } from '@/components/ui/form-errors';
import { useMembers } from '@/components/members/queries';
import { useAddToolOwner, useRemoveToolOwner } from './queries';
import type { ToolOwnerDto } from './types';

/** Owners approve escalations to the tool and certify its grants in reviews. */
export function ToolOwners({ tenant, toolId, toolName, owners, canManage }: { tenant: string; toolId: string; toolName: string; owners: ToolOwnerDto[]; canManage: boolean }) {
  const members = useMembers(tenant, canManage);
  const add = useAddToolOwner(tenant, toolId);
  const remove = useRemoveToolOwner(tenant, toolId);
  const [userId, setUserId] = useState('');
  const [toRemove, setToRemove] = useState<ToolOwnerDto | null>(null);
  const errors = formErrors(add.error, ['userId'] as const);
  const candidates = members.data?.filter((m) => !owners.some((o) => o.userId === m.user.id)) ?? [];

  return (
    <section aria-labelledby="owners-heading" className="card space-y-4 p-4 md:p-6">
      <div>
        <h2 id="owners-heading" className="text-lg font-semibold">
          Owners
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">Owners approve access requests for this tool and certify its grants in access reviews.</p>
      </div>
      {owners.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="owners-empty">
          No owners yet. High and critical tools need an owner to approve requests.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {owners.map((o) => (
            <li key={o.userId} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="owner-row">
              <span className="text-sm">
                {o.isMember ? (
                  <>
                    {o.name} <span className="text-slate-500">({o.email})</span>
                  </>
                ) : (
                  <span className="text-slate-500">A former member (no longer in this tenant)</span>
                )}
              </span>
              {canManage && (
                <button type="button" className="btn-secondary" aria-label={`Remove owner ${o.email ?? o.userId}`} onClick={() => setToRemove(o)}>
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canManage && (
        <form
          aria-label="Add owner"
          className="flex flex-col gap-3 border-t border-slate-200 pt-4 sm:flex-row sm:items-end dark:border-slate-800"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate(userId, { onSuccess: () => setUserId('') });
          }}
        >
          <Field label="Add an owner" error={errors.fields.userId} className="sm:w-96">
            {(c) => (
              <select {...c} className="input" value={userId} onChange={(e) => setUserId(e.target.value)} disabled={members.isPending}>
                <option value="">{members.isPending ? 'Loading members…' : 'Choose a member'}</option>
                {candidates.map((m) => (
                  <option key={m.user.id} value={m.user.id}>
                    {m.user.name} ({m.user.email})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="submit" className="btn-primary" disabled={add.isPending}>
            {add.isPending ? 'Adding…' : 'Add owner'}
          </button>
        </form>
      )}
      <ErrorAlert>{errors.general}</ErrorAlert>
      {members.isError && <ErrorAlert>Could not load members: {errorMessage(members.error)}</ErrorAlert>}
      <ConfirmDialog
        open={toRemove !== null}
        title={`Remove this owner of ${toolName}?`}
        confirmLabel="Remove owner"
        pendingLabel="Removing…"
        pending={remove.isPending}
        onClose={() => {
          setToRemove(null);
          remove.reset();
        }}
        onConfirm={() => toRemove && remove.mutate(toRemove.userId, { onSuccess: () => setToRemove(null) })}
      >
        <p>{toRemove?.email ?? 'This former member'} will no longer approve requests for this tool or certify its grants.</p>
        {remove.isError && <ErrorAlert>{errorMessage(remove.error)}</ErrorAlert>}
      </ConfirmDialog>
    </section>
  );
}
