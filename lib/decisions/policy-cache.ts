import pg from 'pg';
import { AppError } from '../errors';
import { pgPool } from '../db/pool';
import { loadTenantSnapshot } from './snapshot-loader';
import type { TenantSnapshot } from './snapshot-types';

// Per-tenant snapshots in memory, kept current by the PolicyVersion table: every policy change
// bumps a tenant's version (database triggers), this cache polls the versions (safety net,
// works everywhere) and LISTENs for NOTIFY (fast path on a real server). If versions could not
// be confirmed for longer than the staleness bound, decisions fail closed with 503.

export interface PolicyCacheOptions {
  pollMs: number;
  stalenessMs: number;
  /** injected for tests */
  load?: (tenantId: string) => Promise<TenantSnapshot>;
  now?: () => number;
}

export class PolicyCache {
  private snapshots = new Map<string, TenantSnapshot>();
  private building = new Map<string, Promise<TenantSnapshot>>();
  private versions = new Map<string, bigint>();
  private lastConfirmedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private listener: pg.Client | undefined;
  private polling: Promise<void> | undefined;
  private stopped = false;
  private readonly listeners = new Set<(tenantId: string) => void>();
  private readonly load: (tenantId: string) => Promise<TenantSnapshot>;
  private readonly now: () => number;

  constructor(private readonly opts: PolicyCacheOptions) {
    this.load = opts.load ?? loadTenantSnapshot;
    this.now = opts.now ?? Date.now;
  }

  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs);
    this.timer.unref();
    void this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener?.end().catch(() => {});
  }

  /** called with a tenant id whenever that tenant's policy changed */
  onChange(fn: (tenantId: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** the tenant's snapshot at the latest confirmed version; throws 503 when that cannot be had */
  async get(tenantId: string): Promise<TenantSnapshot> {
    this.assertFresh();
    const wanted = this.versions.get(tenantId) ?? 0n;
    const cached = this.snapshots.get(tenantId);
    if (cached && cached.version >= wanted) return cached;
    let pending = this.building.get(tenantId);
    if (!pending) {
      pending = this.load(tenantId).finally(() => this.building.delete(tenantId));
      this.building.set(tenantId, pending);
    }
    try {
      const snap = await pending;
      // keep the newest; a slow build must not replace a newer one
      const current = this.snapshots.get(tenantId);
      if (!current || current.version <= snap.version) this.snapshots.set(tenantId, snap);
      return snap;
    } catch {
      throw new AppError('unavailable', 'Policy data cannot be loaded right now; fail closed.');
    }
  }

  version(tenantId: string): bigint {
    return this.versions.get(tenantId) ?? 0n;
  }

  assertFresh(): void {
    if (this.now() - this.lastConfirmedAt > this.opts.stalenessMs) {
      throw new AppError('unavailable', 'Policy data could not be confirmed current; fail closed.');
    }
  }

  /** Re-read all tenant versions now (also what a NOTIFY triggers). */
  poll(): Promise<void> {
    this.polling ??= this.doPoll().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async doPoll(): Promise<void> {
    try {
      const { rows } = await pgPool().query<{ tenantId: string; version: string }>('SELECT "tenantId", "version" FROM "PolicyVersion"');
      for (const r of rows) {
        const v = BigInt(r.version);
        const prev = this.versions.get(r.tenantId);
        if (prev !== v) {
          this.versions.set(r.tenantId, v);
          if (prev !== undefined) for (const fn of this.listeners) fn(r.tenantId);
        }
      }
      this.lastConfirmedAt = this.now();
    } catch {
      // leave lastConfirmedAt: once it is older than the staleness bound, decisions answer 503
    }
  }

  private async listen(): Promise<void> {
    while (!this.stopped) {
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 2_000 });
      try {
        await client.connect();
        this.listener = client;
        client.on('notification', () => void this.poll());
        await client.query('LISTEN toolwarden_policy');
        await new Promise<void>((resolve) => {
          client.once('error', () => resolve());
          client.once('end', () => resolve());
        });
      } catch {
        // database down or LISTEN unsupported (embedded): polling still keeps us current
      } finally {
        await client.end().catch(() => {});
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, 2_000).unref());
    }
  }
}
