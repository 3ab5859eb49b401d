import { ApiError, asError, type ApiClient } from './api-client.js';
import { Backoff, sleep, type BackoffOptions } from './backoff.js';
import type { DecisionLogEntry } from './types.js';

// Local decisions go to POST /api/v1/decision-logs in batches (≤ 1000), retried with exponential
// backoff while the API is unreachable. The buffer is bounded: when it is full the SDK denies new
// calls (hasRoom() is asked before deciding) rather than drop entries — every decision made stays
// in the log. Uploads are idempotent by decisionId, so re-sending after an ambiguous failure
// (timeout after the server stored the batch) stores nothing twice.

export const MAX_UPLOAD_BATCH = 1000;

export interface LogUploaderOptions {
  client: ApiClient;
  maxBuffered?: number;
  batchSize?: number;
  flushIntervalMs?: number;
  backoff?: BackoffOptions;
  requestTimeoutMs?: number;
  onError?: (error: Error) => void;
}

export class DecisionLogUploader {
  private queue: DecisionLogEntry[] = [];
  private running = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  /** aborting it cuts a backoff sleep short (flush, stop) */
  private wake = new AbortController();
  private readonly backoff: Backoff;
  private readonly maxBuffered: number;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly requestTimeoutMs: number;
  private idleWaiters: (() => void)[] = [];
  private uploaded = 0;
  private dropped = 0;

  constructor(private readonly opts: LogUploaderOptions) {
    this.maxBuffered = Math.max(1, opts.maxBuffered ?? 10_000);
    this.batchSize = Math.min(MAX_UPLOAD_BATCH, Math.max(1, opts.batchSize ?? MAX_UPLOAD_BATCH));
    this.flushIntervalMs = Math.max(0, opts.flushIntervalMs ?? 250);
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
    this.backoff = new Backoff(opts.backoff);
  }

  /** whether n more entries fit; a decision that would not fit must not be made */
  hasRoom(n = 1): boolean {
    return this.queue.length + n <= this.maxBuffered;
  }

  /** false (and nothing stored) when the buffer is full */
  add(entry: DecisionLogEntry): boolean {
    if (this.stopped || !this.hasRoom()) return false;
    this.queue.push(entry);
    this.schedule(this.flushIntervalMs);
    return true;
  }

  /** entries not yet acknowledged by the API */
  get pending(): number {
    return this.queue.length;
  }

  get stats(): { pending: number; uploaded: number; dropped: number; failures: number } {
    return { pending: this.queue.length, uploaded: this.uploaded, dropped: this.dropped, failures: this.backoff.failures };
  }

  /** uploads now; resolves true once everything buffered so far is stored, false on timeout */
  async flush(timeoutMs = 10_000): Promise<boolean> {
    if (this.queue.length === 0 && !this.running) return true;
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.wakeUp();
    this.schedule(0);
    const cancel = new AbortController();
    const deadline = sleep(timeoutMs, cancel.signal).then(() => 'timeout' as const);
    const outcome = await Promise.race([idle.then(() => 'idle' as const), deadline]);
    cancel.abort();
    return outcome === 'idle' && this.queue.length === 0;
  }

  /** stops uploading; entries still buffered are returned to the caller */
  stop(): DecisionLogEntry[] {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wakeUp();
    const left = this.queue;
    this.queue = [];
    this.notifyIdle();
    return left;
  }

  private wakeUp(): void {
    this.wake.abort();
    this.wake = new AbortController();
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.running) return;
    if (this.timer !== null) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, delayMs);
    this.timer.unref?.();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.stopped && this.queue.length > 0) {
        const batch = this.queue.slice(0, this.batchSize);
        try {
          await this.send(batch);
          // the queue only grows at its tail while a batch is in flight
          if (!this.stopped) this.queue.splice(0, batch.length);
          this.uploaded += batch.length;
          this.backoff.reset();
        } catch (error) {
          this.opts.onError?.(asError(error));
          await sleep(this.backoff.next(), this.wake.signal);
        }
      }
    } finally {
      this.running = false;
      if (this.queue.length === 0) this.notifyIdle();
      else this.schedule(this.flushIntervalMs);
    }
  }

  /**
   * One upload. A batch the API refuses as invalid is split until the offending entry is alone;
   * only that entry is dropped (and reported), so one bad entry cannot wedge the buffer and, full,
   * deny every call. Transient failures throw and the whole batch is retried.
   */
  private async send(batch: DecisionLogEntry[]): Promise<void> {
    try {
      await this.opts.client.request('POST', '/api/v1/decision-logs', { body: { entries: batch }, timeoutMs: this.requestTimeoutMs });
    } catch (error) {
      const refused = error instanceof ApiError && error.kind === 'rejected' && (error.status === 400 || error.status === 413);
      if (!refused) throw error;
      if (batch.length === 1) {
        this.dropped++;
        this.opts.onError?.(new Error(`decision log entry ${batch[0]!.decisionId} was refused by the API and dropped: ${(error as Error).message}`));
        return;
      }
      const mid = Math.ceil(batch.length / 2);
      await this.send(batch.slice(0, mid));
      await this.send(batch.slice(mid));
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
