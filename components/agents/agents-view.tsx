'use client';

import { useState } from 'react';
import { SuccessNote } from '@/components/ui/alert';
import { AgentForm } from './agent-form';
import { AgentList } from './agent-list';

/** The agents page: list plus the "New agent" form, shown on demand to roles that may create. */
export function AgentsView({ tenant, canCreate, canChooseOwner }: { tenant: string; canCreate: boolean; canChooseOwner: boolean }) {
  const [formOpen, setFormOpen] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Agents</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Non-human identities and the workload credentials they authenticate with.</p>
        </div>
        {canCreate && (
          <button
            type="button"
            className="btn-primary"
            aria-expanded={formOpen}
            aria-controls="new-agent-form"
            onClick={() => {
              setFormOpen((o) => !o);
              setCreated(null);
            }}
          >
            New agent
          </button>
        )}
      </div>
      {formOpen && (
        <div id="new-agent-form">
          <AgentForm
            tenant={tenant}
            canChooseOwner={canChooseOwner}
            onCancel={() => setFormOpen(false)}
            onCreated={(agent) => {
              setFormOpen(false);
              setCreated(agent.name);
            }}
          />
        </div>
      )}
      <SuccessNote>{created && `Agent ${created} created. Add a workload identity on its page so it can authenticate.`}</SuccessNote>
      <AgentList tenant={tenant} />
    </div>
  );
}
