import { stableHash } from './stable-hash.js';
import type { Check, ToolDecision } from './types.js';

// Reuse of allow answers within the `cacheTtlSeconds` the API grants. The key covers everything
// the answer depended on: the token (hashed, so the map holds no credentials as keys), tool,
// action, resource, and the context including the arguments. An entry also ends with the token
// (its `exp`), and every policy change drops them all (clear()).

interface Entry {
  decision: ToolDecision;
  until: number;
}

export function decisionCacheKey(token: string, check: Check): string {
  return stableHash([token, check.tool, check.action ?? null, check.resource ?? null, check.context ?? null]);
}

export class DecisionCache {
  private entries = new Map<string, Entry>();
  private gen = 0;

  constructor(
    private readonly maxEntries: number = 10_000,
    private readonly maxTtlSeconds: number = 60,
    private readonly now: () => number = Date.now,
  ) {}

  /** bumped by clear(): an answer requested before a policy change must not be stored after it */
  get generation(): number {
    return this.gen;
  }

  get(key: string): ToolDecision | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.now() >= entry.until) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.decision;
  }

  /**
   * Stores an allow for min(its cacheTtlSeconds, maxTtlSeconds, the token's remaining lifetime).
   * Denies, zero TTLs and answers from an older generation are not stored.
   */
  set(key: string, decision: ToolDecision, generation: number, tokenExpiresAtMs: number | null): void {
    if (!decision.allow || decision.cacheTtlSeconds <= 0 || generation !== this.gen) return;
    const now = this.now();
    let until = now + Math.min(decision.cacheTtlSeconds, this.maxTtlSeconds) * 1000;
    if (decision.expiresAt !== null) until = Math.min(until, Date.parse(decision.expiresAt));
    if (tokenExpiresAtMs !== null) until = Math.min(until, tokenExpiresAtMs);
    if (!(until > now)) return;
    if (this.entries.size >= this.maxEntries) {
      // insertion order: drop the oldest tenth in one go rather than one per insert
      let drop = Math.max(1, Math.ceil(this.maxEntries / 10));
      for (const k of this.entries.keys()) {
        if (drop-- <= 0) break;
        this.entries.delete(k);
      }
    }
    this.entries.delete(key);
    this.entries.set(key, { decision, until });
  }

  clear(): void {
    this.gen++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
