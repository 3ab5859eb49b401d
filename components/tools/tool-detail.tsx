'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { ClassifyForm } from './classify-form';
import { useMarkDefinitionReviewed, useSetToolStatus, useTool } from './queries';
import { RiskBadge, ToolStatusBadge } from './tool-badges';
import { ToolDefinitionForm } from './tool-definition-form';
import { ToolHistory } from './tool-history';
import { ToolOwners } from './tool-owners';
import { RISK_HINTS, type ToolDetail as ToolDetailData } from './types';

export function ToolDetail({ tenant, initialTool, canManage }: { tenant: string; initialTool: ToolDetailData; canManage: boolean }) {
  const query = useTool(tenant, initialTool.id, initialTool);
  const tool = query.data;
  const setStatus = useSetToolStatus(tenant, tool.id);
  const review = useMarkDefinitionReviewed(tenant, tool.id);

  return (
    <div className="space-y-6">
      <div>
        <Link href={`/t/${tenant}/tools`} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          ← Tools
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="break-all font-mono text-2xl font-semibold">{tool.name}</h1>
          <ToolStatusBadge status={tool.status} />
          {tool.risk && <RiskBadge risk={tool.risk} />}
        </div>
        {tool.title && <p className="mt-1 text-sm font-medium">{tool.title}</p>}
        <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <Meta term="Server">
            <Link href={`/t/${tenant}/servers/${tool.server.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
              {tool.server.name}
            </Link>
          </Meta>
          <Meta term="Live grants">{tool.liveGrantCount}</Meta>
          <Meta term="Last synced">
            <LocalTime iso={tool.lastSyncedAt} />
          </Meta>
          <Meta term="Added">
            <LocalTime iso={tool.createdAt} />
          </Meta>
        </dl>
      </div>

      {query.isError && <ErrorAlert>Could not refresh this tool: {errorMessage(query.error)}</ErrorAlert>}

      {tool.definitionFlag && (
        <div role="alert" data-testid="definition-flag" className="space-y-2 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          <p className="font-medium">
            The definition changed on <LocalTime iso={tool.definitionFlag.changedAt} /> while {tool.definitionFlag.liveGrants} grant{tool.definitionFlag.liveGrants === 1 ? ' was' : 's were'} live.
          </p>
          <p>Those grants were given for what the tool did before. Read the change in the history below and revoke grants that no longer fit.</p>
          {canManage && (
            <button type="button" className="btn-secondary" disabled={review.isPending} onClick={() => review.mutate()}>
              {review.isPending ? 'Saving…' : 'Mark the change as reviewed'}
            </button>
          )}
          {review.isError && <p>{errorMessage(review.error)}</p>}
        </div>
      )}

      {tool.status === 'unclassified' && (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Unclassified: every call to this tool is denied until it has a risk level.
        </p>
      )}
      {tool.status === 'disabled' && (
        <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300">
          Disabled: every call to this tool is denied, whatever its grants say.
        </p>
      )}

      <section aria-labelledby="classification-heading" className="card space-y-4 p-4 md:p-6">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 id="classification-heading" className="text-lg font-semibold">
              Classification
            </h2>
            {!canManage && <p className="text-sm text-slate-600 dark:text-slate-400">{tool.risk ? `${tool.risk}: ${RISK_HINTS[tool.risk]}.` : 'Not classified yet.'}</p>}
          </div>
          {canManage && tool.status !== 'unclassified' && (
            <div className="space-y-2">
              <button
                type="button"
                className="btn-secondary"
                disabled={setStatus.isPending}
                onClick={() => setStatus.mutate(tool.status === 'active' ? 'disabled' : 'active')}
              >
                {setStatus.isPending ? 'Saving…' : tool.status === 'active' ? 'Disable tool' : 'Enable tool'}
              </button>
              {setStatus.isError && <ErrorAlert>{errorMessage(setStatus.error)}</ErrorAlert>}
            </div>
          )}
        </div>
        {canManage ? (
          <ClassifyForm tenant={tenant} tool={tool} submitLabel={tool.risk ? 'Save classification' : 'Classify'} />
        ) : (
          <dl className="grid grid-cols-1 gap-1 text-sm sm:grid-cols-3">
            <Meta term="Risk">{tool.risk ?? `not set (suggested: ${tool.suggestedRisk ?? 'none'})`}</Meta>
            <Meta term="Default action">{tool.defaultAction}</Meta>
            <Meta term="Sensitivity">{tool.sensitivity}</Meta>
          </dl>
        )}
        {setStatus.isSuccess && <SuccessNote>Status saved.</SuccessNote>}
      </section>

      <ToolOwners tenant={tenant} toolId={tool.id} toolName={tool.name} owners={tool.owners} canManage={canManage} />

      <section aria-labelledby="definition-heading" className="card space-y-4 p-4 md:p-6">
        <h2 id="definition-heading" className="text-lg font-semibold">
          Definition
        </h2>
        {canManage ? (
          <ToolDefinitionForm tenant={tenant} tool={tool} />
        ) : (
          <div className="space-y-3 text-sm">
            <p className="whitespace-pre-wrap">{tool.description || <span className="text-slate-500">No description.</span>}</p>
            {tool.inputSchema && <pre className="max-h-80 overflow-auto rounded-md bg-slate-50 p-3 text-xs dark:bg-slate-950">{JSON.stringify(tool.inputSchema, null, 2)}</pre>}
          </div>
        )}
        {tool.annotations && (
          <div className="text-sm">
            <h3 className="font-medium">Annotations (hints from the server)</h3>
            <ul className="mt-1 flex flex-wrap gap-2 font-mono text-xs">
              {Object.entries(tool.annotations).map(([k, v]) => (
                <li key={k} className="rounded bg-slate-100 px-2 py-0.5 dark:bg-slate-800">
                  {k}: {String(v)}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>

      <ToolHistory tenant={tenant} toolId={tool.id} />
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
