'use client';

import Link from 'next/link';
import { useEffect, useState, type ReactNode } from 'react';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { NewToolForm } from '@/components/tools/new-tool-form';
import { ToolCatalog } from '@/components/tools/tool-catalog';
import { EditServerForm } from './server-form';
import { ServerKeys } from './server-keys';
import { ServerStatusBadge } from './server-status-badge';
import { useServer, useSetServerStatus } from './queries';
import type { ServerDto } from './types';

export function ServerDetail({
  tenant,
  initialServer,
  canManage,
  canManageKeys,
  canManageTools,
  justCreated,
}: {
  tenant: string;
  initialServer: ServerDto;
  canManage: boolean;
  canManageKeys: boolean;
  canManageTools: boolean;
  justCreated: boolean;
}) {
  const query = useServer(tenant, initialServer.id, initialServer);
  const server = query.data;
  const setStatus = useSetServerStatus(tenant, server.id);
  const [toolFormOpen, setToolFormOpen] = useState(false);
  const [toolAdded, setToolAdded] = useState<string | null>(null);
  const [showCreated] = useState(justCreated);
  // the "registered" note is for this visit only: drop ?created=1 so a reload does not repeat it
  useEffect(() => {
    if (justCreated) window.history.replaceState(window.history.state, '', window.location.pathname);
  }, [justCreated]);
  const disable = server.status === 'active';

  return (
    <div className="space-y-6">
      <div>
        <Link href={`/t/${tenant}/servers`} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          ← Servers
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="break-all text-2xl font-semibold">{server.name}</h1>
          <ServerStatusBadge status={server.status} />
        </div>
        {server.description && <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{server.description}</p>}
        <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <Meta term="Audience">
            <code className="break-all font-mono text-xs">{server.audience}</code>
          </Meta>
          <Meta term="Environment">{server.environment}</Meta>
          <Meta term="Asserts identities">{server.mayAssertIdentity ? 'yes (mTLS)' : 'no'}</Meta>
          <Meta term="Registered">
            <LocalTime iso={server.createdAt} />
          </Meta>
        </dl>
      </div>

      {showCreated && <SuccessNote>Server registered. Create a key below so it can call the API.</SuccessNote>}
      {query.isError && <ErrorAlert>Could not refresh this server: {errorMessage(query.error)}</ErrorAlert>}

      {canManage && (
        <section aria-label="Server actions" className="space-y-2">
          <button type="button" className={disable ? 'btn-secondary' : 'btn-primary'} disabled={setStatus.isPending} onClick={() => setStatus.mutate(disable ? 'disabled' : 'active')}>
            {setStatus.isPending ? 'Saving…' : disable ? 'Disable server' : 'Enable server'}
          </button>
          {setStatus.isError && <ErrorAlert>{errorMessage(setStatus.error)}</ErrorAlert>}
        </section>
      )}
      {server.status === 'disabled' && (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Disabled: every call with this server’s keys is refused (401). Its tools and grants are kept.
        </p>
      )}

      <ServerKeys tenant={tenant} server={server} canManage={canManageKeys} />

      <div className="space-y-4">
        {canManageTools && (
          <div className="flex justify-end">
            <button type="button" className="btn-secondary" aria-expanded={toolFormOpen} onClick={() => setToolFormOpen((o) => !o)}>
              Add a tool by hand
            </button>
          </div>
        )}
        {toolFormOpen && (
          <NewToolForm
            tenant={tenant}
            fixedServerId={server.id}
            onCancel={() => setToolFormOpen(false)}
            onCreated={(name) => {
              setToolFormOpen(false);
              setToolAdded(name);
            }}
          />
        )}
        <SuccessNote>{toolAdded && `Tool ${toolAdded} added, unclassified. Classify it on the Tools page.`}</SuccessNote>
        <ToolCatalog tenant={tenant} serverId={server.id} heading="Tools of this server" />
      </div>

      {canManage && (
        <section aria-labelledby="server-details-heading" className="card p-4 md:p-6">
          <h2 id="server-details-heading" className="mb-4 text-lg font-semibold">
            Edit details
          </h2>
          <EditServerForm tenant={tenant} server={server} />
        </section>
      )}
    </div>
  );
}

function Meta({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex gap-2">
      <dt className="text-slate-500 dark:text-slate-400">{term}:</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}
