'use client';

import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { DataTable, Td, Th } from '@/components/ui/table';
import { DenyRuleForm } from './deny-rule-form';
import { useDeleteDenyRule, useDenyRules } from './queries';
import type { DenyRuleDto } from './types';

const describe = (r: DenyRuleDto) => `${r.agent?.name ?? 'every agent'} on ${r.tool?.name ?? 'every tool'}`;

/** Deny rules: newest first, paginated; security/admin add and remove them. */
export function DenyRulesPanel({ tenant, canManage }: { tenant: string; canManage: boolean }) {
  const list = useDenyRules(tenant);
  const del = useDeleteDenyRule(tenant);
  const [formOpen, setFormOpen] = useState(false);
  const [toDelete, setToDelete] = useState<DenyRuleDto | null>(null);
  const rules = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-label="Deny rules" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600 dark:text-slate-400">An explicit “never”: a matching call is denied whatever the grants say.</p>
        {canManage && !formOpen && (
          <button type="button" className="btn-primary" onClick={() => setFormOpen(true)}>
            New deny rule
          </button>
        )}
      </div>
      {formOpen && <DenyRuleForm tenant={tenant} onDone={() => setFormOpen(false)} />}
      {list.isError && <ErrorAlert>Could not load deny rules: {errorMessage(list.error)}</ErrorAlert>}
      {list.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading deny rules…
        </p>
      ) : rules.length === 0 && !list.isError ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400" data-testid="deny-rules-empty">
          No deny rules.
        </p>
      ) : (
        rules.length > 0 && (
          <DataTable
            caption="Deny rules"
            head={
              <>
                <Th>Agent</Th>
                <Th>Tool</Th>
                <Th>Narrowed to</Th>
                <Th>Reason</Th>
                <Th>Created</Th>
                {canManage && (
                  <Th className="text-right">
                    <span className="sr-only">Row actions</span>
                  </Th>
                )}
              </>
            }
          >
            {rules.map((r) => (
              <tr key={r.id} data-testid="deny-rule-row">
                <Td>{r.agent?.name ?? <span className="text-slate-500">{r.agentId ? 'deleted agent' : 'every agent'}</span>}</Td>
                <Td>
                  {r.tool ? (
                    <>
                      {r.tool.name}
                      <div className="text-xs text-slate-500">{r.tool.serverName}</div>
                    </>
                  ) : (
                    <span className="text-slate-500">{r.toolId ? 'deleted tool' : 'every tool'}</span>
                  )}
                </Td>
                <Td className="text-xs">
                  {r.resourcePattern && (
                    <div>
                      resource <code className="font-mono">{r.resourcePattern}</code>
                    </div>
                  )}
                  {r.environment && <div>in {r.environment}</div>}
                  {!r.resourcePattern && !r.environment && <span className="text-slate-500">everything</span>}
                </Td>
                <Td className="max-w-xs">{r.reason}</Td>
                <Td className="whitespace-nowrap text-xs">
                  <LocalTime iso={r.createdAt} />
                  {r.createdBy && <div className="text-slate-500">{r.createdBy.email}</div>}
                </Td>
                {canManage && (
                  <Td className="text-right">
                    <button type="button" className="btn-secondary text-red-700 dark:text-red-400" aria-label={`Remove deny rule for ${describe(r)}`} onClick={() => setToDelete(r)}>
                      Remove
                    </button>
                  </Td>
                )}
              </tr>
            ))}
          </DataTable>
        )
      )}
      {list.hasNextPage && (
        <button type="button" className="btn-secondary" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
      <ConfirmDialog
        open={toDelete !== null}
        title="Remove this deny rule?"
        confirmLabel="Remove rule"
        pendingLabel="Removing…"
        pending={del.isPending}
        onClose={() => {
          setToDelete(null);
          del.reset();
        }}
        onConfirm={() => toDelete && del.mutate(toDelete.id, { onSuccess: () => setToDelete(null) })}
      >
        <p>Calls by {toDelete && describe(toDelete)} are then decided by grants alone again, within a second.</p>
        {del.isError && <ErrorAlert>{errorMessage(del.error)}</ErrorAlert>}
      </ConfirmDialog>
    </section>
  );
}
