'use client';

import Link from 'next/link';
import { useMemo } from 'react';
import { SuccessNote } from '@/components/ui/alert';
import { useUrlParams } from '@/components/ui/use-url-params';
import { DenyRulesPanel } from '@/components/deny-rules/deny-rules-panel';
import { GrantFilters } from './grant-filters';
import { GrantList } from './grant-list';
import { GrantMatrix } from './grant-matrix';
import { useGrantOptions } from './queries';
import type { GrantFilters as Filters } from './types';

const VIEWS = [
  { value: 'list', label: 'List' },
  { value: 'matrix', label: 'Agent × tool matrix' },
  { value: 'deny', label: 'Deny rules' },
] as const;
type View = (typeof VIEWS)[number]['value'];

/**
 * The grants page. The view and the filters live in the URL (?view=matrix, ?status=expired,
 * ?expiringWithinHours=24 from the overview), so every view can be linked to. Without a status
 * the list shows active grants.
 */
export function GrantsView({ tenant, canManage, canManageDenyRules }: { tenant: string; canManage: boolean; canManageDenyRules: boolean }) {
  const { params, search, patch } = useUrlParams();
  const view: View = (VIEWS.find((v) => v.value === params.get('view'))?.value ?? 'list') as View;
  const filters: Filters = useMemo(
    () => ({
      agentId: params.get('agentId') ?? '',
      toolId: params.get('toolId') ?? '',
      serverId: params.get('serverId') ?? '',
      risk: (params.get('risk') ?? '') as Filters['risk'],
      kind: (params.get('kind') ?? '') as Filters['kind'],
      // absent → active; "all" → no status filter
      status: (params.get('status') === 'all' ? '' : (params.get('status') ?? 'active')) as Filters['status'],
      expiringWithinHours: params.get('expiringWithinHours') ?? '',
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [search],
  );
  const hoursOk = filters.expiringWithinHours === '' || /^\d+$/.test(filters.expiringWithinHours);
  const apiFilters = { ...filters, expiringWithinHours: hoursOk ? filters.expiringWithinHours : '' };
  const filtered = Object.entries(filters).some(([k, v]) => v !== '' && !(k === 'status' && v === 'active'));
  const options = useGrantOptions(tenant);
  const created = params.get('created');

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Grants</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Which agent may call which tool, with what actions, on what, where and until when. Deny rules win over every grant.</p>
        </div>
        {canManage && (
          <Link href={`/t/${tenant}/grants/new`} className="btn-primary">
            New grant
          </Link>
        )}
      </div>

      <SuccessNote>{created && `${created === '1' ? '1 grant' : `${created} grants`} created.`}</SuccessNote>

      <nav aria-label="Grant views" className="flex flex-wrap gap-1 border-b border-slate-200 dark:border-slate-800">
        {VIEWS.map((v) => (
          <button
            key={v.value}
            type="button"
            aria-current={view === v.value ? 'page' : undefined}
            onClick={() => patch({ view: v.value === 'list' ? null : v.value, created: null })}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${view === v.value ? 'border-indigo-600 text-indigo-700 dark:text-indigo-300' : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100'}`}
          >
            {v.label}
          </button>
        ))}
      </nav>

      {view === 'list' && (
        <>
          <GrantFilters
            filters={filters}
            options={options.data}
            onChange={(next) => {
              const merged = { ...filters, ...next };
              patch(
                {
                  agentId: merged.agentId,
                  toolId: merged.toolId,
                  serverId: merged.serverId,
                  risk: merged.risk,
                  kind: merged.kind,
                  status: merged.status === 'active' ? null : merged.status === '' ? 'all' : merged.status,
                  expiringWithinHours: merged.expiringWithinHours,
                  created: null,
                },
                'replace',
              );
            }}
          />
          {filtered && (
            <button type="button" className="text-sm text-indigo-700 hover:underline dark:text-indigo-300" onClick={() => patch({ agentId: null, toolId: null, serverId: null, risk: null, kind: null, status: null, expiringWithinHours: null })}>
              Clear filters
            </button>
          )}
          <GrantList tenant={tenant} filters={apiFilters} canManage={canManage} filtered={filtered} />
        </>
      )}
      {view === 'matrix' && <GrantMatrix tenant={tenant} serverId={params.get('serverId') ?? ''} onServerChange={(serverId) => patch({ serverId }, 'replace')} />}
      {view === 'deny' && <DenyRulesPanel tenant={tenant} canManage={canManageDenyRules} />}
    </div>
  );
}
