// compile() turns snapshot data into an index once, so that decide() only does hash lookups and
// never scans grants or deny rules of other agents and tools. The grants that can allow go into
// the flat table of grant-table.ts, so that a decision at 100,000 grants touches little memory.

import { compileCondition, type CompiledCondition } from './condition';
import { toolSentences, type ToolSentences } from './explain';
import { compileGlob, compileGlobs, type GlobMatcher } from './glob';
import { buildGrantTable, NO_SLOTS, type GrantTable, type ToolSlots } from './grant-table';
import type {
  Action,
  DelegationMode,
  GrantKind,
  PolicyData,
  PolicyDenyRule,
  PolicyGrant,
  PolicyTool,
} from './types';

export interface CompiledTool {
  readonly tool: PolicyTool;
  /** high and critical tools never accept standing grants */
  readonly elevatedOnly: boolean;
  readonly sentences: ToolSentences;
  /** where the grant table keeps the grants that can allow on this tool (its row or region), by agent number */
  readonly grantSlots: ToolSlots;
  /** agents whose standing grants were left out because the tool is high or critical risk */
  readonly standingIgnoredFor: ReadonlySet<string>;
  /** deny rules naming this tool and one agent */
  readonly denyByAgent: ReadonlyMap<string, readonly CompiledDenyRule[]>;
  /** deny rules naming this tool for every agent */
  readonly denyAllAgents: readonly CompiledDenyRule[];
}

export interface CompiledGrant {
  readonly grant: PolicyGrant;
  readonly id: string;
  readonly kind: GrantKind;
  readonly actionMask: number;
  /** null when any resource is fine, including a call that names none */
  readonly resources: GlobMatcher | null;
  /**
   * null when any environment is fine, including a call that names none; a lone environment is
   * kept as a plain string, the common case, to save the array on the hot path
   */
  readonly environments: string | readonly string[] | null;
  readonly notBefore: number | null;
  readonly expiresAt: number | null;
  readonly maxUses: number | null;
  readonly uses: number;
  readonly delegation: DelegationMode;
  readonly delegationUsers: readonly string[] | null;
  readonly condition: CompiledCondition | null;
}

export interface CompiledDenyRule {
  readonly rule: PolicyDenyRule;
  /**
   * Lower-cased, unlike grant patterns: a deny rule must not be sidestepped by changing the case
   * of a resource or environment, whereas a grant must never cover more than it spells out.
   */
  readonly resource: GlobMatcher | null;
  readonly environment: string | null;
}

export interface PolicyIndex {
  /**
   * serverId → tool name → tool. Nested maps rather than one map on a joined key: the hot path
   * then hashes the request's strings as they are instead of building a key per lookup, and
   * each agent's grants sit with their tool (see CompiledTool): the work per decision does not
   * depend on how many grants the snapshot holds.
   */
  readonly toolsByServer: ReadonlyMap<string, ReadonlyMap<string, CompiledTool>>;
  /**
   * agent id → agent number, for the agents holding a grant that can allow. One small map for
   * every tool (it stays in the cache), where a map per tool would be cold at 100,000 grants.
   */
  readonly agentNumbers: ReadonlyMap<string, number>;
  /** the grants that can allow, as flat records (see grant-table.ts) */
  readonly grants: GrantTable;
  /** deny rules naming one agent for every tool */
  readonly denyByAgent: ReadonlyMap<string, readonly CompiledDenyRule[]>;
  /** deny rules naming neither agent nor tool */
  readonly denyGlobal: readonly CompiledDenyRule[];
}

/** read → 1, write → 2, admin → 4, export → 8, anything else → 0 (never granted) */
export function actionBit(action: Action | string): number {
  switch (action) {
    case 'read':
      return 1;
    case 'write':
      return 2;
    case 'admin':
      return 4;
    case 'export':
      return 8;
    default:
      return 0;
  }
}

/** The position of a known action in ACTIONS, from its bit. */
export function actionIndex(bit: number): number {
  return 31 - Math.clz32(bit);
}

function isElevatedOnly(tool: PolicyTool): boolean {
  // Only the two known lower risks accept standing grants: a risk the engine does not know (data
  // from a corrupt or tampered snapshot) gets the strictest treatment rather than none.
  return tool.risk !== 'low' && tool.risk !== 'medium';
}

const GRANT_KINDS: ReadonlySet<string> = new Set<GrantKind>(['standing', 'jit', 'break_glass']);
const DELEGATION_MODES: ReadonlySet<string> = new Set<DelegationMode>(['required', 'allowed', 'forbidden']);

/**
 * Compiled pieces that many grants share (the same resource patterns, environments or
 * delegation users) are built once: with 100,000 grants the hot path then touches one shared,
 * cache-resident matcher instead of a cold copy per grant.
 */
class SharedParts {
  private readonly globs = new Map<string, GlobMatcher>();
  private readonly lists = new Map<string, readonly string[]>();
  glob(patterns: readonly string[]): GlobMatcher {
    const key = patterns.join('\u0000');
    let m = this.globs.get(key);
    if (m === undefined) this.globs.set(key, (m = compileGlobs(patterns)));
    return m;
  }
  list(values: readonly string[]): readonly string[] {
    const key = values.join('\u0000');
    let l = this.lists.get(key);
    if (l === undefined) this.lists.set(key, (l = Object.freeze([...values])));
    return l;
  }
}

function compileGrant(g: PolicyGrant, conditionOf: (source: string) => CompiledCondition, shared: SharedParts): CompiledGrant {
  let actionMask = 0;
  for (const a of g.actions) actionMask |= actionBit(a);
  // `*` alone covers every resource, so a grant listing it is unrestricted.
  const unrestricted = g.resourcePatterns.length === 0 || g.resourcePatterns.includes('*');
  return {
    grant: g,
    id: g.id,
    kind: g.kind,
    actionMask,
    resources: unrestricted ? null : shared.glob(g.resourcePatterns),
    environments:
      g.environments.length === 0 ? null : g.environments.length === 1 ? g.environments[0]! : shared.list(g.environments),
    notBefore: g.notBefore,
    expiresAt: g.expiresAt,
    maxUses: g.maxUses,
    uses: g.uses,
    delegation: g.delegation,
    delegationUsers: g.delegationUsers.length === 0 ? null : shared.list(g.delegationUsers),
    condition: g.condition === null ? null : conditionOf(g.condition),
  };
}

function compileDenyRule(rule: PolicyDenyRule): CompiledDenyRule {
  return {
    rule,
    resource: rule.resourcePattern === null ? null : compileGlob(rule.resourcePattern.toLowerCase()),
    environment: rule.environment === null ? null : rule.environment.toLowerCase(),
  };
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

interface MutableTool extends CompiledTool {
  grantSlots: ToolSlots;
  readonly standingIgnoredFor: Set<string>;
  readonly denyByAgent: Map<string, CompiledDenyRule[]>;
  readonly denyAllAgents: CompiledDenyRule[];
}

export function compile(data: PolicyData): PolicyIndex {
  const toolsByServer = new Map<string, Map<string, CompiledTool>>();
  const toolsById = new Map<string, MutableTool>();
  // tool → agent number → the agent's grants on the tool that can allow, in snapshot order
  const grantsOf = new Map<MutableTool, Map<number, CompiledGrant[]>>();
  for (const tool of data.tools) {
    const compiled: MutableTool = {
      tool,
      elevatedOnly: isElevatedOnly(tool),
      sentences: toolSentences(tool),
      grantSlots: NO_SLOTS,
      standingIgnoredFor: new Set(),
      denyByAgent: new Map(),
      denyAllAgents: [],
    };
    let byName = toolsByServer.get(tool.serverId);
    if (!byName) toolsByServer.set(tool.serverId, (byName = new Map()));
    byName.set(tool.name, compiled);
    toolsById.set(tool.id, compiled);
    grantsOf.set(compiled, new Map());
  }

  // Conditions are often copied between grants; compile each distinct expression once.
  const conditions = new Map<string, CompiledCondition>();
  const conditionOf = (source: string): CompiledCondition => {
    let c = conditions.get(source);
    if (!c) {
      c = compileCondition(source);
      conditions.set(source, c);
    }
    return c;
  };

  const shared = new SharedParts();
  const agentNumbers = new Map<string, number>();
  for (const g of data.grants) {
    if (g.revokedAt !== null) continue;
    // A kind or delegation mode outside the model cannot be checked, so the grant cannot allow
    // (an unknown kind would otherwise pass as just-in-time on a critical tool).
    if (!GRANT_KINDS.has(g.kind) || !DELEGATION_MODES.has(g.delegation)) continue;
    // A grant on a tool missing from the snapshot can never be reached: tool lookup fails first.
    const tool = toolsById.get(g.toolId);
    if (!tool) continue;
    if (tool.elevatedOnly && g.kind === 'standing') {
      tool.standingIgnoredFor.add(g.agentId);
    } else {
      let agent = agentNumbers.get(g.agentId);
      if (agent === undefined) agentNumbers.set(g.agentId, (agent = agentNumbers.size));
      const compiled = compileGrant(g, conditionOf, shared);
      const byAgent = grantsOf.get(tool)!;
      const list = byAgent.get(agent);
      if (list) list.push(compiled);
      else byAgent.set(agent, [compiled]);
    }
  }
  const tools = [...grantsOf.keys()];
  const { table: grants, slots } = buildGrantTable(tools.map((t) => grantsOf.get(t)!), agentNumbers.size);
  tools.forEach((t, i) => (t.grantSlots = slots[i]!));

  const denyByAgent = new Map<string, CompiledDenyRule[]>();
  const denyGlobal: CompiledDenyRule[] = [];
  for (const rule of data.denyRules) {
    const compiled = compileDenyRule(rule);
    if (rule.toolId !== null) {
      const tool = toolsById.get(rule.toolId);
      if (!tool) continue;
      if (rule.agentId !== null) push(tool.denyByAgent, rule.agentId, compiled);
      else tool.denyAllAgents.push(compiled);
    } else if (rule.agentId !== null) push(denyByAgent, rule.agentId, compiled);
    else denyGlobal.push(compiled);
  }

  return { toolsByServer, agentNumbers, grants, denyByAgent, denyGlobal };
}
