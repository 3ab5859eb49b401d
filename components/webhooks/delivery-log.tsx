'use client';

import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { DataTable, Td, Th } from '@/components/ui/table';
import { useDeliveries, useRetryDelivery, type WebhookView } from './queries';

const TONE: Record<string, BadgeTone> = { delivered: 'green', pending: 'amber', failed: 'red', cancelled: 'slate' };

/** Every delivery: what was sent, how many attempts, what the receiver answered. */
export function DeliveryLog({ tenant, webhooks }: { tenant: string; webhooks: WebhookView[] }) {
  const [webhookId, setWebhookId] = useState('');
  const [status, setStatus] = useState('');
  const list = useDeliveries(tenant, webhookId, status);
  const retry = useRetryDelivery(tenant);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="delivery-log" className="space-y-3">
      <h2 id="delivery-log" className="text-lg font-semibold">
        Delivery log
      </h2>
      <div className="flex flex-col gap-3 sm:flex-row">
        <div className="sm:w-96">
          <label htmlFor="delivery-webhook" className="block text-sm font-medium">
            Webhook
          </label>
          <select id="delivery-webhook" className="input mt-1" value={webhookId} onChange={(e) => setWebhookId(e.target.value)}>
            <option value="">All webhooks</option>
            {webhooks.map((w) => (
              <option key={w.id} value={w.id}>
                {w.url}
              </option>
            ))}
          </select>
        </div>
        <div className="sm:w-48">
          <label htmlFor="delivery-status" className="block text-sm font-medium">
            Status
          </label>
          <select id="delivery-status" className="input mt-1" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All</option>
            {['pending', 'delivered', 'failed', 'cancelled'].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      {list.isError && <ErrorAlert>Could not load deliveries: {errorMessage(list.error)}</ErrorAlert>}
      {retry.isError && <ErrorAlert>{errorMessage(retry.error)}</ErrorAlert>}
      {list.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading deliveries…
        </p>
      ) : items.length === 0 ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400">No deliveries yet.</p>
      ) : (
        <DataTable
          caption="Webhook deliveries"
          head={
            <>
              <Th>Event</Th>
              <Th>Status</Th>
              <Th>Attempts</Th>
              <Th>Queued</Th>
              <Th>Result</Th>
            </>
          }
        >
          {items.map((d) => (
            <tr key={d.id} data-testid="delivery-row">
              <Td className="max-w-sm">
                <code className="font-mono text-xs">{d.event}</code>
                {d.text && <div className="truncate text-xs text-slate-500" title={d.text}>{d.text}</div>}
                <div className="truncate text-xs text-slate-400">{d.url ?? '(webhook deleted)'}</div>
              </Td>
              <Td>
                <Badge tone={TONE[d.status] ?? 'slate'} testId="delivery-status">
                  {d.status}
                </Badge>
              </Td>
              <Td className="tabular-nums">{d.attempts}</Td>
              <Td className="text-xs">
                <LocalTime iso={d.createdAt} />
              </Td>
              <Td className="text-xs">
                {d.status === 'delivered' ? (
                  <>
                    HTTP {d.responseStatus} · <LocalTime iso={d.deliveredAt} />
                  </>
                ) : (
                  <>
                    {d.lastError ?? (d.status === 'pending' ? 'waiting for its first attempt' : '—')}
                    {d.status === 'pending' && d.attempts > 0 && (
                      <div className="text-slate-500">
                        next attempt <LocalTime iso={d.nextAttemptAt} />
                      </div>
                    )}
                    {d.status === 'failed' && (
                      <div className="mt-1">
                        <button type="button" className="btn-secondary" disabled={retry.isPending} onClick={() => retry.mutate(d.id)}>
                          Retry
                        </button>
                      </div>
                    )}
                  </>
                )}
              </Td>
            </tr>
          ))}
        </DataTable>
      )}
      {list.hasNextPage && (
        <button type="button" className="btn-secondary" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
