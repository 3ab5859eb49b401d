// Exponential backoff with jitter for retries against the API (snapshot polling, log uploads):
// many SDK processes recovering from one outage must not return in lockstep.

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;

  constructor(opts: BackoffOptions = {}, private readonly random: () => number = Math.random) {
    this.initialMs = Math.max(1, opts.initialMs ?? 250);
    this.maxMs = Math.max(this.initialMs, opts.maxMs ?? 30_000);
  }

  /** the delay before the next retry: doubling up to maxMs, each drawn from [½, 1] of that */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(ceiling * (0.5 + this.random() * 0.5));
  }

  reset(): void {
    this.attempt = 0;
  }

  get failures(): number {
    return this.attempt;
  }
}

/** resolves after ms, or early (without throwing) when the signal aborts */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
