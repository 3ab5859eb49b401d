'use client';

import { ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { useToolVersions } from './queries';
import type { DiffLine, ToolVersion } from './types';

/** Long unchanged stretches fold to a count, so the change is what one sees. */
function fold(lines: DiffLine[], context = 2): (DiffLine | { op: 'fold'; count: number })[] {
  const keep = lines.map((l, i) => l.op !== 'same' || lines.slice(Math.max(0, i - context), i + context + 1).some((n) => n.op !== 'same'));
  const out: (DiffLine | { op: 'fold'; count: number })[] = [];
  let hidden = 0;
  lines.forEach((l, i) => {
    if (keep[i]) {
      if (hidden) out.push({ op: 'fold', count: hidden });
      hidden = 0;
      out.push(l);
    } else hidden++;
  });
  if (hidden) out.push({ op: 'fold', count: hidden });
  return out;
}

const LINE_STYLE = {
  same: 'text-slate-600 dark:text-slate-400',
  add: 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  del: 'bg-red-50 text-red-900 line-through decoration-red-400/60 dark:bg-red-950 dark:text-red-200',
} as const;
const SIGN = { same: ' ', add: '+', del: '−' } as const;

function Diff({ label, lines }: { label: string; lines: DiffLine[] }) {
  return (
    <div>
      <h4 className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</h4>
      <pre className="mt-1 max-h-80 overflow-auto rounded-md border border-slate-200 text-xs dark:border-slate-800" data-testid="definition-diff">
        {fold(lines).map((l, i) =>
          l.op === 'fold' ? (
            <div key={i} className="bg-slate-50 px-2 text-slate-400 dark:bg-slate-900">
              … {l.count} unchanged line{l.count === 1 ? '' : 's'}
            </div>
          ) : (
            <div key={i} className={`px-2 ${LINE_STYLE[l.op]}`}>
              <span aria-hidden="true" className="select-none">
                {SIGN[l.op]}{' '}
              </span>
              <span className="sr-only">{l.op === 'add' ? 'added: ' : l.op === 'del' ? 'removed: ' : ''}</span>
              {l.text || ' '}
            </div>
          ),
        )}
      </pre>
    </div>
  );
}

function Version({ v }: { v: ToolVersion }) {
  const who = v.actor ? (v.actor.type === 'server' ? `server ${v.actor.label}` : (v.actor.label ?? v.actor.type)) : v.source;
  return (
    <li className="space-y-3 py-4" data-testid="tool-version">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium">{v.changes ? 'Definition changed' : 'First seen'}</span>
        <span className="text-slate-500">
          <LocalTime iso={v.createdAt} /> · by {who} · via {v.source}
        </span>
        {v.changes && v.liveGrants > 0 && (
          <Badge tone="red" testId="version-live-grants">
            {v.liveGrants} live grant{v.liveGrants === 1 ? '' : 's'} at the time
          </Badge>
        )}
      </div>
      {v.changes ? (
        <div className="space-y-3">
          {v.changes.description && <Diff label="Description" lines={v.changes.description} />}
          {v.changes.inputSchema && <Diff label="Input schema" lines={v.changes.inputSchema} />}
          {v.changes.annotations && <Diff label="Annotations" lines={v.changes.annotations} />}
          {!v.changes.description && !v.changes.inputSchema && !v.changes.annotations && <p className="text-sm text-slate-500">No visible difference (formatting only).</p>}
        </div>
      ) : (
        <p className="whitespace-pre-wrap text-sm text-slate-700 dark:text-slate-300">{v.description || <span className="text-slate-500">No description.</span>}</p>
      )}
    </li>
  );
}

export function ToolHistory({ tenant, toolId }: { tenant: string; toolId: string }) {
  const list = useToolVersions(tenant, toolId);
  const versions = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="history-heading" className="card p-4 md:p-6">
      <h2 id="history-heading" className="text-lg font-semibold">
        Definition history
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">What the tool said about itself over time. A tool changing under existing grants is a known attack: read the changes before trusting them.</p>
      {list.isError && <ErrorAlert>Could not load the history: {errorMessage(list.error)}</ErrorAlert>}
      {list.isPending ? (
        <p role="status" className="mt-4 text-sm text-slate-500">
          Loading history…
        </p>
      ) : versions.length === 0 && !list.isError ? (
        <p className="mt-4 text-sm text-slate-500">No recorded versions.</p>
      ) : (
        <ol className="divide-y divide-slate-100 dark:divide-slate-800">
          {versions.map((v) => (
            <Version key={v.id} v={v} />
          ))}
        </ol>
      )}
      {list.hasNextPage && (
        <button type="button" className="btn-secondary" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : 'Older versions'}
        </button>
      )}
    </section>
  );
}
