// compile() turns snapshot data into an index once, so that decide() only does hash lookups and
// never scans grants or deny rules of other agents and tools.

import { compileCondition, type CompiledCondition } from './condition';
import { compileGlob, type GlobMatcher } from './glob';
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
}

export interface CompiledGrant {
  readonly grant: PolicyGrant;
  readonly id: string;
  readonly kind: GrantKind;
  readonly actionMask: number;
  /** null when any resource is fine, including a call that names none */
  readonly resources: readonly GlobMatcher[] | null;
  /** null when any environment is fine, including a call that names none */
  readonly environments: readonly string[] | null;
  readonly notBefore: number | null;
  readonly expiresAt: number | null;
  readonly maxUses: number | null;
  readonly uses: number;
  readonly delegation: DelegationMode;
  readonly delegationUsers: readonly string[] | null;
  readonly condition: CompiledCondition | null;
}

export interface GrantSet {
  /** the grants that can allow, in snapshot order */
  readonly candidates: readonly CompiledGrant[];
  /** standing grants that exist but do not count because the tool is high or critical risk */
  readonly ignoredStanding: number;
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

export interface DenyIndex {
  readonly byAgentAndTool: ReadonlyMap<string, readonly CompiledDenyRule[]>;
  readonly byAgent: ReadonlyMap<string, readonly CompiledDenyRule[]>;
  readonly byTool: ReadonlyMap<string, readonly CompiledDenyRule[]>;
  readonly global: readonly CompiledDenyRule[];
}

export interface PolicyIndex {
  /** key: `${serverId}\u0000${name}` */
  readonly tools: ReadonlyMap<string, CompiledTool>;
  /** key: `${agentId}\u0000${toolId}`; revoked grants are left out */
  readonly grants: ReadonlyMap<string, GrantSet>;
  readonly deny: DenyIndex;
}

// NUL cannot appear in identifiers or MCP tool names, so the joined key is unambiguous.
export const KEY_SEPARATOR = '\u0000';

export function toolKey(serverId: string, name: string): string {
  return serverId + KEY_SEPARATOR + name;
}

export function grantKey(agentId: string, toolId: string): string {
  return agentId + KEY_SEPARATOR + toolId;
}

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
      // An action the engine does not know is never granted.
      return 0;
  }
}

function isElevatedOnly(tool: PolicyTool): boolean {
  return tool.risk === 'high' || tool.risk === 'critical';
}

function compileGrant(g: PolicyGrant, conditionOf: (source: string) => CompiledCondition): CompiledGrant {
  let actionMask = 0;
  for (const a of g.actions) actionMask |= actionBit(a);
  // `*` alone covers every resource, so a grant listing it is unrestricted.
  const unrestricted = g.resourcePatterns.length === 0 || g.resourcePatterns.includes('*');
  return {
    grant: g,
    id: g.id,
    kind: g.kind,
    actionMask,
    resources: unrestricted ? null : g.resourcePatterns.map(compileGlob),
    environments: g.environments.length === 0 ? null : [...g.environments],
    notBefore: g.notBefore,
    expiresAt: g.expiresAt,
    maxUses: g.maxUses,
    uses: g.uses,
    delegation: g.delegation,
    delegationUsers: g.delegationUsers.length === 0 ? null : [...g.delegationUsers],
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

export function compile(data: PolicyData): PolicyIndex {
  const tools = new Map<string, CompiledTool>();
  const toolsById = new Map<string, CompiledTool>();
  for (const tool of data.tools) {
    const compiled: CompiledTool = { tool, elevatedOnly: isElevatedOnly(tool) };
    tools.set(toolKey(tool.serverId, tool.name), compiled);
    toolsById.set(tool.id, compiled);
  }

  const candidates = new Map<string, CompiledGrant[]>();
  const ignored = new Map<string, number>();
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
  for (const g of data.grants) {
    if (g.revokedAt !== null) continue;
    const key = grantKey(g.agentId, g.toolId);
    // A grant whose tool is absent from the snapshot is kept: it is harmless (the tool lookup
    // fails first) and the tool may be classified in the next snapshot.
    const tool = toolsById.get(g.toolId);
    if (tool?.elevatedOnly && g.kind === 'standing') {
      ignored.set(key, (ignored.get(key) ?? 0) + 1);
      if (!candidates.has(key)) candidates.set(key, []);
      continue;
    }
    push(candidates, key, compileGrant(g, conditionOf));
  }
  const grants = new Map<string, GrantSet>();
  for (const [key, list] of candidates) {
    grants.set(key, { candidates: list, ignoredStanding: ignored.get(key) ?? 0 });
  }

  const byAgentAndTool = new Map<string, CompiledDenyRule[]>();
  const byAgent = new Map<string, CompiledDenyRule[]>();
  const byTool = new Map<string, CompiledDenyRule[]>();
  const global: CompiledDenyRule[] = [];
  for (const rule of data.denyRules) {
    const compiled = compileDenyRule(rule);
    if (rule.agentId !== null && rule.toolId !== null) {
      push(byAgentAndTool, grantKey(rule.agentId, rule.toolId), compiled);
    } else if (rule.agentId !== null) push(byAgent, rule.agentId, compiled);
    else if (rule.toolId !== null) push(byTool, rule.toolId, compiled);
    else global.push(compiled);
  }

  return { tools, grants, deny: { byAgentAndTool, byAgent, byTool, global } };
}
