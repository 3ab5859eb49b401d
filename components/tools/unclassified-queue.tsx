'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { ClassifyForm } from './classify-form';
import { RiskBadge } from './tool-badges';
import { useToolList, type ToolFilters } from './queries';

const QUEUE: ToolFilters = { q: '', serverId: '', status: 'unclassified', risk: '' };

/**
 * Tools nobody has classified yet. Every call to them is denied (tool_unclassified) until someone
 * does, so they sit at the top of the page, visibly, rather than in a filter.
 */
export function UnclassifiedQueue({ tenant, canManage }: { tenant: string; canManage: boolean }) {
  const list = useToolList(tenant, QUEUE, 10);
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const tools = list.data?.pages.flatMap((p) => p.items) ?? [];

  if (list.isPending) {
    return (
      <p role="status" className="card p-4 text-sm text-slate-500">
        Loading the classification queue…
      </p>
    );
  }
  if (list.isError) return <ErrorAlert>Could not load unclassified tools: {errorMessage(list.error)}</ErrorAlert>;
  if (tools.length === 0) {
    return (
      <div className="space-y-2">
        <SuccessNote>{done && `${done} classified.`}</SuccessNote>
        <p className="card p-4 text-sm text-slate-600 dark:text-slate-400" data-testid="queue-empty">
          No tools waiting for classification.
        </p>
      </div>
    );
  }
  return (
    <section aria-labelledby="queue-heading" data-testid="unclassified-queue" className="space-y-3 rounded-lg border border-amber-300 bg-amber-50/60 p-4 md:p-6 dark:border-amber-800 dark:bg-amber-950/40">
      <div>
        <h2 id="queue-heading" className="text-lg font-semibold">
          Needs classification
        </h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">Every call to these tools is denied until they have a risk level. The suggestion comes from the server’s own annotations.</p>
      </div>
      <SuccessNote>{done && `${done} classified.`}</SuccessNote>
      <ul className="divide-y divide-amber-200 dark:divide-amber-900">
        {tools.map((t) => (
          <li key={t.id} className="py-3" data-testid="queue-row">
            <div className="flex flex-wrap items-center justify-between gap-3">
              <div className="min-w-0">
                <Link href={`/t/${tenant}/tools/${t.id}`} className="break-all font-mono text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  {t.name}
                </Link>
                <span className="ml-2 text-xs text-slate-600 dark:text-slate-400">on {t.server.name}</span>
                {t.description && <p className="mt-0.5 line-clamp-2 text-xs text-slate-600 dark:text-slate-400">{t.description}</p>}
              </div>
              <div className="flex items-center gap-3">
                <span className="text-xs text-slate-600 dark:text-slate-400">
                  suggested <RiskBadge risk={t.suggestedRisk} />
                </span>
                {canManage && (
                  <button
                    type="button"
                    className="btn-secondary"
                    aria-expanded={open === t.id}
                    aria-controls={`classify-${t.id}`}
                    aria-label={`Classify ${t.name}`}
                    onClick={() => setOpen((o) => (o === t.id ? null : t.id))}
                  >
                    Classify
                  </button>
                )}
              </div>
            </div>
            {open === t.id && (
              <div id={`classify-${t.id}`} className="mt-3 rounded-md bg-white p-4 dark:bg-slate-900">
                <ClassifyForm
                  tenant={tenant}
                  tool={t}
                  onCancel={() => setOpen(null)}
                  onDone={() => {
                    setOpen(null);
                    setDone(t.name);
                  }}
                />
              </div>
            )}
          </li>
        ))}
      </ul>
      {list.hasNextPage && (
        <button type="button" className="btn-secondary" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      )}
    </section>
  );
}
