import type { InvalidParam } from '../errors';
import type { Action } from '../policy/types';

// Approvers may narrow a request, never widen it. Pure helpers: does one resource pattern
// cover another, and is a proposed scope within the current one.

/**
 * True when every resource `inner` matches is also matched by `outer` (`*` is the only
 * wildcard, any run of characters). Literal characters of `outer` must meet the same literal
 * characters of `inner`; a `*` of `outer` may absorb anything, including `inner`'s own `*`s.
 * Sound: whenever this says yes, the inclusion holds; `null` (no resource named) covers all.
 */
export function patternCovers(outer: string | null, inner: string): boolean {
  if (outer === null) return true;
  const o = outer;
  const n = inner;
  // dp[j] = o[0..i) can produce n[0..j)
  let prev: boolean[] = new Array(n.length + 1).fill(false);
  prev[0] = true;
  for (let i = 1; i <= o.length; i++) {
    const cur: boolean[] = new Array(n.length + 1).fill(false);
    const oc = o[i - 1];
    if (oc === '*') {
      // a star produces any run of inner's characters (stars included)
      let seen = false;
      for (let j = 0; j <= n.length; j++) {
        seen = seen || prev[j]!;
        cur[j] = seen;
      }
    } else {
      for (let j = 1; j <= n.length; j++) cur[j] = prev[j - 1]! && n[j - 1] === oc;
    }
    prev = cur;
  }
  return prev[n.length]!;
}

export interface RequestScope {
  actions: Action[];
  /** null: any resource */
  resource: string | null;
  durationSeconds: number;
}

export interface ProposedScope {
  actions?: Action[];
  resource?: string | null;
  durationSeconds?: number;
}

/**
 * The scope an approver approves: what they propose, within `current` (the request as earlier
 * approvals left it). Returns the narrowed scope, or the problems — each naming its field.
 */
export function narrowScope(current: RequestScope, proposed: ProposedScope): { scope: RequestScope; problems: InvalidParam[] } {
  const problems: InvalidParam[] = [];
  const scope: RequestScope = { ...current };

  if (proposed.actions !== undefined) {
    const extra = proposed.actions.filter((a) => !current.actions.includes(a));
    if (extra.length) problems.push({ name: 'actions', reason: `Only the requested actions can be approved (${current.actions.join(', ')}): not ${extra.join(', ')}` });
    else if (proposed.actions.length === 0) problems.push({ name: 'actions', reason: 'Approve at least one action' });
    else scope.actions = current.actions.filter((a) => proposed.actions!.includes(a));
  }

  if (proposed.resource !== undefined && proposed.resource !== null && proposed.resource !== current.resource) {
    if (!patternCovers(current.resource, proposed.resource)) {
      problems.push({
        name: 'resource',
        reason: `The approved resource must be within the requested one (${current.resource}): "${proposed.resource}" is not`,
      });
    } else scope.resource = proposed.resource;
  } else if (proposed.resource === null && current.resource !== null) {
    problems.push({ name: 'resource', reason: `Leaving the resource out would allow every resource; the request is limited to ${current.resource}` });
  }

  if (proposed.durationSeconds !== undefined) {
    if (proposed.durationSeconds > current.durationSeconds) {
      problems.push({ name: 'durationSeconds', reason: `At most the requested ${current.durationSeconds} seconds: an approver may shorten access, never lengthen it` });
    } else scope.durationSeconds = proposed.durationSeconds;
  }
  return { scope, problems };
}
