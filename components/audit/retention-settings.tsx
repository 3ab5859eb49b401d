'use client';

import { useState, type FormEvent } from 'react';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { formErrors } from '@/components/ui/form-errors';
import { useRetention, useUpdateRetention } from './queries';

/** How long decisions are kept; admins change it here. The audit trail is kept forever. */
export function RetentionSettingsCard({ tenant, canManage }: { tenant: string; canManage: boolean }) {
  const retention = useRetention(tenant);
  const update = useUpdateRetention(tenant);
  const [draft, setDraft] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const days = retention.data?.decisionRetentionDays;
  const errors = formErrors(update.error, ['decisionRetentionDays'] as const);

  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    update.mutate(Number(draft ?? days), {
      onSuccess: () => {
        setDraft(null);
        setSaved(true);
      },
    });
  }

  return (
    <section aria-labelledby="retention-heading" className="card space-y-3 p-4" data-testid="retention-settings">
      <h2 id="retention-heading" className="text-lg font-semibold">
        Retention
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Decisions are kept for <strong data-testid="retention-days">{days ?? '…'}</strong> days, then pruned (whole monthly partitions where possible); each pruning is recorded
        here as <span className="font-mono">decision_log.pruned</span>. The audit trail is never pruned.
      </p>
      {canManage && days !== undefined && (
        <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
          <Field label="Keep decisions for (days)" error={errors.fields.decisionRetentionDays} className="w-56">
            {(p) => (
              <input
                {...p}
                type="number"
                min={1}
                max={3650}
                className="input"
                value={draft ?? String(days)}
                onChange={(e) => {
                  setDraft(e.target.value);
                  setSaved(false);
                }}
              />
            )}
          </Field>
          <button type="submit" className="btn-primary" disabled={update.isPending || draft === null || Number(draft) === days}>
            {update.isPending ? 'Saving…' : 'Save retention'}
          </button>
        </form>
      )}
      <ErrorAlert>{errors.general}</ErrorAlert>
      <SuccessNote>{saved && `Saved. Decisions older than ${days} days are pruned within the hour.`}</SuccessNote>
    </section>
  );
}
