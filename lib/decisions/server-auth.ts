import { AppError } from '../errors';
import { pgPool } from '../db/pool';
import { parseServerKey, secretMatches } from '../servers/key-format';
import type { PolicyCache } from './policy-cache';
import type { ServerRecord, TenantSnapshot } from './snapshot-types';

// Authenticates an enforcement point by its twk_ key. Keys are cached by id; a tenant's policy
// version change (which every key revocation causes) drops its cached keys, so a revoked key
// stops working within one poll interval.

export interface AuthenticatedServer {
  tenantId: string;
  serverId: string;
  keyId: string;
  /** the tenant's current policy snapshot and the server's record in it (active) */
  snapshot: TenantSnapshot;
  server: ServerRecord;
}

interface CachedKey {
  tenantId: string;
  serverId: string;
  /** SHA-256 of the secret, decoded once from the stored hex */
  secretHash: Buffer;
  expiresAt: number | null;
  revokedAt: number | null;
  version: bigint;
  lastUsedWrite: number;
}

const invalidKey = () => new AppError('server_key_invalid', 'Missing, invalid, expired or revoked server key');
const NEGATIVE_TTL_MS = 1_000;
const LAST_USED_EVERY_MS = 60_000;

export class ServerKeyAuth {
  private keys = new Map<string, CachedKey>();
  private unknown = new Map<string, number>();

  constructor(private readonly cache: PolicyCache) {
    cache.onChange((tenantId) => {
      for (const [id, k] of this.keys) if (k.tenantId === tenantId) this.keys.delete(id);
    });
  }

  async authenticate(raw: string | null): Promise<AuthenticatedServer> {
    const parsed = parseServerKey(raw);
    if (!parsed) throw invalidKey();
    const now = Date.now();
    let key = this.keys.get(parsed.keyId);
    if (key && key.version < this.cache.version(key.tenantId)) key = undefined;
    if (!key) {
      if ((this.unknown.get(parsed.keyId) ?? 0) > now) throw invalidKey();
      key = await this.load(parsed.keyId);
      if (!key) {
        if (this.unknown.size > 10_000) this.unknown.clear();
        this.unknown.set(parsed.keyId, now + NEGATIVE_TTL_MS);
        throw invalidKey();
      }
      this.keys.set(parsed.keyId, key);
    }
    if (!secretMatches(parsed.secret, key.secretHash)) throw invalidKey();
    if (key.revokedAt !== null || (key.expiresAt !== null && key.expiresAt <= now)) throw invalidKey();
    if (now - key.lastUsedWrite > LAST_USED_EVERY_MS) {
      key.lastUsedWrite = now;
      pgPool().query('UPDATE "ServerKey" SET "lastUsedAt" = now() WHERE id = $1', [parsed.keyId]).catch(() => {});
    }
    // A disabled (or deleted) server's keys stop working with it, on every endpoint.
    const snapshot = await this.cache.get(key.tenantId);
    const server = snapshot.servers.get(key.serverId);
    if (!server || server.status !== 'active') throw invalidKey();
    return { tenantId: key.tenantId, serverId: key.serverId, keyId: parsed.keyId, snapshot, server };
  }

  private async load(keyId: string): Promise<CachedKey | undefined> {
    let rows;
    try {
      ({ rows } = await pgPool().query<{ tenantId: string; serverId: string; secretHash: string; expiresAt: Date | null; revokedAt: Date | null }>(
        'SELECT "tenantId", "serverId", "secretHash", "expiresAt", "revokedAt" FROM "ServerKey" WHERE id = $1',
        [keyId],
      ));
    } catch {
      throw new AppError('unavailable', 'Cannot verify the server key right now; fail closed.');
    }
    const r = rows[0];
    if (!r) return undefined;
    return {
      tenantId: r.tenantId,
      serverId: r.serverId,
      secretHash: Buffer.from(r.secretHash, 'hex'),
      expiresAt: r.expiresAt?.getTime() ?? null,
      revokedAt: r.revokedAt?.getTime() ?? null,
      version: this.cache.version(r.tenantId),
      lastUsedWrite: 0,
    };
  }
}
