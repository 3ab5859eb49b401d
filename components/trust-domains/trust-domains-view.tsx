'use client';

import { useState } from 'react';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { errorMessage } from '@/components/ui/form-errors';
import { DataTable, Td, Th } from '@/components/ui/table';
import { useDebouncedValue } from '@/components/ui/use-debounced-value';
import { TrustDomainForm } from './trust-domain-form';
import { useDeleteTrustDomain, useTrustDomainList } from './queries';
import type { TrustDomainDto } from './types';

function keySummary(td: TrustDomainDto): string {
  if (td.jwksUrl) return td.jwksUrl;
  const n = Array.isArray(td.jwks?.keys) ? td.jwks.keys.length : 0;
  return `inline JWKS, ${n} key${n === 1 ? '' : 's'}`;
}

function lifetime(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** Settings → trust domains: who this tenant believes about agent credentials. Admin only. */
export function TrustDomainsView({ tenant }: { tenant: string }) {
  const [q, setQ] = useState('');
  const search = useDebouncedValue(q);
  const list = useTrustDomainList(tenant, search);
  const del = useDeleteTrustDomain(tenant);
  const [editing, setEditing] = useState<TrustDomainDto | 'new' | null>(null);
  const [toDelete, setToDelete] = useState<TrustDomainDto | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const domains = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Trust domains</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Issuers of agent credentials and the keys their tokens are verified with.</p>
        </div>
        <button
          type="button"
          className="btn-primary"
          aria-expanded={editing === 'new'}
          onClick={() => {
            setEditing((e) => (e === 'new' ? null : 'new'));
            setNote(null);
          }}
        >
          New trust domain
        </button>
      </div>

      {editing && (
        <TrustDomainForm
          key={editing === 'new' ? 'new' : editing.id}
          tenant={tenant}
          existing={editing === 'new' ? undefined : editing}
          onCancel={() => setEditing(null)}
          onDone={(td) => {
            setNote(editing === 'new' ? `Trust domain ${td.name} created.` : `Trust domain ${td.name} saved.`);
            setEditing(null);
          }}
        />
      )}
      <SuccessNote>{note}</SuccessNote>

      <div className="sm:w-80">
        <label htmlFor="td-search" className="block text-sm font-medium">
          Search
        </label>
        <input id="td-search" type="search" className="input mt-1" placeholder="Name or issuer" value={q} onChange={(e) => setQ(e.target.value)} />
      </div>

      {list.isError && <ErrorAlert>Could not load trust domains: {errorMessage(list.error)}</ErrorAlert>}
      {list.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading trust domains…
        </p>
      ) : domains.length === 0 && !list.isError ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400" data-testid="trust-domains-empty">
          {search.trim() ? 'No trust domains match this search.' : 'No trust domains yet. Add the SPIFFE trust domain or OAuth issuer your agents get their credentials from.'}
        </p>
      ) : (
        domains.length > 0 && (
          <DataTable
            caption="Trust domains"
            head={
              <>
                <Th>Trust domain</Th>
                <Th>Keys</Th>
                <Th>Algorithms</Th>
                <Th>Max lifetime</Th>
                <Th className="text-right">Identities</Th>
                <Th className="text-right">Actions</Th>
              </>
            }
          >
            {domains.map((td) => (
              <tr key={td.id} data-testid="trust-domain-row">
                <Td className="max-w-xs">
                  <div className="break-all font-mono font-medium">{td.name}</div>
                  <div className="break-all text-xs text-slate-500 dark:text-slate-400">{td.issuer ? `iss ${td.issuer}` : 'no issuer (SPIFFE ID)'}</div>
                </Td>
                <Td className="max-w-xs break-all text-xs">{keySummary(td)}</Td>
                <Td className="font-mono text-xs">{td.allowedAlgs.join(', ')}</Td>
                <Td>{lifetime(td.maxTokenLifetimeSeconds)}</Td>
                <Td className="text-right tabular-nums">{td.identityCount}</Td>
                <Td className="whitespace-nowrap text-right">
                  <div className="inline-flex gap-2">
                    <button
                      type="button"
                      className="btn-secondary"
                      aria-label={`Edit trust domain ${td.name}`}
                      onClick={() => {
                        setEditing(td);
                        setNote(null);
                      }}
                    >
                      Edit
                    </button>
                    <button type="button" className="btn-secondary text-red-700 dark:text-red-400" aria-label={`Delete trust domain ${td.name}`} onClick={() => setToDelete(td)}>
                      Delete
                    </button>
                  </div>
                </Td>
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
        title={`Delete ${toDelete?.name ?? 'this trust domain'}?`}
        confirmLabel="Delete trust domain"
        pendingLabel="Deleting…"
        pending={del.isPending}
        onClose={() => {
          setToDelete(null);
          del.reset();
        }}
        onConfirm={() =>
          toDelete &&
          del.mutate(toDelete.id, {
            onSuccess: () => {
              setNote(`Trust domain ${toDelete.name} deleted.`);
              setToDelete(null);
            },
          })
        }
      >
        <p>Tokens from this issuer will no longer authenticate. A trust domain that workload identities still use cannot be deleted.</p>
        {del.isError && <ErrorAlert>{errorMessage(del.error)}</ErrorAlert>}
      </ConfirmDialog>
    </div>
  );
}
