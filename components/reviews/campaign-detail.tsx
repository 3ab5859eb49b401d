'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { DataTable, Td, Th } from '@/components/ui/table';
import { consolePath } from '@/components/ui/api';
import { GrantKindLabel, RiskBadge } from '@/components/approvals/badges';
import { useCampaign, useDecideItem, type CampaignDetail as CampaignDetailData, type ReviewItem } from './queries';

/** One campaign: progress per reviewer and each grant to keep or revoke. */
export function CampaignDetail({ tenant, initial, canExport }: { tenant: string; initial: CampaignDetailData; canExport: boolean }) {
  const query = useCampaign(tenant, initial.id, initial);
  const c = query.data;
  const [onlyMine, setOnlyMine] = useState(false);
  const items = onlyMine ? c.items.filter((i) => i.canDecide) : c.items;
  return (
    <div className="space-y-6">
      <div>
        <Link href={`/t/${tenant}/reviews`} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          ← Access reviews
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">{c.name}</h1>
          <Badge tone={c.status === 'open' ? 'amber' : 'slate'}>{c.status}</Badge>
        </div>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Reviewing {c.scopeText}. Deadline <LocalTime iso={c.deadline} />
          {c.open ? ': unreviewed grants are revoked then.' : '.'} Started by {c.createdBy ?? 'the system'}.
        </p>
      </div>
      {query.isError && <ErrorAlert>Could not refresh: {errorMessage(query.error)}</ErrorAlert>}

      <section aria-labelledby="progress" className="card space-y-3 p-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="progress" className="text-lg font-semibold">
            Progress: <span data-testid="campaign-progress">{c.decided} of {c.total}</span> reviewed
          </h2>
          {canExport && (
            <a className="btn-secondary" href={consolePath(tenant, 'reviews', c.id, 'export')} download>
              Export CSV
            </a>
          )}
        </div>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {c.kept} kept · {c.revoked} revoked by reviewers{c.autoRevoked > 0 && ` · ${c.autoRevoked} revoked at the deadline`}
        </p>
        <ul className="grid gap-2 text-sm sm:grid-cols-2 lg:grid-cols-3">
          {c.progress.map((p) => (
            <li key={p.reviewer} className="rounded-md bg-slate-50 px-3 py-2 dark:bg-slate-800/60">
              <div className="truncate font-medium">{p.reviewer}</div>
              <div className="text-xs text-slate-500">
                {p.decided} of {p.assigned} reviewed
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="items" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="items" className="text-lg font-semibold">
            Grants
          </h2>
          <label className="inline-flex items-center gap-2 text-sm">
            <input type="checkbox" checked={onlyMine} onChange={(e) => setOnlyMine(e.target.checked)} /> Only what I can still review
          </label>
        </div>
        <DataTable
          caption="Grants under review"
          head={
            <>
              <Th>Grant</Th>
              <Th>Reviewers</Th>
              <Th>Verdict</Th>
            </>
          }
        >
          {items.map((i) => (
            <ItemRow key={i.id} tenant={tenant} campaignId={c.id} item={i} />
          ))}
        </DataTable>
      </section>
    </div>
  );
}

function ItemRow({ tenant, campaignId, item }: { tenant: string; campaignId: string; item: ReviewItem }) {
  const decide = useDecideItem(tenant, campaignId);
  const [note, setNote] = useState('');
  const g = item.grant;
  return (
    <tr data-testid="review-item">
      <Td className="max-w-md">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium">
            {g.agent?.name ?? '(deleted agent)'} → {g.tool?.name ?? '(deleted tool)'}
          </span>
          {g.kind && <GrantKindLabel kind={g.kind} />}
          {g.tool && <RiskBadge risk={g.tool.risk} />}
        </div>
        <div className="text-xs text-slate-500">
          {g.actions.join(', ')}
          {g.resourcePatterns.length > 0 && ` on ${g.resourcePatterns.join(', ')}`} · since <LocalTime iso={g.createdAt} />
          {g.expiresAt && (
            <>
              {' '}
              · until <LocalTime iso={g.expiresAt} />
            </>
          )}
          {g.revokedAt && ' · revoked'}
        </div>
      </Td>
      <Td className="text-xs">{item.reviewers.length ? item.reviewers.map((r) => r.email).join(', ') : 'security (no tool owner)'}</Td>
      <Td className="min-w-64 text-xs">
        {item.verdict ? (
          <>
            <Badge tone={item.verdict === 'keep' ? 'green' : 'red'} testId="review-verdict">
              {item.verdict === 'keep' ? 'kept' : 'revoked'}
            </Badge>{' '}
            {item.autoRevoked ? 'at the deadline' : `by ${item.decidedBy}`} · <LocalTime iso={item.decidedAt} />
            {item.note && <div className="mt-1 text-slate-600 dark:text-slate-400">“{item.note}”</div>}
          </>
        ) : item.canDecide ? (
          <div className="space-y-2">
            <label className="sr-only" htmlFor={`note-${item.id}`}>
              Note
            </label>
            <input id={`note-${item.id}`} className="input" placeholder="Note (required to revoke)" value={note} onChange={(e) => setNote(e.target.value)} />
            <div className="flex gap-2">
              <button type="button" className="btn-secondary" disabled={decide.isPending} onClick={() => decide.mutate({ itemId: item.id, verdict: 'keep', note })}>
                Keep
              </button>
              <button type="button" className="btn-danger" disabled={decide.isPending} onClick={() => decide.mutate({ itemId: item.id, verdict: 'revoke', note })}>
                Revoke
              </button>
            </div>
            {decide.isError && <ErrorAlert>{errorMessage(decide.error)}</ErrorAlert>}
          </div>
        ) : (
          <span className="text-slate-500">waiting for its reviewers</span>
        )}
      </Td>
    </tr>
  );
}
