'use client';

import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { formErrors } from '@/components/ui/form-errors';
import { useCreateCampaign } from './queries';

const FIELDS = ['name', 'scope', 'scope.elevated', 'scope.standingOlderThanDays', 'deadline'] as const;

function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setSeconds(0, 0);
  // datetime-local wants local time without a zone
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function CampaignForm({ tenant, onCreated, onCancel }: { tenant: string; onCreated: (id: string) => void; onCancel: () => void }) {
  const create = useCreateCampaign(tenant);
  const [name, setName] = useState('');
  const [elevated, setElevated] = useState(true);
  const [standing, setStanding] = useState(false);
  const [days, setDays] = useState('90');
  const [deadline, setDeadline] = useState(inDays(14));
  const errors = formErrors(create.error, FIELDS);
  const scopeError = errors.fields.scope ?? errors.fields['scope.elevated'];
  return (
    <form
      aria-label="New access review"
      className="card space-y-4 p-4 md:p-6"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const when = new Date(deadline);
        create.mutate(
          { name, scope: { elevated, standingOlderThanDays: standing ? Number(days) : null }, deadline: Number.isNaN(when.getTime()) ? deadline : when.toISOString() },
          { onSuccess: (c) => onCreated(c.id) },
        );
      }}
    >
      <h2 className="text-lg font-semibold">New access review</h2>
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Name" error={errors.fields.name}>
          {(c) => <input {...c} className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="Q3 recertification" />}
        </Field>
        <Field label="Deadline" error={errors.fields.deadline} hint="Grants nobody reviewed by then are revoked.">
          {(c) => <input {...c} type="datetime-local" className="input" value={deadline} onChange={(e) => setDeadline(e.target.value)} />}
        </Field>
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">What to review</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={elevated} onChange={(e) => setElevated(e.target.checked)} /> Live grants on high and critical tools
        </label>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <label className="inline-flex items-center gap-2">
            <input type="checkbox" checked={standing} onChange={(e) => setStanding(e.target.checked)} /> Standing grants older than
          </label>
          <input aria-label="Days" type="number" min={0} className="input w-24" value={days} disabled={!standing} onChange={(e) => setDays(e.target.value)} /> days
        </div>
        {(scopeError || errors.fields['scope.standingOlderThanDays']) && <p className="field-error">{scopeError ?? errors.fields['scope.standingOlderThanDays']}</p>}
      </fieldset>
      <ErrorAlert>{errors.general}</ErrorAlert>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {create.isPending ? 'Starting…' : 'Start review'}
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
