import type { TrustDomainKeys } from './types';

// Verified signatures, remembered by token. An ES256 verification costs ~0.6 ms of CPU here,
// the largest single cost of a decision, and an agent presents the same token on every call
// until it expires. Only the signature is remembered: time claims, audience, subject and the
// identity/agent status are checked again on every call.
//
// An entry is bound to the exact TrustDomainKeys object it was verified against: the decision
// service builds new objects whenever a tenant's policy (keys included) changes, so editing a
// trust domain's keys invalidates every entry verified with the old ones. Entries also age out
// after maxAgeMs so a key removed from a remote JWKS stops vouching soon after.

interface Entry {
  trustDomain: TrustDomainKeys;
  payload: Record<string, unknown>;
  at: number;
}

export class SignatureCache {
  private entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 20_000,
    private readonly maxAgeMs = 60_000,
  ) {}

  get(token: string, trustDomain: TrustDomainKeys, now: number): Record<string, unknown> | undefined {
    const e = this.entries.get(token);
    if (!e) return undefined;
    if (e.trustDomain !== trustDomain || now - e.at > this.maxAgeMs) {
      this.entries.delete(token);
      return undefined;
    }
    return e.payload;
  }

  set(token: string, trustDomain: TrustDomainKeys, payload: Record<string, unknown>, now: number): void {
    if (this.entries.size >= this.maxEntries) {
      // Map iterates in insertion order: drop the oldest tenth in one go
      let drop = Math.ceil(this.maxEntries / 10);
      for (const k of this.entries.keys()) {
        if (drop-- <= 0) break;
        this.entries.delete(k);
      }
    }
    this.entries.set(token, { trustDomain, payload, at: now });
  }

  get size(): number {
    return this.entries.size;
  }
}
