import type { ServiceContext } from '../context';
import { db, type Tx } from '../db/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { requirePermission } from '../auth/require';
import { conflict, notFound } from '../errors';
import { newId, randomSecret } from '../ids';
import { pageQuerySchema } from '../pagination';
import { parseInput } from '../validation';
import { WEBHOOK_TEST_EVENT } from './events';
import { createWebhookSchema, deliveryListQuerySchema, updateWebhookSchema } from './schemas';

// Outgoing webhooks, configured by admins (settings.manage). The secret signs deliveries, so it
// is kept in clear, shown once when created or rotated and never returned by any read.

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
  pending: number;
  failed: number;
  lastDeliveredAt: string | null;
}

const view = (w: { id: string; url: string; events: string[]; active: boolean; createdAt: Date; updatedAt: Date }) => ({
  id: w.id,
  url: w.url,
  events: w.events,
  active: w.active,
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
});

export async function listWebhooks(ctx: ServiceContext): Promise<WebhookView[]> {
  requirePermission(ctx, 'settings.manage');
  const hooks = await db().webhook.findMany({ where: { tenantId: ctx.tenantId }, orderBy: { createdAt: 'asc' } });
  if (hooks.length === 0) return [];
  const [counts, delivered] = await Promise.all([
    db().webhookDelivery.groupBy({ by: ['webhookId', 'status'], where: { tenantId: ctx.tenantId, status: { in: ['pending', 'failed'] } }, _count: { _all: true } }),
    db().webhookDelivery.groupBy({ by: ['webhookId'], where: { tenantId: ctx.tenantId, status: 'delivered' }, _max: { deliveredAt: true } }),
  ]);
  return hooks.map((h) => ({
    ...view(h),
    pending: counts.find((c) => c.webhookId === h.id && c.status === 'pending')?._count._all ?? 0,
    failed: counts.find((c) => c.webhookId === h.id && c.status === 'failed')?._count._all ?? 0,
    lastDeliveredAt: delivered.find((d) => d.webhookId === h.id)?._max.deliveredAt?.toISOString() ?? null,
  }));
}

/** Returns the secret once: the only time anyone sees it. */
export async function createWebhook(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, 'settings.manage');
  const data = parseInput(createWebhookSchema, input);
  const secret = data.secret ?? `whsec_${randomSecret(24)}`;
  return inTx(async (tx) => {
    const hook = await tx.webhook.create({ data: { id: newId('webhook'), tenantId: ctx.tenantId, url: data.url, secret, events: data.events, active: data.active } });
    await recordAudit(tx, ctx, { event: 'webhook.created', targetType: 'webhook', targetId: hook.id, after: { url: hook.url, events: hook.events, active: hook.active, secret: '[set]' } });
    return { ...view(hook), secret, secretGenerated: data.secret === undefined };
  });
}

async function loadHook(ctx: ServiceContext, id: string, tx: Pick<Tx, 'webhook'> = db()) {
  const hook = await tx.webhook.findFirst({ where: { id, tenantId: ctx.tenantId } });
  if (!hook) throw notFound('Webhook');
  return hook;
}

export async function updateWebhook(ctx: ServiceContext, id: string, input: unknown) {
  requirePermission(ctx, 'settings.manage');
  const data = parseInput(updateWebhookSchema, input);
  const newSecret = data.secret ?? (data.rotateSecret ? `whsec_${randomSecret(24)}` : undefined);
  return inTx(async (tx) => {
    const before = await loadHook(ctx, id, tx);
    const after = await tx.webhook.update({
      where: { id: before.id },
      data: {
        ...(data.url !== undefined ? { url: data.url } : {}),
        ...(data.events !== undefined ? { events: data.events } : {}),
        ...(data.active !== undefined ? { active: data.active } : {}),
        ...(newSecret ? { secret: newSecret } : {}),
      },
    });
    await recordAudit(tx, ctx, {
      event: 'webhook.updated',
      targetType: 'webhook',
      targetId: id,
      before: { url: before.url, events: before.events, active: before.active },
      after: { url: after.url, events: after.events, active: after.active, ...(newSecret ? { secretRotated: true } : {}) },
    });
    return { ...view(after), ...(newSecret ? { secret: newSecret } : {}) };
  });
}

/** Deletes the webhook; its queued deliveries are cancelled, its delivery log kept. */
export async function deleteWebhook(ctx: ServiceContext, id: string) {
  requirePermission(ctx, 'settings.manage');
  return inTx(async (tx) => {
    const before = await loadHook(ctx, id, tx);
    await tx.webhookDelivery.updateMany({ where: { tenantId: ctx.tenantId, webhookId: id, status: 'pending' }, data: { status: 'cancelled', lastError: 'webhook deleted' } });
    await tx.webhook.delete({ where: { id: before.id } });
    await recordAudit(tx, ctx, { event: 'webhook.deleted', targetType: 'webhook', targetId: id, before: { url: before.url, events: before.events, active: before.active } });
    return { id };
  });
}

/** Queues a `webhook.test` delivery to this webhook only (even when it is paused). */
export async function sendTestWebhook(ctx: ServiceContext, id: string) {
  requirePermission(ctx, 'settings.manage');
  return inTx(async (tx) => {
    const hook = await loadHook(ctx, id, tx);
    const deliveryId = newId('delivery');
    const payload = {
      text: `Test delivery from Toolwarden to ${hook.url}, sent by ${ctx.actor.label}. If you can read this, the webhook works.`,
      event: WEBHOOK_TEST_EVENT,
      deliveryId,
      occurredAt: new Date().toISOString(),
    };
    await tx.webhookDelivery.create({ data: { id: deliveryId, tenantId: ctx.tenantId, webhookId: hook.id, event: WEBHOOK_TEST_EVENT, payload } });
    await recordAudit(tx, ctx, { event: 'webhook.test_sent', targetType: 'webhook', targetId: hook.id, after: { deliveryId } });
    return { deliveryId };
  });
}

export interface DeliveryView {
  id: string;
  webhookId: string;
  url: string | null;
  event: string;
  status: string;
  attempts: number;
  nextAttemptAt: string;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  text: string | null;
}

/** The delivery log, newest first. */
export async function listWebhookDeliveries(ctx: ServiceContext, query: unknown): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
  requirePermission(ctx, 'settings.manage');
  const { webhookId, status } = parseInput(deliveryListQuerySchema, query);
  const { cursor, limit } = parseInput(pageQuerySchema, query);
  const rows = await db().webhookDelivery.findMany({
    where: { tenantId: ctx.tenantId, ...(webhookId ? { webhookId } : {}), ...(status ? { status } : {}), ...(cursor ? { id: { lt: cursor } } : {}) },
    orderBy: { id: 'desc' },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const hooks = await db().webhook.findMany({ where: { tenantId: ctx.tenantId, id: { in: [...new Set(page.map((r) => r.webhookId))] } }, select: { id: true, url: true } });
  return {
    nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
    items: page.map((d) => ({
      id: d.id,
      webhookId: d.webhookId,
      url: hooks.find((h) => h.id === d.webhookId)?.url ?? null,
      event: d.event,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: d.nextAttemptAt.toISOString(),
      responseStatus: d.responseStatus,
      lastError: d.lastError,
      createdAt: d.createdAt.toISOString(),
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
      text: typeof (d.payload as { text?: unknown } | null)?.text === 'string' ? ((d.payload as { text: string }).text) : null,
    })),
  };
}

/** A failed delivery goes back in the queue with a fresh set of attempts. */
export async function retryWebhookDelivery(ctx: ServiceContext, id: string) {
  requirePermission(ctx, 'settings.manage');
  return inTx(async (tx) => {
    const d = await tx.webhookDelivery.findFirst({ where: { id, tenantId: ctx.tenantId } });
    if (!d) throw notFound('Delivery');
    const hook = await tx.webhook.findFirst({ where: { id: d.webhookId, tenantId: ctx.tenantId }, select: { id: true } });
    if (!hook) throw conflict('The webhook of this delivery was deleted');
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id, tenantId: ctx.tenantId, status: 'failed' },
      data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(), lastError: null },
    });
    if (count !== 1) throw conflict(`Only failed deliveries are retried; this one is ${d.status}`);
    await recordAudit(tx, ctx, { event: 'webhook.delivery_retried', targetType: 'webhook', targetId: d.webhookId, after: { deliveryId: id } });
    return { id, status: 'pending' };
  });
}
