// The grants as decide() reads them: one flat table of 8-byte records instead of a Map per tool
// and an object per grant.
//
// Why: with 100,000 grants a decision is bound by memory latency, not by work. The object layout
// (a Map per tool, its buckets and entries, a CompiledGrant per grant, a boxed number for its end
// time) spread the hot data over tens of megabytes, and each decision waited on several cache
// misses in a row. Here a decision on a pair first asks a small Bloom filter (most pairs without
// a grant stop there), then reads one record, found by hashing the agent's number inside its
// tool's region of the table, and at most two more values (the end time and the grant id) at the
// same index, which the CPU can fetch in parallel. At 100,000 grants the records take 1.1 MB:
// the smaller the table, the more of it stays in the CPU caches (16-byte records, with the chain
// link inline, and regions sized to powers of two, at most half full, each measured a few per
// cent slower at 100,000 grants).
//
// Grants with a rarer constraint (a start time, delegation rules, a condition, a use limit, an
// end time that is not a number) carry the COLD bit: decide() then checks the whole
// CompiledGrant, exactly as before, and the record only saves it the lookup.

import type { CompiledGrant } from './compile';
import type { GlobMatcher } from './glob';

/** Int32 words per record */
export const RECORD_WORDS = 2;
/** agent number + 1; 0 marks an empty slot */
export const AGENT = 0;
/** the grant, packed: actions, flags, resource matcher and environment constraint (below) */
export const BITS = 1;

export const ACTION_MASK = 0xf;
/** the grant has an end time, in `times` at the record's number */
export const HAS_EXPIRY = 1 << 4;
/** check the CompiledGrant instead of the record: see the file comment */
export const COLD = 1 << 5;
/** the agent has another grant on the tool: its record is in `next` at this record's number */
export const MORE = 1 << 6;
/** resource matcher + 1 (0: any resource) in bits 7–19 */
export const RESOURCE_SHIFT = 7;
export const RESOURCE_MASK = 0x1fff;
/** environment constraint + 1 (0: any environment) in bits 20–31 */
export const ENVIRONMENT_SHIFT = 20;
/** A snapshot with more distinct matchers or environment lists than fit: those grants go COLD. */
const MAX_RESOURCES = RESOURCE_MASK;
const MAX_ENVIRONMENTS = 0xfff;

export interface GrantTable {
  readonly words: Int32Array;
  /**
   * A blocked Bloom filter over (tool, agent) pairs holding a record, 16 bits per pair: most
   * pairs without a grant are answered from it (about 200 KB at 100,000 grants, so it stays in
   * the cache) without touching the table. A set filter bit only means "look in the table".
   */
  readonly filter: Int32Array;
  /** 32 − log2(filter words) */
  readonly filterShift: number;
  /** by record, when it has MORE: the next grant of the same agent on the same tool, in snapshot order */
  readonly next: Int32Array;
  /** end times, by record (NaN where there is none) */
  readonly times: Float64Array;
  /** grant ids, by record: read beside the record, not through the grant object */
  readonly ids: readonly string[];
  /** the full compiled grants, by record (null in empty slots): for COLD grants and explanations */
  readonly grants: readonly (CompiledGrant | null)[];
  /** interned resource matchers, numbered from 1 in BITS */
  readonly resources: readonly GlobMatcher[];
  /** interned environment constraints (one as a string, several as a list), numbered from 1 */
  readonly environments: readonly (string | readonly string[])[];
}

/**
 * A tool's region of the table: open addressing with linear probing over `last + 1` records
 * from `base`, at most 70 % full. Eight records share a cache line, so the few extra probes
 * of a fuller table mostly stay in the line already fetched.
 */
export interface ToolSlots {
  /** -1 when no grant on the tool can allow */
  readonly base: number;
  /** the region's last slot, counted from `base` */
  readonly last: number;
  /** region size / 2^32: maps a 32-bit hash onto the region without a power-of-two size */
  readonly scale: number;
}

export const NO_SLOTS: ToolSlots = { base: -1, last: 0, scale: 0 };

const MAX_LOAD = 0.7;

/**
 * Fibonacci hashing (agent numbers are dense: 0, 1, 2, …; this spreads neighbours apart), then
 * scaled onto the region.
 */
function home(key: number, scale: number): number {
  return Math.floor((Math.imul(key, 0x9e3779b1) >>> 0) * scale);
}

/** The filter's hash of a pair: the tool is known by its region's base, unique per tool. */
function pairHash(base: number, agent: number): number {
  let h = Math.imul(agent + 1, 0x9e3779b1) ^ base;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** Both bits of a pair in one 32-bit word: one memory access per check. */
function filterBits(h: number): number {
  return (1 << (h & 31)) | (1 << ((h >>> 5) & 31));
}

/** The record of an agent's first grant on a tool, or -1. `agent` is the agent's number. */
export function firstRecord(table: GrantTable, tool: ToolSlots, agent: number): number {
  const h = pairHash(tool.base, agent);
  const bits = filterBits(h);
  if ((table.filter[h >>> table.filterShift]! & bits) !== bits) return -1;
  const words = table.words;
  const key = agent + 1;
  const { base, last } = tool;
  for (let s = home(key, tool.scale); ; s = s === last ? 0 : s + 1) {
    const k = words[(base + s) * RECORD_WORDS + AGENT]!;
    if (k === key) return base + s;
    if (k === 0) return -1;
  }
}

/**
 * Builds the table from each tool's grants by agent number (each list in snapshot order).
 * Returns the table and each tool's region, in the order of `tools`.
 */
export function buildGrantTable(
  tools: readonly ReadonlyMap<number, readonly CompiledGrant[]>[],
): { table: GrantTable; slots: ToolSlots[] } {
  const slots: ToolSlots[] = [];
  let size = 0;
  let overflow = 0;
  let pairs = 0;
  for (const byAgent of tools) {
    if (byAgent.size === 0) {
      slots.push(NO_SLOTS);
      continue;
    }
    // Always one empty slot at least: a lookup of an absent agent stops there.
    const regionSize = Math.max(byAgent.size + 1, Math.ceil(byAgent.size / MAX_LOAD));
    slots.push({ base: size, last: regionSize - 1, scale: regionSize / 2 ** 32 });
    size += regionSize;
    pairs += byAgent.size;
    for (const list of byAgent.values()) overflow += list.length - 1;
  }

  const n = size + overflow;
  const words = new Int32Array(n * RECORD_WORDS);
  const nextOf = new Int32Array(n).fill(-1);
  const times = new Float64Array(n).fill(Number.NaN);
  const ids = new Array<string>(n).fill('');
  const grants = new Array<CompiledGrant | null>(n).fill(null);
  // At least 2 words: a shift of 32 would be a shift of 0 in JavaScript.
  let filterBitsLog = 1;
  while (1 << (filterBitsLog + 5) < pairs * 16) filterBitsLog++;
  const filter = new Int32Array(1 << filterBitsLog);
  const filterShift = 32 - filterBitsLog;
  const resources = new Interned<GlobMatcher>();
  const environments = new Interned<string | readonly string[]>();

  const write = (record: number, agent: number, g: CompiledGrant) => {
    const at = record * RECORD_WORDS;
    const resource = g.resources === null ? 0 : resources.number(g.resources);
    const environment = g.environments === null ? 0 : environments.number(g.environments);
    // Only plain numbers go into the record: anything else is checked on the full grant.
    const cold =
      g.notBefore !== null ||
      (g.expiresAt !== null && typeof g.expiresAt !== 'number') ||
      g.delegation !== 'allowed' ||
      g.delegationUsers !== null ||
      g.condition !== null ||
      g.maxUses !== null ||
      resource > MAX_RESOURCES ||
      environment > MAX_ENVIRONMENTS;
    words[at + AGENT] = agent + 1;
    words[at + BITS] =
      (g.actionMask & ACTION_MASK) |
      (g.expiresAt !== null ? HAS_EXPIRY : 0) |
      (cold ? COLD : (resource << RESOURCE_SHIFT) | (environment << ENVIRONMENT_SHIFT));
    if (typeof g.expiresAt === 'number') times[record] = g.expiresAt;
    ids[record] = g.id;
    grants[record] = g;
  };

  let next = size;
  tools.forEach((byAgent, t) => {
    const { base, last, scale } = slots[t]!;
    for (const [agent, list] of byAgent) {
      let s = home(agent + 1, scale);
      while (words[(base + s) * RECORD_WORDS + AGENT] !== 0) s = s === last ? 0 : s + 1;
      let record = base + s;
      const h = pairHash(base, agent);
      filter[h >>> filterShift]! |= filterBits(h);
      write(record, agent, list[0]!);
      for (let i = 1; i < list.length; i++) {
        words[record * RECORD_WORDS + BITS]! |= MORE;
        nextOf[record] = next;
        record = next++;
        write(record, agent, list[i]!);
      }
    }
  });

  return { table: { words, filter, filterShift, next: nextOf, times, ids, grants, resources: resources.values, environments: environments.values }, slots };
}

/** Numbers values by identity from 1 (SharedParts already gives equal patterns one object). */
class Interned<V> {
  readonly values: V[] = [];
  private readonly numbers = new Map<V, number>();
  number(value: V): number {
    let n = this.numbers.get(value);
    if (n === undefined) {
      this.values.push(value);
      this.numbers.set(value, (n = this.values.length));
    }
    return n;
  }
}
