// The grants as decide() reads them: flat typed arrays instead of a Map per tool and an object
// per grant.
//
// Why: with 100,000 grants a decision is bound by memory latency, not by work. The object layout
// (a Map per tool, its buckets and entries, a CompiledGrant per grant, a boxed number for its end
// time) spread the hot data over tens of megabytes, and each decision waited on several cache
// misses in a row. Here the grants that can allow are numbered records: a packed word in `bits`,
// and the end time and grant id in arrays at the same number, which the CPU fetches in parallel.
//
// A decision finds the record of its (tool, agent) pair in one of two ways, chosen per snapshot:
//
// - Dense (the usual case): every tool with grants has a row of one bit per numbered agent. A
//   pair's bit says whether it holds a grant, and the number of set bits before it is its record
//   (a rank directory: each 32-bit word of bits is followed by the count of bits set before it).
//   At 100,000 grants on 1,000 agents × 200 tools the directory is 49 KB, so it stays in the
//   cache, and the one load that usually misses is the record itself. The records are dense too
//   (4 bytes each, 400 KB at 100,000 grants). This replaced an open-addressed table behind a
//   Bloom filter, which cost a filter word, then the record line, each a likely miss.
// - Sparse, when the rows would take far more bits than there are pairs (many agents and many
//   tools, few grants each): the directory would then be mostly zeros, so each tool instead owns
//   a region of an open-addressed `keys` table behind a small Bloom filter, and the records are
//   numbered by slot.
//
// Grants with a rarer constraint (a start time, delegation rules, a condition, a use limit, an
// end time that is not a number) carry the COLD bit: decide() then checks the whole
// CompiledGrant, exactly as before, and the record only saves it the lookup.

import type { CompiledGrant } from './compile';
import type { GlobMatcher } from './glob';

// The record's packed word (`bits`):
const ACTION_MASK = 0xf;
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
  /** the dense layout (rank directory) rather than the sparse one (keys and filter) */
  readonly dense: boolean;
  /**
   * Dense: per 32 pairs, two words: which of them hold a grant (bit i for pair 32·w + i), then
   * how many pairs before them do. Both words of a pair sit in the same cache line.
   */
  readonly directory: Int32Array;
  /** Sparse: agent number + 1 by slot (0: empty), one open-addressed region per tool */
  readonly keys: Int32Array;
  /**
   * Sparse: a blocked Bloom filter over (tool, agent) pairs holding a record, 16 bits per pair:
   * most pairs without a grant are answered from it without touching `keys`. A set filter bit
   * only means "look in the table".
   */
  readonly filter: Int32Array;
  /** 32 − log2(filter words) */
  readonly filterShift: number;
  /** the grant, packed (actions, flags, resource matcher, environment), by record */
  readonly bits: Int32Array;
  /** by record, when it has MORE: the next grant of the same agent on the same tool, in snapshot order */
  readonly next: Int32Array;
  /** end times, by record (NaN where there is none) */
  readonly times: Float64Array;
  /** grant ids, by record: read beside the record, not through the grant object */
  readonly ids: readonly string[];
  /** the full compiled grants, by record (null in empty slots): for COLD grants and explanations */
  readonly grants: readonly (CompiledGrant | null)[];
  /** interned resource matchers, numbered from 1 in `bits` */
  readonly resources: readonly GlobMatcher[];
  /** interned environment constraints (one as a string, several as a list), numbered from 1 */
  readonly environments: readonly (string | readonly string[])[];
}

/**
 * Where a tool's grants are. Dense: its row starts at pair number `base`. Sparse: its region of
 * `keys` is `last + 1` slots from `base`, open-addressed with linear probing, at most 70 % full.
 */
export interface ToolSlots {
  /** -1 when no grant on the tool can allow */
  readonly base: number;
  /** sparse: the region's last slot, counted from `base` */
  readonly last: number;
  /** sparse: region size / 2^32: maps a 32-bit hash onto the region without a power-of-two size */
  readonly scale: number;
}

export const NO_SLOTS: ToolSlots = { base: -1, last: 0, scale: 0 };

const MAX_LOAD = 0.7;

/**
 * The dense layout is used while the directory takes at most 16 bytes per pair (64 bits, 2 words
 * per 32), or at most 64 KB whatever the pairs (a small snapshot: 100 grants on 100 agents × 80
 * tools take 2 KB). The sparse layout takes about 13 bytes per pair.
 */
const DENSE_BITS_PER_PAIR = 64;
const DENSE_BITS_ALWAYS = 1 << 18;

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

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
  if (table.dense) {
    const pair = tool.base + agent;
    const at = (pair >>> 5) << 1;
    const directory = table.directory;
    const word = directory[at]!;
    const bit = 1 << (pair & 31);
    if ((word & bit) === 0) return -1;
    // The grants of the pairs before this one in the word come first: (bit − 1) masks them.
    return directory[at + 1]! + popcount(word & (bit - 1));
  }
  const h = pairHash(tool.base, agent);
  const bits = filterBits(h);
  if ((table.filter[h >>> table.filterShift]! & bits) !== bits) return -1;
  const keys = table.keys;
  const key = agent + 1;
  const { base, last } = tool;
  for (let s = home(key, tool.scale); ; s = s === last ? 0 : s + 1) {
    const k = keys[base + s]!;
    if (k === key) return base + s;
    if (k === 0) return -1;
  }
}

/**
 * Builds the table from each tool's grants by agent number (each list in snapshot order), for
 * agents numbered from 0 to `agents` − 1. Returns the table and each tool's slots, in the order
 * of `tools`.
 */
export function buildGrantTable(
  tools: readonly ReadonlyMap<number, readonly CompiledGrant[]>[],
  agents: number,
): { table: GrantTable; slots: ToolSlots[] } {
  let pairs = 0;
  let overflow = 0;
  let rows = 0;
  for (const byAgent of tools) {
    if (byAgent.size > 0) rows++;
    pairs += byAgent.size;
    for (const list of byAgent.values()) overflow += list.length - 1;
  }
  // (Pair numbers stay below 2^31, so they are exact in the 32-bit arithmetic of firstRecord().)
  const dense = rows * agents <= Math.min(2 ** 31 - 1, Math.max(DENSE_BITS_ALWAYS, pairs * DENSE_BITS_PER_PAIR));

  const slots: ToolSlots[] = [];
  // the records before the overflow records of agents with several grants on a tool
  let first = 0;
  for (const byAgent of tools) {
    if (byAgent.size === 0) {
      slots.push(NO_SLOTS);
    } else if (dense) {
      slots.push({ base: first, last: 0, scale: 0 });
      first += agents;
    } else {
      // Always one empty slot at least: a lookup of an absent agent stops there.
      const regionSize = Math.max(byAgent.size + 1, Math.ceil(byAgent.size / MAX_LOAD));
      slots.push({ base: first, last: regionSize - 1, scale: regionSize / 2 ** 32 });
      first += regionSize;
    }
  }

  let directory = new Int32Array(0);
  let keys = new Int32Array(0);
  let filter = new Int32Array(1);
  let filterShift = 31;
  if (dense) {
    const words = Math.ceil(first / 32);
    directory = new Int32Array(words * 2);
    tools.forEach((byAgent, t) => {
      for (const agent of byAgent.keys()) {
        const pair = slots[t]!.base + agent;
        directory[(pair >>> 5) << 1]! |= 1 << (pair & 31);
      }
    });
    let before = 0;
    for (let w = 0; w < words; w++) {
      directory[2 * w + 1] = before;
      before += popcount(directory[2 * w]!);
    }
    first = pairs;
  } else {
    keys = new Int32Array(first);
    // At least 2 words: a shift of 32 would be a shift of 0 in JavaScript.
    let filterBitsLog = 1;
    while (1 << (filterBitsLog + 5) < pairs * 16) filterBitsLog++;
    filter = new Int32Array(1 << filterBitsLog);
    filterShift = 32 - filterBitsLog;
  }

  const n = first + overflow;
  const bits = new Int32Array(n);
  const nextOf = new Int32Array(n).fill(-1);
  const times = new Float64Array(n).fill(Number.NaN);
  const ids = new Array<string>(n).fill('');
  const grants = new Array<CompiledGrant | null>(n).fill(null);
  const resources = new Interned<GlobMatcher>();
  const environments = new Interned<string | readonly string[]>();

  const write = (record: number, g: CompiledGrant) => {
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
    bits[record] =
      (g.actionMask & ACTION_MASK) |
      (g.expiresAt !== null ? HAS_EXPIRY : 0) |
      (cold ? COLD : (resource << RESOURCE_SHIFT) | (environment << ENVIRONMENT_SHIFT));
    if (typeof g.expiresAt === 'number') times[record] = g.expiresAt;
    ids[record] = g.id;
    grants[record] = g;
  };

  const table: GrantTable = {
    dense,
    directory,
    keys,
    filter,
    filterShift,
    bits,
    next: nextOf,
    times,
    ids,
    grants,
    resources: resources.values,
    environments: environments.values,
  };

  let next = first;
  tools.forEach((byAgent, t) => {
    const slot = slots[t]!;
    for (const [agent, list] of byAgent) {
      let record: number;
      if (dense) {
        record = firstRecord(table, slot, agent);
      } else {
        const { base, last, scale } = slot;
        let s = home(agent + 1, scale);
        while (keys[base + s] !== 0) s = s === last ? 0 : s + 1;
        record = base + s;
        keys[record] = agent + 1;
        const h = pairHash(base, agent);
        filter[h >>> filterShift]! |= filterBits(h);
      }
      write(record, list[0]!);
      for (let i = 1; i < list.length; i++) {
        bits[record]! |= MORE;
        nextOf[record] = next;
        record = next++;
        write(record, list[i]!);
      }
    }
  });

  return { table, slots };
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
