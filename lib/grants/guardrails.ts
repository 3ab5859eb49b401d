import type { InvalidParam } from '../errors';
import { validateCondition, type Risk } from '../policy';
import type { GrantKindName } from './schemas';

// The guardrails of a tool's risk (DESIGN.md "Approvals and reviews"), applied to every grant
// before it is written, whoever writes it: the console, bulk grants, and approvals (jit grants).
// Pure: the caller passes the effective approval policy and the clock.

export const BREAK_GLASS_MAX_SECONDS = 3_600;

export interface GuardrailTool {
  name: string;
  status: 'unclassified' | 'active' | 'disabled';
  risk: Risk | null;
}

export interface GuardrailPolicy {
  standingAllowed: boolean;
  maxDurationSeconds: number | null;
  singleUse: boolean;
}

export interface GuardrailScope {
  kind: GrantKindName;
  notBefore: Date | null;
  expiresAt: Date | null;
  maxUses: number | null;
  condition: string | null;
  justification: string | null;
}

export interface GuardrailOptions {
  skipStandingGuardrail?: boolean;
}

/** What the form shows before anything is submitted, and what a refusal says. */
export function standingRefusal(tool: { name: string; risk: Risk | null }): string {
  return (
    `${tool.name} is a ${tool.risk ?? 'unclassified'} risk tool: standing grants are not allowed on it. ` +
    'Access is given just in time instead: file an access request for the agent, and once its owners approve it a time-bound grant is created.'
  );
}

export function humanDuration(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? '1 day' : `${seconds / 86_400} days`;
  if (seconds % 3_600 === 0) return seconds === 3_600 ? '1 hour' : `${seconds / 3_600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

/** A condition error as a sentence that says where it is (1-based character), for the form. */
export function conditionProblem(condition: string): { reason: string; position: number | null } | null {
  const v = validateCondition(condition);
  if (v.ok) return null;
  if (v.position === undefined) return { reason: `Invalid condition: ${v.message}`, position: null };
  return { reason: `Invalid condition at character ${v.position + 1}: ${v.message}`, position: v.position };
}

export interface GuardrailResult {
  /** the scope after defaults the policy imposes (expiry of a capped tool, single use) */
  expiresAt: Date | null;
  maxUses: number | null;
  problems: InvalidParam[];
}

/**
 * Checks one grant against its tool and the tool's approval policy. Returns the problems (each
 * naming the field to fix) rather than throwing, so a bulk grant can report them once; when
 * the policy caps the duration and no expiry was given, the expiry becomes the cap.
 */
export function checkGuardrails(tool: GuardrailTool, policy: GuardrailPolicy, scope: GuardrailScope, now: Date, opts: GuardrailOptions = {}): GuardrailResult {
  const problems: InvalidParam[] = [];
  let expiresAt = scope.expiresAt;
  let maxUses = scope.maxUses;

  if (tool.status === 'unclassified') {
    problems.push({ name: 'toolId', reason: `${tool.name} is not classified yet: an owner must set its risk before anything can be granted on it` });
    return { expiresAt, maxUses, problems };
  }
  if (tool.status !== 'active') {
    problems.push({ name: 'toolId', reason: `${tool.name} is disabled: re-enable it before granting access to it` });
    return { expiresAt, maxUses, problems };
  }

  // High and critical tools never honour standing grants (the engine ignores them), so a
  // standing grant there would be a promise that is never kept, whatever a policy says.
  const elevated = tool.risk === 'high' || tool.risk === 'critical';
  if (scope.kind === 'standing' && (!policy.standingAllowed || elevated) && !opts.skipStandingGuardrail) {
    problems.push({ name: 'toolId', reason: standingRefusal(tool) });
    return { expiresAt, maxUses, problems };
  }

  const start = scope.notBefore && scope.notBefore > now ? scope.notBefore : now;
  if (expiresAt && expiresAt <= now) problems.push({ name: 'expiresAt', reason: 'The expiry must be in the future' });

  let cap = policy.maxDurationSeconds;
  if (scope.kind === 'break_glass') {
    cap = cap === null ? BREAK_GLASS_MAX_SECONDS : Math.min(cap, BREAK_GLASS_MAX_SECONDS);
    if (!scope.justification || scope.justification.trim().length < 10) {
      problems.push({ name: 'justification', reason: 'Break-glass access needs a justification of at least 10 characters' });
    }
  }
  if (cap !== null) {
    const latest = new Date(start.getTime() + cap * 1000);
    if (!expiresAt) expiresAt = latest;
    else if (expiresAt > latest) {
      problems.push({
        name: 'expiresAt',
        reason: `${tool.name} is a ${tool.risk} risk tool: a grant on it may last at most ${humanDuration(cap)}, so it must end by ${latest.toISOString()}`,
      });
    }
  }

  if (policy.singleUse) {
    if (maxUses === null) maxUses = 1;
    else if (maxUses > 1) problems.push({ name: 'maxUses', reason: `Grants on ${tool.name} are single-use under its approval policy` });
  }

  if (scope.condition !== null) {
    const p = conditionProblem(scope.condition);
    if (p) problems.push({ name: 'condition', reason: p.reason });
  }

  return { expiresAt, maxUses, problems };
}
