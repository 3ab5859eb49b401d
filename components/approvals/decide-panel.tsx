'use client';

import { useId, useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { formErrors } from '@/components/ui/form-errors';
import { shortDuration } from '@/lib/approval-policies/rules';
import { ActionsField } from './actions-field';
import { DurationInput } from './duration-input';
import { useDecide, type DecideInput } from './queries';
import type { Action, RequestDetail } from './types';

const FIELDS = ['comment', 'durationSeconds', 'actions', 'resource'] as const;

/**
 * Approve (possibly narrower: shorter, fewer actions, a resource within the requested one) or
 * deny with a comment. When the person may not approve, the button stays disabled and the
 * reason is shown next to it; the server enforces the same rule whatever the page shows.
 */
export function DecidePanel({ tenant, request, onDecided }: { tenant: string; request: RequestDetail; onDecided: (message: string) => void }) {
  const scope = request.scope;
  const decide = useDecide(tenant, request.id);
  const [duration, setDuration] = useState(scope.durationSeconds);
  const [actions, setActions] = useState<Action[]>(scope.actions as Action[]);
  const [resource, setResource] = useState(scope.resource ?? '');
  const [comment, setComment] = useState('');
  const errors = formErrors(decide.error, FIELDS);
  const reasonId = useId();
  const { mine } = request;

  const approveInput = (): DecideInput => {
    const input: DecideInput = { verdict: 'approve', comment };
    if (duration !== scope.durationSeconds) input.durationSeconds = duration;
    if (actions.length !== scope.actions.length || actions.some((a) => !scope.actions.includes(a))) input.actions = actions;
    const res = resource.trim();
    if (res && res !== (scope.resource ?? '')) input.resource = res;
    return input;
  };

  const submit = (input: DecideInput) =>
    decide.mutate(input, {
      onSuccess: (r) => {
        onDecided(
          r.status === 'approved'
            ? `Approved. The grant is in effect now, until ${r.grantExpiresAt ? new Date(r.grantExpiresAt).toLocaleString() : 'its expiry'}.`
            : r.status === 'denied'
              ? 'Denied. The agent is told the next time it asks.'
              : `Your approval is recorded: ${r.approvalsRecorded} of ${r.approvalsRequired}.`,
        );
      },
    });

  return (
    <section aria-labelledby="decide-heading" className="card space-y-4 p-4 md:p-6">
      <h2 id="decide-heading" className="text-lg font-semibold">
        Your decision
      </h2>
      {mine.canApprove || mine.canDeny ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Approving gives {request.agent.name} {scope.actions.join(', ')}
          {scope.resource ? ` on ${scope.resource}` : ' on any resource'} for {shortDuration(scope.durationSeconds)} or less, as you set below. You may narrow it, never widen it.
        </p>
      ) : null}
      {mine.canApprove && (
        <div className="grid gap-4 md:grid-cols-2">
          <Field label="Approved duration" error={errors.fields.durationSeconds} hint={`At most ${shortDuration(scope.durationSeconds)}.`}>
            {(c) => <DurationInput control={c} seconds={duration} onChange={setDuration} label="Approved duration" />}
          </Field>
          <Field label="Approved resource" error={errors.fields.resource} hint={scope.resource ? `Within ${scope.resource}, e.g. a single id.` : 'Optional: limit the grant to one resource or pattern.'}>
            {(c) => <input {...c} className="input font-mono" value={resource} onChange={(e) => setResource(e.target.value)} spellCheck={false} autoComplete="off" />}
          </Field>
          <ActionsField legend="Approved actions" allowed={scope.actions as Action[]} value={actions} onChange={setActions} error={errors.fields.actions} />
        </div>
      )}
      {(mine.canApprove || mine.canDeny) && (
        <Field label="Comment" error={errors.fields.comment} hint="Required to deny; recorded with your decision either way.">
          {(c) => <textarea {...c} className="input" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />}
        </Field>
      )}
      <ErrorAlert>{errors.general}</ErrorAlert>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          className="btn-primary"
          disabled={!mine.canApprove || decide.isPending || !Number.isFinite(duration)}
          aria-describedby={!mine.canApprove && mine.reason ? reasonId : undefined}
          onClick={() => submit(approveInput())}
        >
          {decide.isPending && decide.variables?.verdict === 'approve' ? 'Approving…' : 'Approve'}
        </button>
        <button
          type="button"
          className="btn-danger"
          disabled={!mine.canDeny || decide.isPending}
          aria-describedby={!mine.canDeny && mine.reason ? reasonId : undefined}
          onClick={() => submit({ verdict: 'deny', comment })}
        >
          {decide.isPending && decide.variables?.verdict === 'deny' ? 'Denying…' : 'Deny'}
        </button>
      </div>
      {!mine.canApprove && mine.reason && (
        <p id={reasonId} className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700 dark:bg-slate-800 dark:text-slate-300" data-testid="approve-blocked-reason">
          {mine.reason}
        </p>
      )}
    </section>
  );
}
