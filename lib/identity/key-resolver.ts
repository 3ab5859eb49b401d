// Turns a trust domain's key configuration (inline JWKS and/or JWKS URL) into imported keys,
// caching so that the per-decision path does no importing and no network I/O.

import { fetchJwks, JWKS_FETCH_TIMEOUT_MS } from './fetch-jwks';
import { importKeySet, KeyResolutionError, type KeyResolver, type ResolvedKeySet } from './key-set';
import { stableDigest } from './stable-digest';
import type { TrustDomainKeys } from './types';

export interface KeyResolverOptions {
  fetch?: typeof fetch;
  /** unknown-kid refreshes of a remote JWKS happen at most this often per trust domain */
  minRefreshIntervalMs?: number;
  now?: () => number;
  /** a fetched JWKS is re-fetched after this long, so keys removed by the issuer stop working */
  cacheMaxAgeMs?: number;
  fetchTimeoutMs?: number;
  /** after a failed fetch, callers get that failure for this long instead of a new fetch each */
  failureBackoffMs?: number;
}

interface InlineEntry {
  fingerprint: string;
  keys: Promise<ResolvedKeySet>;
}

interface RemoteEntry {
  fingerprint: string;
  keys: ResolvedKeySet | null;
  fetchedAt: number;
  lastAttemptAt: number | null;
  lastError: KeyResolutionError | null;
  inflight: Promise<ResolvedKeySet> | null;
}

function asResolutionError(error: unknown): KeyResolutionError {
  if (error instanceof KeyResolutionError) return error;
  return new KeyResolutionError(error instanceof Error ? error.message : 'key resolution failed');
}

function merge(parts: ResolvedKeySet[]): ResolvedKeySet {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  return { keys: parts.flatMap((p) => p.keys), skipped: parts.flatMap((p) => p.skipped) };
}

export function createKeyResolver(opts: KeyResolverOptions = {}): KeyResolver {
  const fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const now = opts.now ?? Date.now;
  const minRefreshIntervalMs = opts.minRefreshIntervalMs ?? 30_000;
  const cacheMaxAgeMs = opts.cacheMaxAgeMs ?? 10 * 60_000;
  const fetchTimeoutMs = opts.fetchTimeoutMs ?? JWKS_FETCH_TIMEOUT_MS;
  const failureBackoffMs = opts.failureBackoffMs ?? Math.min(5_000, minRefreshIntervalMs);

  // One entry per trust domain id, replaced when its configuration changes: memory stays bounded
  // by the number of trust domains however often keys are edited.
  const inline = new Map<string, InlineEntry>();
  const remote = new Map<string, RemoteEntry>();

  async function inlineKeys(td: TrustDomainKeys, jwks: NonNullable<TrustDomainKeys['jwks']>): Promise<ResolvedKeySet> {
    // The digest covers the allowlist too: imports depend on it (one CryptoKey per allowed alg).
    const fingerprint = await stableDigest({ jwks, allowedAlgs: td.allowedAlgs });
    const cached = inline.get(td.id);
    if (cached !== undefined && cached.fingerprint === fingerprint) return cached.keys;
    const keys = importKeySet(jwks, td.allowedAlgs);
    // Also caches a rejection: the same configuration would fail the same way again.
    keys.catch(() => undefined);
    inline.set(td.id, { fingerprint, keys });
    return keys;
  }

  function remoteEntry(td: TrustDomainKeys, url: string): RemoteEntry {
    const fingerprint = `${url}\n${td.allowedAlgs.join(',')}`;
    let entry = remote.get(td.id);
    if (entry === undefined || entry.fingerprint !== fingerprint) {
      entry = { fingerprint, keys: null, fetchedAt: 0, lastAttemptAt: null, lastError: null, inflight: null };
      remote.set(td.id, entry);
    }
    return entry;
  }

  function startFetch(entry: RemoteEntry, td: TrustDomainKeys, url: string): Promise<ResolvedKeySet> {
    entry.lastAttemptAt = now();
    const run = (async () => {
      try {
        const keys = await importKeySet(await fetchJwks(url, fetchImpl, fetchTimeoutMs), td.allowedAlgs);
        entry.keys = keys;
        entry.fetchedAt = now();
        entry.lastError = null;
        return keys;
      } catch (error) {
        entry.lastError = asResolutionError(error);
        throw entry.lastError;
      } finally {
        entry.inflight = null;
      }
    })();
    entry.inflight = run;
    return run;
  }

  async function remoteKeys(td: TrustDomainKeys, url: string): Promise<ResolvedKeySet> {
    const entry = remoteEntry(td, url);
    if (entry.keys !== null && now() - entry.fetchedAt < cacheMaxAgeMs) return entry.keys;
    // Concurrent decisions share one fetch.
    if (entry.inflight !== null) return entry.inflight;
    if (entry.lastError !== null && entry.lastAttemptAt !== null && now() - entry.lastAttemptAt < failureBackoffMs) {
      throw entry.lastError;
    }
    // Past max age, failing to re-fetch fails closed: stale keys might be ones the issuer revoked.
    return startFetch(entry, td, url);
  }

  async function refreshRemote(td: TrustDomainKeys, url: string): Promise<ResolvedKeySet> {
    const entry = remoteEntry(td, url);
    if (entry.inflight !== null) return entry.inflight;
    const recentlyTried = entry.lastAttemptAt !== null && now() - entry.lastAttemptAt < minRefreshIntervalMs;
    if (recentlyTried) return remoteKeys(td, url);
    try {
      return await startFetch(entry, td, url);
    } catch (error) {
      // A failed refresh leaves the keys we had; the token that asked for it fails either way.
      if (entry.keys !== null && now() - entry.fetchedAt < cacheMaxAgeMs) return entry.keys;
      throw error;
    }
  }

  async function resolve(td: TrustDomainKeys, refresh: boolean): Promise<ResolvedKeySet> {
    const parts: Promise<ResolvedKeySet>[] = [];
    if (td.jwks !== null) parts.push(inlineKeys(td, td.jwks));
    if (td.jwksUrl !== null) parts.push(refresh ? refreshRemote(td, td.jwksUrl) : remoteKeys(td, td.jwksUrl));
    if (parts.length === 0) throw new KeyResolutionError('trust domain has neither a JWKS nor a JWKS URL');
    try {
      return merge(await Promise.all(parts));
    } catch (error) {
      throw asResolutionError(error);
    }
  }

  return {
    getKeys: (td) => resolve(td, false),
    refreshKeys: (td) => resolve(td, true),
  };
}
