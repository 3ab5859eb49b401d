import { db } from '../db/client';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhookBody, TIMESTAMP_HEADER } from './sign';

// Delivers queued webhook events (WebhookDelivery rows written in the transaction of the event).
// Claims are `FOR UPDATE SKIP LOCKED` with a lease (nextAttemptAt pushed ahead), so any number of
// instances can run the worker: each delivery is attempted by one of them at a time, and one
// that died mid-delivery is retried when its lease runs out. Failures back off exponentially;
// nothing here can ever affect the request flow that queued the event.

export interface WebhookWorkerOptions {
  /** idle polling interval (default 1 s) */
  pollMs?: number;
  /** deliveries claimed per pass (default 10) */
  batch?: number;
  /** per-delivery HTTP timeout (default 10 s) */
  timeoutMs?: number;
  /** first retry delay; doubles per attempt (default 15 s) */
  baseDelayMs?: number;
  /** longest retry delay (default 1 h) */
  maxDelayMs?: number;
  /** attempts before a delivery is marked failed (default 10) */
  maxAttempts?: number;
  /** how long a claim is held before another instance may retry it (default 60 s) */
  leaseMs?: number;
  log?: (message: string, err?: unknown) => void;
}

interface Claimed {
  id: string;
  tenantId: string;
  webhookId: string;
  event: string;
  payload: unknown;
  attempts: number;
}

const defaults = (o: WebhookWorkerOptions) => ({
  pollMs: o.pollMs ?? 1_000,
  batch: o.batch ?? 10,
  timeoutMs: o.timeoutMs ?? 10_000,
  baseDelayMs: o.baseDelayMs ?? 15_000,
  maxDelayMs: o.maxDelayMs ?? 3_600_000,
  maxAttempts: o.maxAttempts ?? 10,
  leaseMs: Math.max(o.leaseMs ?? 60_000, (o.timeoutMs ?? 10_000) + 5_000),
  log: o.log ?? ((m: string, e?: unknown) => console.warn(`[webhooks] ${m}`, e ?? '')),
});

/** The delay before attempt n+1 after n failed attempts: base·2^(n-1), capped, ±20 % jitter. */
export function retryDelayMs(attempts: number, baseDelayMs: number, maxDelayMs: number, random = Math.random): number {
  const raw = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

// Prisma keeps DateTime columns as UTC in `timestamp` (without time zone): compare in UTC
async function claim(batch: number, leaseMs: number): Promise<Claimed[]> {
  return db().$queryRaw<Claimed[]>`
    UPDATE "WebhookDelivery" AS d
    SET attempts = d.attempts + 1, "nextAttemptAt" = (now() AT TIME ZONE 'UTC') + make_interval(secs => ${leaseMs / 1000}::double precision)
    FROM (
      SELECT id FROM "WebhookDelivery"
      WHERE status = 'pending' AND "nextAttemptAt" <= (now() AT TIME ZONE 'UTC')
      ORDER BY "nextAttemptAt"
      LIMIT ${batch}::int
      FOR UPDATE SKIP LOCKED
    ) AS due
    WHERE d.id = due.id
    RETURNING d.id, d."tenantId", d."webhookId", d.event, d.payload, d.attempts`;
}

async function send(url: string, secret: string, d: Claimed, timeoutMs: number): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  const body = JSON.stringify(d.payload);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Toolwarden-Webhooks/1',
    [TIMESTAMP_HEADER]: String(Math.floor(Date.now() / 1000)),
    [SIGNATURE_HEADER]: signWebhookBody(secret, body),
    [EVENT_HEADER]: d.event,
    [DELIVERY_HEADER]: d.id,
  };
  try {
    // no redirects: a receiver that moved must be reconfigured, not followed blindly
    const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text().catch(() => '');
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, error: null };
    return { ok: false, status: res.status, error: `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { ok: false, status: null, error: `Could not deliver: ${why}`.slice(0, 500) };
  }
}

async function deliverOne(d: Claimed, o: ReturnType<typeof defaults>): Promise<'delivered' | 'retry' | 'failed'> {
  const hook = await db().webhook.findFirst({ where: { id: d.webhookId, tenantId: d.tenantId }, select: { url: true, secret: true, active: true } });
  // the lease condition (attempts) keeps a slow attempt from overwriting a newer one's result
  const finish = (data: Parameters<ReturnType<typeof db>['webhookDelivery']['updateMany']>[0]['data']) =>
    db().webhookDelivery.updateMany({ where: { id: d.id, attempts: d.attempts }, data });
  if (!hook) {
    await finish({ status: 'cancelled', lastError: 'webhook deleted' });
    return 'failed';
  }
  // a paused webhook still receives its own test deliveries
  if (!hook.active && d.event !== 'webhook.test') {
    await finish({ status: 'cancelled', lastError: 'webhook paused' });
    return 'failed';
  }
  const r = await send(hook.url, hook.secret, d, o.timeoutMs);
  if (r.ok) {
    await finish({ status: 'delivered', deliveredAt: new Date(), responseStatus: r.status, lastError: null });
    return 'delivered';
  }
  if (d.attempts >= o.maxAttempts) {
    await finish({ status: 'failed', responseStatus: r.status, lastError: r.error });
    return 'failed';
  }
  await finish({ responseStatus: r.status, lastError: r.error, nextAttemptAt: new Date(Date.now() + retryDelayMs(d.attempts, o.baseDelayMs, o.maxDelayMs)) });
  return 'retry';
}

/** One pass: claims due deliveries and attempts them concurrently. */
export async function deliverDueWebhooks(opts: WebhookWorkerOptions = {}): Promise<{ claimed: number; delivered: number; retrying: number; failed: number }> {
  const o = defaults(opts);
  const claimed = await claim(o.batch, o.leaseMs);
  const results = await Promise.all(
    claimed.map((d) =>
      deliverOne(d, o).catch((err) => {
        o.log(`delivery ${d.id} could not be recorded`, err);
        return 'retry' as const;
      }),
    ),
  );
  return {
    claimed: claimed.length,
    delivered: results.filter((r) => r === 'delivered').length,
    retrying: results.filter((r) => r === 'retry').length,
    failed: results.filter((r) => r === 'failed').length,
  };
}

export interface WebhookWorker {
  stop: () => Promise<void>;
  /** run a pass now instead of waiting for the next poll */
  kick: () => void;
}

/**
 * Starts the delivery loop in this process. A pass that claimed a full batch runs the next one
 * at once; otherwise it waits `pollMs`. Errors (database down) are logged and retried.
 */
export function startWebhookWorker(opts: WebhookWorkerOptions = {}): WebhookWorker {
  const o = defaults(opts);
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref?.();
  };
  const run = () => {
    timer = null;
    if (stopped || current) return;
    current = deliverDueWebhooks(opts)
      .then((r) => schedule(r.claimed >= o.batch ? 0 : o.pollMs))
      .catch((err) => {
        o.log('delivery pass failed; retrying', err);
        schedule(o.pollMs * 5);
      })
      .finally(() => {
        current = null;
      });
  };
  schedule(0);
  return {
    kick: () => schedule(0),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
