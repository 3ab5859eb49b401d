'use client';

import { useState } from 'react';
import type { Role } from '@/lib/auth/permissions';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { DataTable, Td, Th } from '@/components/ui/table';
import { Badge } from '@/components/ui/badge';
import { useChangeMemberRole, useRemoveMember } from './queries';
import { ROLE_OPTIONS } from './roles';
import type { MemberDto } from './types';

/**
 * Members with their roles. Admins change a role right from the select; the server refuses to
 * leave the tenant without an admin, and that refusal is shown above the table.
 */
export function MemberTable({
  members,
  tenant,
  canManage,
  currentUserId,
  onOwnAccessChanged,
}: {
  members: MemberDto[];
  tenant: string;
  canManage: boolean;
  currentUserId: string;
  /** the signed-in user changed their own role or left: what they may see has changed */
  onOwnAccessChanged: (removed: boolean) => void;
}) {
  const changeRole = useChangeMemberRole(tenant);
  const remove = useRemoveMember(tenant);
  const [toRemove, setToRemove] = useState<MemberDto | null>(null);
  const actionError = changeRole.error ?? null;

  return (
    <div className="space-y-3">
      {actionError && <ErrorAlert>{errorMessage(actionError)}</ErrorAlert>}
      <DataTable
        caption="Members"
        head={
          <>
            <Th>Name</Th>
            <Th>E-mail</Th>
            <Th>Role</Th>
            {canManage && <Th className="text-right">Actions</Th>}
          </>
        }
      >
        {members.map((m) => {
          const self = m.user.id === currentUserId;
          const pendingRole = changeRole.isPending && changeRole.variables?.id === m.id ? changeRole.variables.role : null;
          return (
            <tr key={m.id} data-testid="member-row">
              <Td>
                {m.user.name}
                {self && <span className="ml-1 text-xs text-slate-500">(you)</span>}
                {m.user.disabledAt && (
                  <span className="ml-2">
                    <Badge tone="slate">disabled</Badge>
                  </span>
                )}
              </Td>
              <Td className="break-all">{m.user.email}</Td>
              <Td>
                {canManage ? (
                  <select
                    aria-label={`Role of ${m.user.email}`}
                    className="input w-36"
                    value={pendingRole ?? m.role}
                    disabled={pendingRole !== null}
                    onChange={(e) =>
                      changeRole.mutate(
                        { id: m.id, role: e.target.value as Role },
                        {
                          onSuccess: () => {
                            if (self) onOwnAccessChanged(false);
                          },
                        },
                      )
                    }
                  >
                    {ROLE_OPTIONS.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span data-testid="member-role">{m.role}</span>
                )}
              </Td>
              {canManage && (
                <Td className="text-right">
                  <button type="button" className="btn-secondary text-red-700 dark:text-red-400" aria-label={`Remove ${m.user.email}`} onClick={() => setToRemove(m)}>
                    Remove
                  </button>
                </Td>
              )}
            </tr>
          );
        })}
      </DataTable>
      <ConfirmDialog
        open={toRemove !== null}
        title="Remove this member?"
        confirmLabel="Remove member"
        pendingLabel="Removing…"
        pending={remove.isPending}
        onClose={() => {
          setToRemove(null);
          remove.reset();
        }}
        onConfirm={() => {
          if (!toRemove) return;
          const self = toRemove.user.id === currentUserId;
          remove.mutate(toRemove.id, {
            onSuccess: () => {
              setToRemove(null);
              if (self) onOwnAccessChanged(true);
            },
          });
        }}
      >
        <p>
          <strong className="break-all">{toRemove?.user.email}</strong> loses access to this tenant at once
          {toRemove?.user.id === currentUserId ? ', and so do you: this is your own membership' : ''}. Agents they own keep their grants until reassigned.
        </p>
        {remove.isError && <ErrorAlert>{errorMessage(remove.error)}</ErrorAlert>}
      </ConfirmDialog>
    </div>
  );
}
