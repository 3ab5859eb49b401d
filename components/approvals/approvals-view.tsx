'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { SuccessNote } from '@/components/ui/alert';
import { BreakGlassForm } from './break-glass-form';
import { BreakGlassList } from './break-glass-list';
import type { RequestView } from './queries';
import { RequestForm } from './request-form';
import { RequestList } from './request-list';

export type ApprovalsTab = RequestView | 'break-glass';

const TABS: { id: ApprovalsTab; label: string }[] = [
  { id: 'waiting', label: 'Waiting for me' },
  { id: 'all', label: 'All' },
  { id: 'mine', label: 'Mine' },
  { id: 'break-glass', label: 'Break-glass to review' },
];

/** The approvals inbox: requests to decide, every request, the person's own, and break-glass use to review. */
export function ApprovalsView({ tenant, initialTab, canRequest, canBreakGlass }: { tenant: string; initialTab: ApprovalsTab; canRequest: boolean; canBreakGlass: boolean }) {
  const router = useRouter();
  const [tab, setTab] = useState<ApprovalsTab>(initialTab);
  const [status, setStatus] = useState('');
  const [panel, setPanel] = useState<'none' | 'request' | 'break-glass'>('none');
  const [note, setNote] = useState<string | null>(null);
  const choose = (t: ApprovalsTab) => {
    setTab(t);
    router.replace(`/t/${tenant}/approvals${t === 'waiting' ? '' : `?tab=${t}`}`, { scroll: false });
  };
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Approvals</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Access requests for agents, decided by tool owners and security under each tool’s approval policy.</p>
        </div>
        <div className="flex flex-wrap gap-2">
          {canRequest && (
            <button type="button" className="btn-primary" aria-expanded={panel === 'request'} onClick={() => setPanel((p) => (p === 'request' ? 'none' : 'request'))}>
              Request access
            </button>
          )}
          {canBreakGlass && (
            <button type="button" className="btn-danger" aria-expanded={panel === 'break-glass'} onClick={() => setPanel((p) => (p === 'break-glass' ? 'none' : 'break-glass'))}>
              Break-glass access
            </button>
          )}
        </div>
      </div>
      {panel === 'request' && <RequestForm tenant={tenant} onCancel={() => setPanel('none')} onCreated={(id) => router.push(`/t/${tenant}/approvals/${id}?filed=1`)} />}
      {panel === 'break-glass' && (
        <BreakGlassForm
          tenant={tenant}
          onCancel={() => setPanel('none')}
          onCreated={() => {
            setPanel('none');
            setNote('Break-glass access granted. It is in effect now and waits below for a second person’s review.');
            choose('break-glass');
          }}
        />
      )}
      <SuccessNote>{note}</SuccessNote>

      <div role="tablist" aria-label="Requests" className="flex flex-wrap gap-1 border-b border-slate-200 dark:border-slate-800">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={`-mb-px border-b-2 px-3 py-2 text-sm ${tab === t.id ? 'border-indigo-600 font-medium text-indigo-700 dark:text-indigo-300' : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400'}`}
            onClick={() => choose(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>

      {tab === 'break-glass' ? (
        <BreakGlassList tenant={tenant} />
      ) : (
        <div role="tabpanel" className="space-y-3">
          {tab !== 'waiting' && (
            <div className="sm:w-48">
              <label htmlFor="request-status-filter" className="block text-sm font-medium">
                Status
              </label>
              <select id="request-status-filter" className="input mt-1" value={status} onChange={(e) => setStatus(e.target.value)}>
                <option value="">All statuses</option>
                {['pending', 'approved', 'denied', 'expired', 'cancelled'].map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </div>
          )}
          <RequestList tenant={tenant} view={tab} status={tab === 'waiting' ? '' : status} />
        </div>
      )}
    </div>
  );
}
