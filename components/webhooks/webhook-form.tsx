'use client';

import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { formErrors } from '@/components/ui/form-errors';
import { WEBHOOK_EVENTS, WEBHOOK_EVENT_LABELS } from '@/lib/webhooks/events';
import { useCreateWebhook } from './queries';

const FIELDS = ['url', 'secret', 'events'] as const;

/** A new webhook: where to POST, which events, and the signing secret (generated when left empty). */
export function WebhookForm({ tenant, onCreated, onCancel }: { tenant: string; onCreated: (secret: string, generated: boolean) => void; onCancel: () => void }) {
  const create = useCreateWebhook(tenant);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [events, setEvents] = useState<string[]>([...WEBHOOK_EVENTS]);
  const errors = formErrors(create.error, FIELDS);
  return (
    <form
      aria-label="New webhook"
      className="card space-y-4 p-4 md:p-6"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ url, secret: secret || undefined, events }, { onSuccess: (w) => onCreated(w.secret, w.secretGenerated) });
      }}
    >
      <h2 className="text-lg font-semibold">New webhook</h2>
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="URL" error={errors.fields.url} hint="http:// or https://; a Slack incoming-webhook URL works as is.">
          {(c) => <input {...c} className="input" type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://hooks.example.com/toolwarden" autoComplete="off" />}
        </Field>
        <Field label="Signing secret" error={errors.fields.secret} hint="Optional, at least 16 characters; left empty, one is generated and shown once.">
          {(c) => <input {...c} className="input font-mono" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
      </div>
      <fieldset>
        <legend className="text-sm font-medium">Events</legend>
        <div className="mt-1 grid gap-1 sm:grid-cols-2">
          {WEBHOOK_EVENTS.map((ev) => (
            <label key={ev} className="inline-flex items-center gap-2 text-sm">
              <input type="checkbox" checked={events.includes(ev)} onChange={(e) => setEvents((cur) => (e.target.checked ? [...cur, ev] : cur.filter((x) => x !== ev)))} />
              {WEBHOOK_EVENT_LABELS[ev]}
            </label>
          ))}
        </div>
        {errors.fields.events && <p className="field-error">{errors.fields.events}</p>}
      </fieldset>
      <ErrorAlert>{errors.general}</ErrorAlert>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add webhook'}
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
