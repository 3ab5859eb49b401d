import { approversPhrase, type ApproverRule } from '../approval-policies/rules';

// Who may approve an access request, and when the approvals reach the quorum. Pure: the
// approvals service feeds it rows it has locked; the console feeds it the same rows to explain
// a disabled button. One function answers both, so the explanation cannot drift from the rule.

export type Capacity = 'owner' | 'security';

export interface Quorum {
  approvers: Exclude<ApproverRule, 'none'>;
  required: number;
}

export interface Vote {
  approverUserId: string;
  verdict: 'approve' | 'deny';
  /** the capacities the approver held when voting: "owner", "security" or "owner+security" */
  asRole: string;
}

export interface EligibilityInput {
  quorum: Quorum;
  actor: { userId: string; email: string; isToolOwner: boolean; isSecurity: boolean };
  request: {
    status: string;
    expiresAt: Date;
    requestedByUserId: string | null;
    onBehalfOf: string | null;
    agentOwnerUserId: string | null;
    agentName: string;
  };
  votes: Vote[];
  now: Date;
}

export interface Eligibility {
  canApprove: boolean;
  canDeny: boolean;
  /** the capacities this person would vote in */
  capacities: Capacity[];
  /** why the person cannot approve (or cannot vote at all), in a sentence; null when they can */
  reason: string | null;
}

export const capacitiesOf = (asRole: string): Capacity[] => asRole.split('+').filter((c): c is Capacity => c === 'owner' || c === 'security');
export const asRoleOf = (capacities: Capacity[]): string => capacities.join('+');

/** 2 when two distinct people cover "owner" and "security", 1 when someone covers either. */
export function coverage(people: Capacity[][]): number {
  for (let i = 0; i < people.length; i++) {
    for (let j = 0; j < people.length; j++) {
      if (i !== j && people[i]!.includes('owner') && people[j]!.includes('security')) return 2;
    }
  }
  return people.some((p) => p.length > 0) ? 1 : 0;
}

/** Whether the approving votes (one per person) satisfy the quorum. */
export function quorumReached(quorum: Quorum, votes: Vote[]): boolean {
  const approving = votes.filter((v) => v.verdict === 'approve');
  if (approving.length < quorum.required) return false;
  if (quorum.approvers !== 'owners_and_security') return true;
  return coverage(approving.map((v) => capacitiesOf(v.asRole))) === 2;
}

function capacitiesFor(approvers: Quorum['approvers'], actor: EligibilityInput['actor']): Capacity[] {
  const c: Capacity[] = [];
  const owner = actor.isToolOwner && approvers !== 'security';
  const security = actor.isSecurity && approvers !== 'owners';
  if (owner) c.push('owner');
  if (security) c.push('security');
  return c;
}

const STATUS_TEXT: Record<string, string> = {
  approved: 'This request has already been approved',
  denied: 'This request has already been denied',
  expired: 'This request has expired',
  cancelled: 'This request was cancelled',
};

export function eligibility(input: EligibilityInput): Eligibility {
  const { quorum, actor, request, votes, now } = input;
  const no = (reason: string, capacities: Capacity[] = []): Eligibility => ({ canApprove: false, canDeny: false, capacities, reason });

  if (request.status !== 'pending') return no(`${STATUS_TEXT[request.status] ?? `This request is ${request.status}`}: nothing is left to decide.`);
  if (request.expiresAt <= now) return no('This request has expired: nobody decided it in time. The agent can file a new one.');

  const capacities = capacitiesFor(quorum.approvers, actor);
  if (capacities.length === 0) return no(`Only ${approversPhrase(quorum.approvers)} can approve requests for this tool.`);

  // four eyes: the people who benefit from the access never approve it
  if (request.requestedByUserId === actor.userId) return no('You filed this request: another person must decide it.', capacities);
  if (request.agentOwnerUserId === actor.userId) return no(`You own the agent ${request.agentName}: another person must decide its access.`, capacities);
  if (request.onBehalfOf && request.onBehalfOf.trim().toLowerCase() === actor.email.trim().toLowerCase()) {
    return no('The agent acts on your behalf in this request: another person must decide it.', capacities);
  }

  const mine = votes.find((v) => v.approverUserId === actor.userId);
  if (mine) return no(`You already ${mine.verdict === 'approve' ? 'approved' : 'denied'} this request.`, capacities);

  if (quorum.approvers === 'owners_and_security') {
    const approving = votes.filter((v) => v.verdict === 'approve').map((v) => capacitiesOf(v.asRole));
    const before = coverage(approving);
    const remaining = quorum.required - approving.length;
    const missing = 2 - before;
    if (remaining <= missing && coverage([...approving, capacities]) === before) {
      const needed = approving.some((c) => c.includes('owner')) ? 'security' : 'a tool owner';
      return { canApprove: false, canDeny: true, capacities, reason: `This request already has the approval it needs from ${needed === 'security' ? 'a tool owner' : 'security'}; the remaining approval must come from ${needed}.` };
    }
  }
  return { canApprove: true, canDeny: true, capacities, reason: null };
}
