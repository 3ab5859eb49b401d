'use client';

import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import { errorMessage, formErrors } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { DataTable, Td, Th } from '@/components/ui/table';
import { NewKeyNotice } from './new-key-notice';
import { useCreateServerKey, useRevokeServerKey, useServerKeyList } from './queries';
import type { CreatedServerKey, ServerDto, ServerKeyDto } from './types';

const FIELDS = ['name', 'expiresInDays'] as const;
const EXPIRY_CHOICES = [
  { value: '', label: 'Never' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
];

function keyState(k: ServerKeyDto, now: number): { label: string; tone: 'green' | 'slate' | 'red' | 'amber' } {
  if (k.revokedAt) return { label: 'revoked', tone: 'red' };
  if (k.expiresAt && new Date(k.expiresAt).getTime() <= now) return { label: 'expired', tone: 'slate' };
  return { label: 'active', tone: 'green' };
}

function NewKeyForm({ tenant, server, onCreated }: { tenant: string; server: ServerDto; onCreated: (k: CreatedServerKey) => void }) {
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const create = useCreateServerKey(tenant, server.id);
  const errors = formErrors(create.error, FIELDS);
  if (server.status !== 'active') {
    return <p className="text-sm text-slate-600 dark:text-slate-400">This server is disabled: enable it to create keys.</p>;
  }
  return (
    <form
      aria-label="Create server key"
      className="space-y-4 border-t border-slate-200 pt-4 dark:border-slate-800"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(
          { name, ...(expires ? { expiresInDays: Number(expires) } : {}) },
          {
            onSuccess: (k) => {
              setName('');
              onCreated(k);
            },
          },
        );
      }}
    >
      <h3 className="font-medium">Create a key</h3>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Key name" error={errors.fields.name} hint="Optional: where it is deployed, e.g. prod-eu.">
          {(c) => <input {...c} className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />}
        </Field>
        <Field label="Expires" error={errors.fields.expiresInDays}>
          {(c) => (
            <select {...c} className="input" value={expires} onChange={(e) => setExpires(e.target.value)}>
              {EXPIRY_CHOICES.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorAlert>{errors.general}</ErrorAlert>
      <button type="submit" className="btn-primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create key'}
      </button>
    </form>
  );
}

/** A server's keys: prefix, state, last use; create (shown once) and revoke (confirmed). */
export function ServerKeys({ tenant, server, canManage }: { tenant: string; server: ServerDto; canManage: boolean }) {
  const list = useServerKeyList(tenant, server.id);
  const revoke = useRevokeServerKey(tenant);
  const [created, setCreated] = useState<CreatedServerKey | null>(null);
  const [toRevoke, setToRevoke] = useState<ServerKeyDto | null>(null);
  const keys = list.data?.pages.flatMap((p) => p.items) ?? [];
  const now = Date.now();

  return (
    <section aria-labelledby="keys-heading" className="card space-y-4 p-4 md:p-6">
      <div>
        <h2 id="keys-heading" className="text-lg font-semibold">
          Server keys
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">The server sends one of these as a Bearer token on every call. Only the prefix is kept visible.</p>
      </div>

      {created && <NewKeyNotice created={created} serverName={server.name} onDone={() => setCreated(null)} />}

      {list.isError && <ErrorAlert>Could not load keys: {errorMessage(list.error)}</ErrorAlert>}
      {list.isPending ? (
        <p role="status" className="text-sm text-slate-500">
          Loading keys…
        </p>
      ) : keys.length === 0 && !list.isError ? (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="keys-empty">
          No keys yet. Until it has one, this server cannot ask for decisions.
        </p>
      ) : (
        keys.length > 0 && (
          <DataTable
            caption="Server keys"
            head={
              <>
                <Th>Key</Th>
                <Th>State</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th>Expires</Th>
                {canManage && <Th className="text-right">Actions</Th>}
              </>
            }
          >
            {keys.map((k) => {
              const state = keyState(k, now);
              return (
                <tr key={k.id} data-testid="key-row">
                  <Td>
                    <code className="font-mono text-xs" data-testid="key-prefix">
                      {k.prefix}
                    </code>
                    {k.name && <div className="text-xs text-slate-500 dark:text-slate-400">{k.name}</div>}
                  </Td>
                  <Td>
                    <Badge tone={state.tone} testId="key-state">
                      {state.label}
                    </Badge>
                  </Td>
                  <Td className="whitespace-nowrap">
                    <LocalTime iso={k.createdAt} />
                  </Td>
                  <Td className="whitespace-nowrap">
                    <LocalTime iso={k.lastUsedAt} />
                  </Td>
                  <Td className="whitespace-nowrap">{k.revokedAt ? <LocalTime iso={k.revokedAt} /> : <LocalTime iso={k.expiresAt} empty="never" />}</Td>
                  {canManage && (
                    <Td className="text-right">
                      {!k.revokedAt && (
                        <button type="button" className="btn-secondary text-red-700 dark:text-red-400" aria-label={`Revoke key ${k.prefix}`} onClick={() => setToRevoke(k)}>
                          Revoke
                        </button>
                      )}
                    </Td>
                  )}
                </tr>
              );
            })}
          </DataTable>
        )
      )}
      {list.hasNextPage && (
        <button type="button" className="btn-secondary" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : 'Load more keys'}
        </button>
      )}

      {canManage && <NewKeyForm tenant={tenant} server={server} onCreated={setCreated} />}

      <ConfirmDialog
        open={toRevoke !== null}
        title="Revoke this key?"
        confirmLabel="Revoke key"
        pendingLabel="Revoking…"
        pending={revoke.isPending}
        onClose={() => {
          setToRevoke(null);
          revoke.reset();
        }}
        onConfirm={() => toRevoke && revoke.mutate(toRevoke.id, { onSuccess: () => setToRevoke(null) })}
      >
        <p className="break-all font-mono text-xs">{toRevoke?.prefix}</p>
        <p>Within a second every call with this key is refused (401). A server still using it stops getting decisions, so roll out its replacement first.</p>
        {revoke.isError && <ErrorAlert>{errorMessage(revoke.error)}</ErrorAlert>}
      </ConfirmDialog>
    </section>
  );
}
