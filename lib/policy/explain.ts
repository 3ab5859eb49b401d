// One sentence per decision: the fact that decided it, and what would have allowed the call.
// These strings reach agents and the console's simulator, so they name tools, actions, grants
// and deny rules, but never argument values (arguments may hold personal data).

import type { CompiledDenyRule, CompiledGrant, CompiledTool } from './compile';
import { ACTIONS, type Action, type DecisionRequest, type PolicyTool } from './types';

function time(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

function quote(s: string): string {
  return `"${s}"`;
}

export function explainToolUnknown(req: DecisionRequest): string {
  return `No tool named ${quote(req.tool)} is registered for this MCP server; syncing the server's tools and classifying it would let grants apply.`;
}

/**
 * The sentences that depend only on the tool and the action, built once per snapshot: the
 * common answers (allowed, no grant) then cost no string building on the hot path. They name
 * the tool and action; the grant and agent are in the decision's own fields.
 */
export interface ToolSentences {
  /** indexed like ACTIONS */
  readonly granted: readonly string[];
  readonly noGrant: readonly string[];
  readonly unclassified: string;
  readonly disabled: string;
  readonly approvalRequired: string;
  readonly approvalRequiredStandingIgnored: string;
}

export function toolSentences(t: PolicyTool): ToolSentences {
  const name = t.name;
  const approval = (standing: string) =>
    `${name} is a ${t.risk} risk tool${standing}: only a just-in-time grant approved by its owners (or break-glass access) allows it.`;
  return {
    granted: ACTIONS.map((a) => `An active grant allows this agent the ${a} action on ${name}.`),
    noGrant: ACTIONS.map((a) =>
      t.risk === 'medium'
        ? `This agent has no grant for ${name}; an approved access request for ${a} would allow it.`
        : `This agent has no grant for ${name}; a grant including ${a} would allow it.`,
    ),
    unclassified: `${name} has not been classified yet; an owner must set its risk and default action before any call is allowed.`,
    disabled: `${name} is disabled; only re-enabling the tool would let its grants apply again.`,
    approvalRequired: approval(''),
    approvalRequiredStandingIgnored: approval(', and standing grants do not count for it'),
  };
}

export function explainUnknownAction(t: CompiledTool, action: string): string {
  return `${quote(action)} is not an action Toolwarden knows, so no grant on ${t.tool.name} can allow it; use read, write, admin or export.`;
}

export function explainDeniedByRule(t: CompiledTool, d: CompiledDenyRule): string {
  const why = d.rule.reason ? ` (${d.rule.reason})` : '';
  return `Deny rule ${d.rule.id} blocks this call to ${t.tool.name}${why}; deny rules win over every grant, so only removing or narrowing the rule would allow it.`;
}

/**
 * The grant that got furthest is passed as its id and end time, which decide() has at hand, plus
 * the full CompiledGrant only when the failure needs more (start time, delegation, condition,
 * uses): at 100,000 grants that object is a cache miss, so the common failures do without it.
 */
export function explainGrantFailure(
  reason: string,
  t: CompiledTool,
  grantId: string,
  expiresAt: number | null,
  g: CompiledGrant | null,
  req: DecisionRequest,
  action: Action,
): string {
  const name = t.tool.name;
  switch (reason) {
    case 'grant_not_yet_valid':
      return `Grant ${grantId} for ${name} only becomes valid at ${time(g?.notBefore ?? 0)}; the same call will be allowed from then.`;
    case 'grant_expired':
      return `Grant ${grantId} for ${name} expired at ${time(expiresAt ?? 0)}; a new or extended grant would allow it.`;
    case 'action_not_granted':
      return `No grant gives this agent the ${action} action on ${name}; a grant including ${action} would allow it.`;
    case 'resource_not_granted':
      return req.resource === undefined
        ? `Grant ${grantId} limits ${name} to specific resources and the call names none; naming a resource its patterns match would allow it.`
        : `Grant ${grantId} does not cover resource ${quote(req.resource)} on ${name}; a grant whose resource patterns match it would allow it.`;
    case 'environment_not_granted':
      return req.environment === undefined
        ? `Grant ${grantId} limits ${name} to specific environments and the call names none; calling from one of them would allow it.`
        : `Grant ${grantId} does not cover the ${quote(req.environment)} environment on ${name}; a grant for that environment would allow it.`;
    case 'delegation_required':
      return `Grant ${grantId} only allows ${name} on behalf of a user; sending the delegating user (onBehalfOf) would allow it.`;
    case 'delegation_mismatch':
      return g?.delegation === 'forbidden'
        ? `Grant ${grantId} does not allow ${name} on behalf of a user; calling as the agent itself would allow it.`
        : `Grant ${grantId} does not allow ${name} on behalf of ${quote(req.onBehalfOf ?? '')}; a call on behalf of one of its listed users would allow it.`;
    case 'condition_failed':
      return g?.condition && !g.condition.ok
        ? `The condition of grant ${grantId} on ${name} is invalid (${g.condition.message}), so the grant never allows; fixing the condition would allow it.`
        : `The condition of grant ${grantId} on ${name} did not hold for this call; a call satisfying ${quote(g?.condition?.source ?? '')} would allow it.`;
    case 'grant_exhausted':
      return `Grant ${grantId} for ${name} has used all ${g?.maxUses ?? 0} of its uses; a new grant would allow it.`;
    default:
      return `Grant ${grantId} does not allow this call to ${name}.`;
  }
}
