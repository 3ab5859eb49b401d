import { describe, expect, it } from 'vitest';
import { coverage, eligibility, quorumReached, type EligibilityInput, type Vote } from './eligibility';

const future = new Date(Date.now() + 3_600_000);
const base = (over: Partial<EligibilityInput> = {}): EligibilityInput => ({
  quorum: { approvers: 'owners_and_security', required: 2 },
  actor: { userId: 'u1', email: 'alice@acme.test', isToolOwner: true, isSecurity: false },
  request: { status: 'pending', expiresAt: future, requestedByUserId: 'req', onBehalfOf: null, agentOwnerUserId: 'ao', agentName: 'billing-agent' },
  votes: [],
  now: new Date(),
  ...over,
});
const vote = (id: string, asRole: string, verdict: 'approve' | 'deny' = 'approve'): Vote => ({ approverUserId: id, verdict, asRole });

describe('eligibility', () => {
  it('a tool owner may approve a critical request', () => {
    expect(eligibility(base())).toMatchObject({ canApprove: true, canDeny: true, capacities: ['owner'], reason: null });
  });

  it('four eyes: requester, agent owner and delegating user (case-insensitive) never decide', () => {
    expect(eligibility(base({ request: { ...base().request, requestedByUserId: 'u1' } })).reason).toBe('You filed this request: another person must decide it.');
    expect(eligibility(base({ request: { ...base().request, agentOwnerUserId: 'u1' } })).canDeny).toBe(false);
    const deleg = eligibility(base({ request: { ...base().request, onBehalfOf: ' Alice@ACME.test ' } }));
    expect(deleg).toMatchObject({ canApprove: false, canDeny: false });
  });

  it('who approves follows the rule', () => {
    const security = { userId: 's', email: 's@x', isToolOwner: false, isSecurity: true };
    expect(eligibility(base({ quorum: { approvers: 'owners', required: 1 }, actor: security })).reason).toBe('Only a tool owner can approve requests for this tool.');
    expect(eligibility(base({ quorum: { approvers: 'security', required: 1 } })).canApprove).toBe(false);
    expect(eligibility(base({ quorum: { approvers: 'owners_or_security', required: 1 }, actor: security })).canApprove).toBe(true);
  });

  it('owners_and_security: once an owner approved, another owner-only vote cannot complete it but may deny', () => {
    const e = eligibility(base({ actor: { userId: 'u2', email: 'b@x', isToolOwner: true, isSecurity: false }, votes: [vote('u1', 'owner')] }));
    expect(e).toMatchObject({ canApprove: false, canDeny: true });
    expect(e.reason).toContain('must come from security');
  });

  it('refuses decided, expired and already-voted requests', () => {
    expect(eligibility(base({ request: { ...base().request, status: 'approved' } })).canDeny).toBe(false);
    expect(eligibility(base({ request: { ...base().request, expiresAt: new Date(Date.now() - 1) } })).reason).toContain('expired');
    expect(eligibility(base({ votes: [vote('u1', 'owner')] })).reason).toBe('You already approved this request.');
  });
});

describe('quorum', () => {
  it('owners_and_security needs two distinct people covering both roles', () => {
    const q = { approvers: 'owners_and_security' as const, required: 2 };
    expect(quorumReached(q, [vote('a', 'owner'), vote('b', 'owner')])).toBe(false);
    expect(quorumReached(q, [vote('a', 'owner+security')])).toBe(false);
    expect(quorumReached(q, [vote('a', 'owner+security'), vote('b', 'owner')])).toBe(true);
    expect(quorumReached(q, [vote('a', 'owner'), vote('b', 'security')])).toBe(true);
    expect(quorumReached(q, [vote('a', 'owner'), vote('b', 'security', 'deny')])).toBe(false);
  });

  it('counts approvals for the other rules', () => {
    expect(quorumReached({ approvers: 'owners', required: 2 }, [vote('a', 'owner')])).toBe(false);
    expect(quorumReached({ approvers: 'owners', required: 2 }, [vote('a', 'owner'), vote('b', 'owner')])).toBe(true);
  });

  it('coverage', () => {
    expect(coverage([])).toBe(0);
    expect(coverage([['owner', 'security']])).toBe(1);
    expect(coverage([['owner'], ['security']])).toBe(2);
  });
});
