'use client';

import { useState } from 'react';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { CopyButton } from '@/components/ui/copy-button';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { WEBHOOK_EVENT_LABELS, type WebhookEvent } from '@/lib/webhooks/events';
import { DeliveryLog } from './delivery-log';
import { useDeleteWebhook, useTestWebhook, useUpdateWebhook, useWebhooks, type WebhookView } from './queries';
import { WebhookForm } from './webhook-form';

/** Outgoing webhooks: Slack-compatible JSON, signed with HMAC-SHA256, retried, logged. */
export function WebhooksView({ tenant }: { tenant: string }) {
  const hooks = useWebhooks(tenant);
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Webhooks</h1>
          <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-400">
            Toolwarden POSTs Slack-compatible JSON (<code>text</code> plus details) when access is requested, decided or expires, when break-glass is used and when a review is due. Each delivery is
            signed: <code>X-Toolwarden-Signature: sha256=&lt;HMAC-SHA256 of the raw body with the secret&gt;</code>, with <code>X-Toolwarden-Timestamp</code>. Failed deliveries are retried with exponential backoff.
          </p>
        </div>
        <button type="button" className="btn-primary" aria-expanded={adding} onClick={() => setAdding((a) => !a)}>
          New webhook
        </button>
      </div>
      {adding && (
        <WebhookForm
          tenant={tenant}
          onCancel={() => setAdding(false)}
          onCreated={(s, generated) => {
            setAdding(false);
            setSecret(generated ? s : null);
            setNote(generated ? null : 'Webhook added. It signs deliveries with the secret you entered.');
          }}
        />
      )}
      {secret && (
        <div role="status" className="card space-y-2 border-amber-300 p-4 dark:border-amber-800">
          <p className="text-sm font-medium">Webhook added. Its signing secret is shown this once: store it with the receiver.</p>
          <div className="flex flex-wrap items-center gap-2">
            <code className="break-all rounded bg-slate-100 px-2 py-1 font-mono text-xs dark:bg-slate-800" data-testid="webhook-secret">
              {secret}
            </code>
            <CopyButton text={secret} />
          </div>
        </div>
      )}
      <SuccessNote>{note}</SuccessNote>
      {hooks.isError && <ErrorAlert>Could not load webhooks: {errorMessage(hooks.error)}</ErrorAlert>}
      {hooks.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading webhooks…
        </p>
      ) : hooks.data && hooks.data.length === 0 ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400">No webhooks yet. Add one to hear about requests and break-glass use in Slack or your own tooling.</p>
      ) : (
        <ul className="space-y-3">{hooks.data?.map((w) => <WebhookCard key={w.id} tenant={tenant} hook={w} onNote={setNote} onSecret={setSecret} />)}</ul>
      )}
      {hooks.data && hooks.data.length > 0 && <DeliveryLog tenant={tenant} webhooks={hooks.data} />}
    </div>
  );
}

function WebhookCard({ tenant, hook, onNote, onSecret }: { tenant: string; hook: WebhookView; onNote: (n: string) => void; onSecret: (s: string) => void }) {
  const update = useUpdateWebhook(tenant);
  const remove = useDeleteWebhook(tenant);
  const test = useTestWebhook(tenant);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const error = update.error ?? remove.error ?? test.error;
  return (
    <li className="card space-y-2 p-4" data-testid="webhook-card">
      <div className="flex flex-wrap items-center gap-2">
        <code className="break-all font-mono text-sm">{hook.url}</code>
        <Badge tone={hook.active ? 'green' : 'slate'}>{hook.active ? 'active' : 'paused'}</Badge>
        {hook.failed > 0 && <Badge tone="red">{hook.failed} failed</Badge>}
        {hook.pending > 0 && <Badge tone="amber">{hook.pending} queued</Badge>}
      </div>
      <p className="text-xs text-slate-500">
        {hook.events.map((e) => WEBHOOK_EVENT_LABELS[e as WebhookEvent] ?? e).join(' · ')} · last delivered <LocalTime iso={hook.lastDeliveredAt} />
      </p>
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn-secondary" disabled={test.isPending} onClick={() => test.mutate(hook.id, { onSuccess: () => onNote(`Test delivery queued for ${hook.url}; watch the delivery log below.`) })}>
          Send test
        </button>
        <button type="button" className="btn-secondary" disabled={update.isPending} onClick={() => update.mutate({ id: hook.id, active: !hook.active })}>
          {hook.active ? 'Pause' : 'Resume'}
        </button>
        <button type="button" className="btn-secondary" disabled={update.isPending} onClick={() => update.mutate({ id: hook.id, rotateSecret: true }, { onSuccess: (w) => w.secret && onSecret(w.secret) })}>
          Rotate secret
        </button>
        <button type="button" className="btn-secondary" onClick={() => setConfirmDelete(true)}>
          Delete
        </button>
      </div>
      {error && <ErrorAlert>{errorMessage(error)}</ErrorAlert>}
      <ConfirmDialog
        open={confirmDelete}
        title="Delete this webhook?"
        confirmLabel="Delete webhook"
        pending={remove.isPending}
        onClose={() => setConfirmDelete(false)}
        onConfirm={() => remove.mutate(hook.id, { onSuccess: () => setConfirmDelete(false) })}
      >
        <p>Queued deliveries to {hook.url} are cancelled. The delivery log is kept.</p>
      </ConfirmDialog>
    </li>
  );
}
