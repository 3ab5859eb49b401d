'use client';

import { useState } from 'react';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import { errorMessage, formErrors } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { DataTable, Td, Th } from '@/components/ui/table';
import { BreakGlassBadge, RiskBadge } from './badges';
import { useBreakGlassList, usePostReview } from './queries';
import type { BreakGlassItem } from './types';

/** "Break-glass to review": each use of break-glass, until a second person has looked at it. */
export function BreakGlassList({ tenant }: { tenant: string }) {
  const [view, setView] = useState<'pending' | 'all'>('pending');
  const list = useBreakGlassList(tenant, view);
  const [reviewing, setReviewing] = useState<BreakGlassItem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section aria-label="Break-glass to review" className="space-y-3">
      <div className="flex items-center gap-3">
        <label htmlFor="bg-view" className="text-sm font-medium">
          Show
        </label>
        <select id="bg-view" className="input w-56" value={view} onChange={(e) => setView(e.target.value as 'pending' | 'all')}>
          <option value="pending">Not reviewed yet</option>
          <option value="all">All break-glass grants</option>
        </select>
      </div>
      <SuccessNote>{done}</SuccessNote>
      {list.isError && <ErrorAlert>Could not load break-glass grants: {errorMessage(list.error)}</ErrorAlert>}
      {list.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading…
        </p>
      ) : list.data && list.data.length === 0 ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400">{view === 'pending' ? 'No break-glass access is waiting for review.' : 'Break-glass access was never used.'}</p>
      ) : (
        list.data && (
          <DataTable
            caption="Break-glass grants"
            head={
              <>
                <Th>Grant</Th>
                <Th>Justification</Th>
                <Th>Used</Th>
                <Th>Review</Th>
              </>
            }
          >
            {list.data.map((g) => (
              <tr key={g.id} data-testid="break-glass-row">
                <Td>
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">
                      {g.agent.name} → {g.tool.name}
                    </span>
                    <BreakGlassBadge />
                    <RiskBadge risk={g.tool.risk} />
                  </div>
                  <div className="text-xs text-slate-500">
                    {g.actions.join(', ')}
                    {g.resourcePatterns.length > 0 && ` on ${g.resourcePatterns.join(', ')}`} · {g.status}
                    {g.expiresAt && (
                      <>
                        {' '}
                        until <LocalTime iso={g.expiresAt} />
                      </>
                    )}
                  </div>
                </Td>
                <Td className="max-w-sm text-xs">{g.justification}</Td>
                <Td className="text-xs">
                  <LocalTime iso={g.createdAt} />
                  <div className="text-slate-500">by {g.createdBy?.email ?? 'unknown'}</div>
                </Td>
                <Td className="text-xs">
                  {g.postReviewedAt ? (
                    <>
                      Reviewed <LocalTime iso={g.postReviewedAt} /> by {g.postReviewedBy?.email}
                    </>
                  ) : g.canReview ? (
                    <button type="button" className="btn-secondary" onClick={() => setReviewing(g)}>
                      Review
                    </button>
                  ) : (
                    <span className="text-slate-500" data-testid="review-blocked-reason">
                      {g.reviewBlockedReason}
                    </span>
                  )}
                </Td>
              </tr>
            ))}
          </DataTable>
        )
      )}
      {reviewing && (
        <ReviewDialog
          tenant={tenant}
          grant={reviewing}
          onClose={() => setReviewing(null)}
          onDone={(revoked) => {
            setDone(`Review of ${reviewing.agent.name} → ${reviewing.tool.name} recorded${revoked ? '; the grant was revoked' : ''}.`);
            setReviewing(null);
          }}
        />
      )}
    </section>
  );
}

function ReviewDialog({ tenant, grant, onClose, onDone }: { tenant: string; grant: BreakGlassItem; onClose: () => void; onDone: (revoked: boolean) => void }) {
  const review = usePostReview(tenant);
  const [note, setNote] = useState('');
  const [revoke, setRevoke] = useState(false);
  const errors = formErrors(review.error, ['note'] as const);
  return (
    <ConfirmDialog
      open
      title={`Review break-glass: ${grant.agent.name} → ${grant.tool.name}`}
      confirmLabel={revoke ? 'Record review and revoke' : 'Record review'}
      pendingLabel="Recording…"
      pending={review.isPending}
      onClose={onClose}
      onConfirm={() => review.mutate({ id: grant.id, note, revoke }, { onSuccess: (r) => onDone(r.revoked) })}
    >
      <p>
        Used by {grant.createdBy?.email ?? 'unknown'}: “{grant.justification}”
      </p>
      <Field label="Review note" error={errors.fields.note} hint="What you checked (incident, ticket) and whether the access was warranted.">
        {(c) => <textarea {...c} className="input" rows={3} value={note} onChange={(e) => setNote(e.target.value)} />}
      </Field>
      {grant.status === 'active' && (
        <label className="inline-flex items-center gap-2">
          <input type="checkbox" checked={revoke} onChange={(e) => setRevoke(e.target.checked)} /> Not warranted: revoke it now
        </label>
      )}
      <ErrorAlert>{errors.general}</ErrorAlert>
    </ConfirmDialog>
  );
}
