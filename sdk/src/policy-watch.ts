import { asError, type ApiClient } from './api-client.js';
import { Backoff, sleep, type BackoffOptions } from './backoff.js';

// Follows this server's policy snapshot: GET /api/v1/snapshot, then long polls with
// `If-None-Match` and `?wait=N`, so a change (a revoked grant, a suspended agent) arrives as soon
// as the API sees it. Local mode compiles each new body; remote mode only needs to know that
// something changed, to drop reusable answers.

export interface PolicyWatchOptions {
  client: ApiClient;
  waitSeconds: number;
  backoff?: BackoffOptions;
  /** a new snapshot body (200); throwing keeps the previous one and retries later */
  onSnapshot: (body: unknown, etag: string | null) => void;
  /** the watch lost its connection to the API (answers based on it may be out of date) */
  onDisconnect?: () => void;
  onError?: (error: Error) => void;
  now?: () => number;
}

export class PolicyWatch {
  private etag: string | null = null;
  private stopped = false;
  private running = false;
  private readonly abort = new AbortController();
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private lastOk = 0;
  private connected = false;
  private firstWaiters: ((ok: boolean) => void)[] = [];
  private hasSnapshot = false;
  /** after a failure, confirm at once (wait=0) instead of holding a long poll first */
  private quick = true;

  constructor(private readonly opts: PolicyWatchOptions) {
    this.backoff = new Backoff(opts.backoff);
    this.now = opts.now ?? Date.now;
  }

  /** epoch ms of the last answer (200 or 304) from the API; 0 = never */
  get lastConfirmedAt(): number {
    return this.lastOk;
  }

  /** the last request succeeded and the watch is still following changes */
  get healthy(): boolean {
    return this.running && this.connected && !this.stopped;
  }

  start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    void this.loop();
  }

  /** resolves true at the first snapshot, false after timeoutMs (the watch keeps trying) */
  firstSnapshot(timeoutMs: number): Promise<boolean> {
    if (this.hasSnapshot) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref?.();
      this.firstWaiters.push((ok) => {
        clearTimeout(timer);
        resolve(ok);
      });
    });
  }

  stop(): void {
    this.stopped = true;
    this.connected = false;
    this.abort.abort();
    for (const w of this.firstWaiters.splice(0)) w(false);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const wait = this.etag === null || this.quick ? 0 : this.opts.waitSeconds;
      try {
        const res = await this.opts.client.request<unknown>('GET', wait > 0 ? `/api/v1/snapshot?wait=${wait}` : '/api/v1/snapshot', {
          headers: this.etag === null ? {} : { 'if-none-match': this.etag },
          // the API holds the request up to `wait` seconds by design
          timeoutMs: wait * 1000 + 10_000,
          signal: this.abort.signal,
          accept: [304],
        });
        if (this.stopped) break;
        if (res.status === 200) {
          const etag = res.headers.get('etag');
          this.opts.onSnapshot(res.body, etag);
          this.etag = etag;
          this.hasSnapshot = true;
          for (const w of this.firstWaiters.splice(0)) w(true);
        }
        this.lastOk = this.now();
        this.connected = true;
        this.quick = false;
        this.backoff.reset();
      } catch (error) {
        if (this.stopped) break;
        const wasConnected = this.connected;
        this.connected = false;
        this.quick = true;
        if (wasConnected || this.backoff.failures === 0) this.opts.onDisconnect?.();
        this.opts.onError?.(asError(error));
        await sleep(this.backoff.next(), this.abort.signal);
      }
    }
    this.running = false;
  }
}
