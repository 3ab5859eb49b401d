'use client';

import { useState } from 'react';
import { SuccessNote } from '@/components/ui/alert';
import { NewToolForm } from './new-tool-form';
import { ToolCatalog } from './tool-catalog';
import { UnclassifiedQueue } from './unclassified-queue';

export function ToolsView({ tenant, canManage }: { tenant: string; canManage: boolean }) {
  const [formOpen, setFormOpen] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Tools</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Every tool the registered servers expose, with its risk, owners and definition history.</p>
        </div>
        {canManage && (
          <button
            type="button"
            className="btn-secondary"
            aria-expanded={formOpen}
            aria-controls="new-tool-form"
            onClick={() => {
              setFormOpen((o) => !o);
              setCreated(null);
            }}
          >
            New tool
          </button>
        )}
      </div>
      {formOpen && (
        <div id="new-tool-form">
          <NewToolForm
            tenant={tenant}
            onCancel={() => setFormOpen(false)}
            onCreated={(name) => {
              setFormOpen(false);
              setCreated(name);
            }}
          />
        </div>
      )}
      <SuccessNote>{created && `Tool ${created} added. Classify it below before anything can call it.`}</SuccessNote>
      <UnclassifiedQueue tenant={tenant} canManage={canManage} />
      <ToolCatalog tenant={tenant} />
    </div>
  );
}
