import type { Prisma } from '../db/generated/client';
import type { Tx } from '../db/client';
import { newId } from '../ids';
import type { WebhookEvent, WebhookPayload } from './events';

// Outgoing notifications are queued in the transaction of the change they report: a change that
// rolls back notifies nobody, and a committed one is never lost. Delivery happens later, in the
// worker (worker.ts), so a slow or failing receiver never affects the request flow.

function consoleUrl(path: string): string | undefined {
  const base = process.env.TOOLWARDEN_PUBLIC_URL;
  return base ? base.replace(/\/+$/, '') + path : undefined;
}

/**
 * One WebhookDelivery row per active webhook of the tenant subscribed to `event`. `link` is a
 * console path under the tenant (e.g. `/approvals/req_…`), made absolute when the public URL is
 * known. Returns how many deliveries were queued.
 */
export async function enqueueWebhookEvent(tx: Tx, tenantId: string, event: WebhookEvent, payload: WebhookPayload, link?: string): Promise<number> {
  const hooks = await tx.webhook.findMany({ where: { tenantId, active: true, events: { has: event } }, select: { id: true } });
  if (hooks.length === 0) return 0;
  const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { slug: true } });
  const url = link && tenant ? consoleUrl(`/t/${tenant.slug}${link}`) : undefined;
  const occurredAt = new Date().toISOString();
  for (const hook of hooks) {
    const id = newId('delivery');
    const body: WebhookPayload = {
      ...payload,
      text: url ? `${payload.text} <${url}|Open in Toolwarden>` : payload.text,
      event,
      deliveryId: id,
      tenant: tenant?.slug ?? null,
      occurredAt,
      ...(url ? { url } : {}),
    };
    await tx.webhookDelivery.create({ data: { id, tenantId, webhookId: hook.id, event, payload: body as Prisma.InputJsonValue } });
  }
  return hooks.length;
}
