import type { SubjectResult } from './token-subject';
import type { TrustDomainKeys } from './types';

// Verified tokens, remembered by token. An ES256 verification costs ~0.6 ms of CPU here, the
// largest single cost of a decision, and an agent presents the same token on every call until
// it expires; decoding and checking its header and claims again costs more than the rest of a
// decision. So what depends only on the token and the trust domains is remembered: the trust
// domain it verified against, the verified claims and who they name. Time claims, audience and
// the identity/agent status are checked again on every call.
//
// An entry is bound to the exact trust-domain list it was verified against: the decision service
// builds new objects whenever a tenant's policy (keys included) changes, so any policy change
// (a key removed, an algorithm disallowed, a trust domain added) sends every token through full
// verification again. Entries also age out after maxAgeMs so a key removed from a remote JWKS
// stops vouching soon after.

export interface VerifiedToken {
  trustDomain: TrustDomainKeys;
  claims: Record<string, unknown>;
  who: SubjectResult;
}

interface Entry {
  trustDomains: readonly TrustDomainKeys[];
  verified: VerifiedToken;
  at: number;
}

export class SignatureCache {
  private entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 20_000,
    private readonly maxAgeMs = 60_000,
  ) {}

  get(token: string, trustDomains: readonly TrustDomainKeys[], now: number): VerifiedToken | undefined {
    const e = this.entries.get(token);
    if (!e) return undefined;
    if (e.trustDomains !== trustDomains || now - e.at > this.maxAgeMs) {
      this.entries.delete(token);
      return undefined;
    }
    return e.verified;
  }

  set(token: string, trustDomains: readonly TrustDomainKeys[], verified: VerifiedToken, now: number): void {
    if (this.entries.size >= this.maxEntries) {
      // Map iterates in insertion order: drop the oldest tenth in one go
      let drop = Math.ceil(this.maxEntries / 10);
      for (const k of this.entries.keys()) {
        if (drop-- <= 0) break;
        this.entries.delete(k);
      }
    }
    this.entries.set(token, { trustDomains, verified, at: now });
  }

  get size(): number {
    return this.entries.size;
  }
}
