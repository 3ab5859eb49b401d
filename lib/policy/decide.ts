// decide(): the authorization answer for one tool call, from a compiled index. Pure: no I/O and
// no clock of its own (`now` comes from the caller), so the same inputs always give the same
// answer and the console's simulator shows exactly what the API would say.

import {
  actionBit,
  actionIndex,
  type CompiledDenyRule,
  type CompiledGrant,
  type CompiledTool,
  type PolicyIndex,
} from './compile';
import { conditionHolds } from './condition';
import { explainDeniedByRule, explainGrantFailure, explainToolUnknown, explainUnknownAction } from './explain';
import { matchGlob } from './glob';
import {
  COLD,
  ENVIRONMENT_SHIFT,
  firstRecord,
  HAS_EXPIRY,
  MORE,
  RESOURCE_MASK,
  RESOURCE_SHIFT,
  type GrantTable,
} from './grant-table';
import type { Action, AuthzReason, Decision, DecisionRequest } from './types';

/**
 * The longest an allow may be reused, even for a grant that never ends. Kept at one second:
 * a revocation must stop the next call within a second, including at an enforcement point
 * that caches answers (the SDK's remote mode).
 */
export const MAX_CACHE_TTL_SECONDS = 1;

type GrantFailure =
  | 'grant_not_yet_valid'
  | 'grant_expired'
  | 'action_not_granted'
  | 'resource_not_granted'
  | 'environment_not_granted'
  | 'delegation_required'
  | 'delegation_mismatch'
  | 'condition_failed'
  | 'grant_exhausted';

// How far through the checks a grant got before failing: with several grants, the one that got
// furthest gives the most specific explanation of what is missing.
const PROGRESS: Readonly<Record<GrantFailure, number>> = {
  grant_not_yet_valid: 0,
  grant_expired: 0,
  action_not_granted: 1,
  resource_not_granted: 2,
  environment_not_granted: 3,
  delegation_required: 4,
  delegation_mismatch: 4,
  condition_failed: 5,
  grant_exhausted: 6,
};

// Failures that only a new or wider grant can fix: on tools that need approval, the agent is
// told it can escalate. Delegation, conditions and not-yet-valid grants are fixed by the caller
// (or by waiting), not by an approver.
const ESCALATABLE: ReadonlySet<AuthzReason> = new Set<AuthzReason>([
  'grant_expired',
  'grant_exhausted',
  'action_not_granted',
  'resource_not_granted',
  'environment_not_granted',
]);

function deny(
  reason: AuthzReason,
  explanation: string,
  toolId: string | null,
  action: Action | null,
  grantId: string | null = null,
  approvalRequired = false,
): Decision {
  return {
    allow: false,
    reason,
    explanation,
    grantId,
    expiresAt: null,
    toolId,
    action,
    approvalRequired,
    consumesUse: false,
    cacheTtlSeconds: 0,
  };
}

function resourceMatches(m: CompiledDenyRule, req: DecisionRequest): boolean {
  if (m.resource === null) return true;
  // A call that names no resource may still touch the denied one: the rule applies.
  if (req.resource === undefined) return true;
  return matchGlob(m.resource, req.resource.toLowerCase());
}

function environmentMatches(m: CompiledDenyRule, req: DecisionRequest): boolean {
  if (m.environment === null) return true;
  if (req.environment === undefined) return true;
  return req.environment.toLowerCase() === m.environment;
}

function firstMatchingRule(
  rules: readonly CompiledDenyRule[] | undefined,
  req: DecisionRequest,
): CompiledDenyRule | null {
  if (rules === undefined) return null;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (resourceMatches(r, req) && environmentMatches(r, req)) return r;
  }
  return null;
}

function findDenyRule(index: PolicyIndex, tool: CompiledTool, req: DecisionRequest): CompiledDenyRule | null {
  return (
    (tool.denyByAgent.size > 0 ? firstMatchingRule(tool.denyByAgent.get(req.agentId), req) : null) ??
    (tool.denyAllAgents.length > 0 ? firstMatchingRule(tool.denyAllAgents, req) : null) ??
    (index.denyByAgent.size > 0 ? firstMatchingRule(index.denyByAgent.get(req.agentId), req) : null) ??
    (index.denyGlobal.length > 0 ? firstMatchingRule(index.denyGlobal, req) : null)
  );
}

function checkGrant(
  g: CompiledGrant,
  req: DecisionRequest,
  action: Action,
  bit: number,
  tool: CompiledTool,
  now: number,
): GrantFailure | null {
  // Written so that NaN (a bad date in a served snapshot, or a bad clock) fails closed: every
  // comparison with NaN is false, so `now >= NaN` would have made such a grant never expire.
  if (g.notBefore !== null && !(now >= g.notBefore)) return 'grant_not_yet_valid';
  if (g.expiresAt !== null && !(now < g.expiresAt)) return 'grant_expired';
  if ((g.actionMask & bit) === 0) return 'action_not_granted';
  if (g.resources !== null && (req.resource === undefined || !matchGlob(g.resources, req.resource))) {
    return 'resource_not_granted';
  }
  const envs = g.environments;
  if (envs !== null) {
    const env = req.environment;
    if (env === undefined || (typeof envs === 'string' ? envs !== env : !envs.includes(env))) {
      return 'environment_not_granted';
    }
  }
  const onBehalfOf = req.onBehalfOf;
  if (onBehalfOf === undefined) {
    if (g.delegation === 'required') return 'delegation_required';
  } else {
    if (g.delegation === 'forbidden') return 'delegation_mismatch';
    if (g.delegationUsers !== null && !g.delegationUsers.includes(onBehalfOf)) {
      return 'delegation_mismatch';
    }
  }
  if (g.condition !== null) {
    const bindings = {
      args: req.arguments ?? {},
      context: conditionContext(req, action, tool),
    };
    if (!conditionHolds(g.condition, bindings)) return 'condition_failed';
  }
  if (g.maxUses !== null && !(g.uses < g.maxUses)) return 'grant_exhausted';
  return null;
}

/**
 * checkGrant() for a grant without the COLD bit, from its record: its start time, delegation,
 * condition and uses cannot fail (see grant-table.ts), so the checks left are the same ones, in
 * the same order. The end time is checked by the caller, which also needs it for the answer.
 */
function checkRecord(table: GrantTable, bits: number, req: DecisionRequest, bit: number): GrantFailure | null {
  if ((bits & bit) === 0) return 'action_not_granted';
  const resources = (bits >>> RESOURCE_SHIFT) & RESOURCE_MASK;
  if (resources !== 0 && (req.resource === undefined || !matchGlob(table.resources[resources - 1]!, req.resource))) {
    return 'resource_not_granted';
  }
  const environments = bits >>> ENVIRONMENT_SHIFT;
  if (environments !== 0) {
    const envs = table.environments[environments - 1]!;
    const env = req.environment;
    if (env === undefined || (typeof envs === 'string' ? envs !== env : !envs.includes(env))) {
      return 'environment_not_granted';
    }
  }
  return null;
}

function conditionContext(req: DecisionRequest, action: Action, tool: CompiledTool) {
  // Absent fields are left out rather than set to null, so `has(context.onBehalfOf)` works.
  const context: Record<string, string> = { action, tool: tool.tool.name };
  if (req.environment !== undefined) context.environment = req.environment;
  if (req.onBehalfOf !== undefined) context.onBehalfOf = req.onBehalfOf;
  if (req.taskId !== undefined) context.taskId = req.taskId;
  if (req.resource !== undefined) context.resource = req.resource;
  return context;
}

function cacheTtlSeconds(g: CompiledGrant, now: number): number {
  if (g.maxUses !== null) return 0;
  if (g.condition !== null && (!g.condition.ok || g.condition.usesArgs)) return 0;
  return ttlUntil(g.expiresAt, now);
}

function ttlUntil(expiresAt: number | null, now: number): number {
  if (expiresAt === null) return MAX_CACHE_TTL_SECONDS;
  const left = Math.floor((expiresAt - now) / 1000);
  return left < 1 ? 0 : Math.min(MAX_CACHE_TTL_SECONDS, left);
}

function allow(
  tool: CompiledTool,
  bit: number,
  action: Action,
  grantId: string,
  expiresAt: number | null,
  consumesUse: boolean,
  cacheTtlSeconds: number,
): Decision {
  return {
    allow: true,
    reason: 'granted',
    explanation: tool.sentences.granted[actionIndex(bit)]!,
    grantId,
    expiresAt,
    toolId: tool.tool.id,
    action,
    approvalRequired: false,
    consumesUse,
    cacheTtlSeconds,
  };
}

export function decide(index: PolicyIndex, req: DecisionRequest, now: number): Decision {
  const tool = index.toolsByServer.get(req.serverId)?.get(req.tool);
  if (tool === undefined) {
    return deny('tool_unknown', explainToolUnknown(req), null, req.action ?? null);
  }
  const t = tool.tool;
  const action: Action = req.action ?? t.defaultAction;
  if (t.status === 'unclassified') {
    return deny('tool_unclassified', tool.sentences.unclassified, t.id, action);
  }
  if (t.status !== 'active') {
    // Anything but `active` is treated as disabled, so an unexpected status fails closed.
    return deny('tool_disabled', tool.sentences.disabled, t.id, action);
  }

  const rule = findDenyRule(index, tool, req);
  if (rule !== null) {
    return deny('denied_by_rule', explainDeniedByRule(tool, rule), t.id, action);
  }

  const bit = actionBit(action);
  const slots = tool.grantSlots;
  // Agents are numbered only when they hold a grant that can allow: any other agent has none here.
  const agent = slots.base < 0 ? undefined : index.agentNumbers.get(req.agentId);
  const table = index.grants;
  const records = table.bits;
  const first = agent === undefined ? -1 : firstRecord(table, slots, agent);
  if (first < 0) {
    if (tool.elevatedOnly) {
      const sentence = tool.standingIgnoredFor.has(req.agentId)
        ? tool.sentences.approvalRequiredStandingIgnored
        : tool.sentences.approvalRequired;
      return deny('approval_required', sentence, t.id, action, null, true);
    }
    const sentence = bit === 0 ? explainUnknownAction(tool, action) : tool.sentences.noGrant[actionIndex(bit)]!;
    return deny('no_grant', sentence, t.id, action, null, t.risk === 'medium');
  }

  let best = -1;
  let bestFailure: GrantFailure = 'grant_expired';
  let bestProgress = -1;
  for (let r = first; r >= 0; ) {
    const bits = records[r]!;
    let failure: GrantFailure | null;
    if ((bits & COLD) === 0) {
      // NaN (a bad date in a served snapshot) fails closed here too: `now < NaN` is false.
      const expiresAt = (bits & HAS_EXPIRY) !== 0 ? table.times[r]! : null;
      failure = expiresAt !== null && !(now < expiresAt) ? 'grant_expired' : checkRecord(table, bits, req, bit);
      if (failure === null) return allow(tool, bit, action, table.ids[r]!, expiresAt, false, ttlUntil(expiresAt, now));
    } else {
      const g = table.grants[r]!;
      failure = checkGrant(g, req, action, bit, tool, now);
      if (failure === null) return allow(tool, bit, action, g.id, g.expiresAt, g.maxUses !== null, cacheTtlSeconds(g, now));
    }
    const progress = PROGRESS[failure];
    if (progress > bestProgress) {
      best = r;
      bestFailure = failure;
      bestProgress = progress;
    }
    r = (bits & MORE) !== 0 ? table.next[r]! : -1;
  }

  // The full grant only when the record could not say it all: it is a cache miss at 100,000 grants.
  const bestBits = records[best]!;
  const cold = (bestBits & COLD) !== 0 ? table.grants[best]! : null;
  const expiresAt = cold !== null ? cold.expiresAt : (bestBits & HAS_EXPIRY) !== 0 ? table.times[best]! : null;
  const grantId = table.ids[best]!;
  return deny(
    bestFailure,
    explainGrantFailure(bestFailure, tool, grantId, expiresAt, cold, req, action),
    t.id,
    action,
    grantId,
    t.risk !== 'low' && ESCALATABLE.has(bestFailure),
  );
}
