'use client';

import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { DataTable, Td, Th } from '@/components/ui/table';
import { useDeleteIdentity, useSetIdentityStatus } from './queries';
import { identityKindLabel, type IdentityDto } from './types';

/**
 * An agent's workload identities. Row buttons carry the subject in their accessible name, so
 * "Disable" on one row is distinguishable from "Disable" on the next.
 */
export function IdentityTable({ tenant, identities, canManage }: { tenant: string; identities: IdentityDto[]; canManage: boolean }) {
  const setStatus = useSetIdentityStatus(tenant);
  const del = useDeleteIdentity(tenant);
  const [toDelete, setToDelete] = useState<IdentityDto | null>(null);

  if (identities.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">No workload identities yet. Until one is added, this agent cannot authenticate, so every call it makes is denied.</p>;
  }
  return (
    <div className="space-y-3">
      {setStatus.isError && <ErrorAlert>{errorMessage(setStatus.error)}</ErrorAlert>}
      <DataTable
        caption="Workload identities"
        head={
          <>
            <Th>Subject</Th>
            <Th>Kind</Th>
            <Th>Trust domain</Th>
            <Th>Status</Th>
            <Th>Last seen</Th>
            {canManage && <Th className="text-right">Actions</Th>}
          </>
        }
      >
        {identities.map((i) => {
          const busy = setStatus.isPending && setStatus.variables?.id === i.id;
          return (
            <tr key={i.id} data-testid="identity-row">
              <Td className="max-w-xs break-all font-mono text-xs">{i.subject}</Td>
              <Td>{identityKindLabel(i.kind)}</Td>
              <Td>{i.trustDomain.name}</Td>
              <Td>
                <Badge tone={i.status === 'active' ? 'green' : 'slate'} testId="identity-status">
                  {i.status}
                </Badge>
              </Td>
              <Td className="whitespace-nowrap">
                <LocalTime iso={i.lastSeenAt} />
              </Td>
              {canManage && (
                <Td className="whitespace-nowrap text-right">
                  <div className="inline-flex gap-2">
                    <button
                      type="button"
                      className="btn-secondary"
                      disabled={busy}
                      aria-label={`${i.status === 'active' ? 'Disable' : 'Enable'} identity ${i.subject}`}
                      onClick={() => setStatus.mutate({ id: i.id, status: i.status === 'active' ? 'disabled' : 'active' })}
                    >
                      {i.status === 'active' ? 'Disable' : 'Enable'}
                    </button>
                    <button type="button" className="btn-secondary text-red-700 dark:text-red-400" aria-label={`Delete identity ${i.subject}`} onClick={() => setToDelete(i)}>
                      Delete
                    </button>
                  </div>
                </Td>
              )}
            </tr>
          );
        })}
      </DataTable>
      <ConfirmDialog
        open={toDelete !== null}
        title="Delete this identity?"
        confirmLabel="Delete permanently"
        pendingLabel="Deleting…"
        pending={del.isPending}
        onClose={() => {
          setToDelete(null);
          del.reset();
        }}
        onConfirm={() => toDelete && del.mutate(toDelete.id, { onSuccess: () => setToDelete(null) })}
      >
        <p className="break-all font-mono text-xs">{toDelete?.subject}</p>
        <p>Tokens for this subject will no longer map to the agent, so its calls are denied. To stop it temporarily, disable it instead.</p>
        {del.isError && <ErrorAlert>{errorMessage(del.error)}</ErrorAlert>}
      </ConfirmDialog>
    </div>
  );
}
