'use client';

import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, consolePath } from '@/components/ui/api';
import { Field } from '@/components/ui/field';
import { ErrorAlert } from '@/components/ui/alert';
import { CopyButton } from '@/components/ui/copy-button';
import { DataTable, Td, Th } from '@/components/ui/table';

interface Token {
  id: string;
  name: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

// Personal API tokens for the management API. A token acts as you, in this tenant, with your
// current role; the secret is shown once.
export function ApiTokensView({ tenant }: { tenant: string }) {
  const qc = useQueryClient();
  const key = ['api-tokens', tenant];
  const list = useQuery({ queryKey: key, queryFn: () => api<{ items: Token[] }>(consolePath(tenant, 'api-tokens')) });
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => api<Token & { token: string }>(consolePath(tenant, 'api-tokens'), { method: 'POST', body: { name, expiresInDays: Number(days) } }),
    onSuccess: async (t) => {
      setCreated(t.token);
      setName('');
      await qc.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(consolePath(tenant, 'api-tokens', id), { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  });
  const fieldError = (f: string) => (create.error instanceof ApiError ? create.error.invalidParams.find((p) => p.name === f)?.reason : undefined);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Personal API tokens</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          For the management API (<code>/api/v1/manage/…</code>, described in <a className="underline" href="/api/v1/openapi.json">openapi.json</a>). A token acts as you, in this tenant, with your current role.
        </p>
      </div>
      {created && (
        <div className="card space-y-2 p-4" data-testid="new-api-token">
          <p className="text-sm font-medium">Copy the token now: it is not shown again.</p>
          <code className="block break-all rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">{created}</code>
          <div className="flex gap-2">
            <CopyButton text={created} label="Copy token" />
            <button type="button" className="btn-secondary" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      <form
        className="card grid gap-4 p-4 sm:grid-cols-[1fr_10rem_auto] sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Field label="Token name" error={fieldError('name')}>
          {(p) => <input {...p} className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. terraform" />}
        </Field>
        <Field label="Expires in (days)" error={fieldError('expiresInDays')}>
          {(p) => <input {...p} className="input" type="number" min={1} max={365} value={days} onChange={(e) => setDays(e.target.value)} />}
        </Field>
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {create.error && !fieldError('name') && !fieldError('expiresInDays') && <ErrorAlert>{create.error.message}</ErrorAlert>}
      {revoke.error && <ErrorAlert>{revoke.error.message}</ErrorAlert>}
      {list.isPending ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : list.error ? (
        <ErrorAlert>{list.error.message}</ErrorAlert>
      ) : list.data.items.length === 0 ? (
        <p className="text-sm text-slate-500">No tokens yet.</p>
      ) : (
        <DataTable head={<><Th>Name</Th><Th>Prefix</Th><Th>Expires</Th><Th>Last used</Th><Th>Status</Th><Th /></>}>
          {list.data.items.map((t) => (
            <tr key={t.id}>
              <Td>{t.name}</Td>
              <Td><code className="text-xs">twp_{t.id}_…</code></Td>
              <Td>{t.expiresAt ? new Date(t.expiresAt).toLocaleDateString() : 'never'}</Td>
              <Td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : 'never'}</Td>
              <Td>{t.revokedAt ? 'revoked' : t.expiresAt && new Date(t.expiresAt) < new Date() ? 'expired' : 'active'}</Td>
              <Td>
                {!t.revokedAt && (
                  <button type="button" className="btn-secondary" aria-label={`Revoke token ${t.name}`} onClick={() => revoke.mutate(t.id)} disabled={revoke.isPending}>
                    Revoke
                  </button>
                )}
              </Td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
