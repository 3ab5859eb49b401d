import { describe, expect, it } from 'vitest';
import { DEFAULT_APPROVAL_POLICIES } from '../tenants/default-policies';
import { requestQuorum, ruleProblems, shortDuration, summarizePolicy } from './rules';

const defaults = Object.fromEntries(DEFAULT_APPROVAL_POLICIES.map((p) => [p.risk, { ...p, requestExpirySeconds: 86_400 }]));

describe('summarizePolicy', () => {
  it('reads the defaults in plain language', () => {
    expect(summarizePolicy(defaults.low!, { risk: 'low' })).toBe('Low-risk tools: standing grants allowed; no approval needed; no time limit');
    expect(summarizePolicy(defaults.medium!, { risk: 'medium' })).toBe('Medium-risk tools: standing grants allowed; 1 approval by a tool owner or security; at most 30 d');
    expect(summarizePolicy(defaults.high!, { risk: 'high' })).toBe('High-risk tools: no standing grants; 1 approval by a tool owner; at most 8 h');
    expect(summarizePolicy({ ...defaults.critical!, singleUse: true }, { tool: 'create_refund' })).toBe(
      'create_refund: no standing grants; 2 approvals: one by a tool owner and one by security, distinct people; at most 1 h; single use',
    );
  });

  it('durations', () => {
    expect(shortDuration(90)).toBe('1 min 30 s');
    expect(shortDuration(5400)).toBe('1 h 30 min');
    expect(shortDuration(30 * 86_400)).toBe('30 d');
    expect(shortDuration(45)).toBe('45 s');
  });
});

describe('ruleProblems', () => {
  it('accepts the defaults', () => {
    for (const p of DEFAULT_APPROVAL_POLICIES) expect(ruleProblems(p.risk, defaults[p.risk]!)).toEqual([]);
  });

  it('refuses standing grants on high/critical tools and inconsistent approvals', () => {
    expect(ruleProblems('critical', { ...defaults.critical!, standingAllowed: true }).map((p) => p.name)).toEqual(['standingAllowed']);
    expect(ruleProblems('medium', { ...defaults.medium!, approvers: 'none' }).map((p) => p.name)).toContain('approvalsRequired');
    expect(ruleProblems('high', { ...defaults.high!, approvers: 'none', approvalsRequired: 0 }).map((p) => p.name)).toEqual(['approvers']);
    expect(ruleProblems('critical', { ...defaults.critical!, approvalsRequired: 1 }).map((p) => p.name)).toEqual(['approvalsRequired']);
  });
});

describe('requestQuorum', () => {
  it('a no-approval rule still has someone decide requests filed anyway; unknown rules are read strictly', () => {
    expect(requestQuorum({ approvers: 'none', approvalsRequired: 0 })).toEqual({ approvers: 'owners_or_security', required: 1 });
    expect(requestQuorum({ approvers: 'mystery', approvalsRequired: 1 })).toEqual({ approvers: 'owners_and_security', required: 2 });
    expect(requestQuorum({ approvers: 'owners_and_security', approvalsRequired: 1 })).toEqual({ approvers: 'owners_and_security', required: 2 });
  });
});
