'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { NewServerForm } from './server-form';
import { ServerList } from './server-list';

/** The servers page: list, plus the registration form for roles that may manage servers. */
export function ServersView({ tenant, canManage }: { tenant: string; canManage: boolean }) {
  const router = useRouter();
  const [formOpen, setFormOpen] = useState(false);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Servers &amp; keys</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">MCP servers that ask Toolwarden before every tool call, and the keys they authenticate with.</p>
        </div>
        {canManage && (
          <button type="button" className="btn-primary" aria-expanded={formOpen} aria-controls="new-server-form" onClick={() => setFormOpen((o) => !o)}>
            New server
          </button>
        )}
      </div>
      {formOpen && (
        <div id="new-server-form">
          {/* straight to the new server: creating its first key is the next step */}
          <NewServerForm tenant={tenant} onCancel={() => setFormOpen(false)} onCreated={(server) => router.push(`/t/${tenant}/servers/${server.id}?created=1`)} />
        </div>
      )}
      <ServerList tenant={tenant} />
    </div>
  );
}
