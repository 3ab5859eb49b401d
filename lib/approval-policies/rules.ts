import type { InvalidParam } from '../errors';
import type { Risk } from '../policy/types';

// Approval policies as plain data: what a rule means in words, and which combinations make
// sense. Pure (no I/O), so the console, the services and the tests share one reading of a rule.

export const APPROVER_RULES = ['none', 'owners', 'security', 'owners_or_security', 'owners_and_security'] as const;
export type ApproverRule = (typeof APPROVER_RULES)[number];

export const MAX_APPROVALS_REQUIRED = 5;
export const MIN_POLICY_DURATION_SECONDS = 60;
export const MAX_POLICY_DURATION_SECONDS = 30 * 86_400;
export const MIN_REQUEST_EXPIRY_SECONDS = 300;
export const MAX_REQUEST_EXPIRY_SECONDS = 30 * 86_400;
export const DEFAULT_REQUEST_EXPIRY_SECONDS = 86_400;

export interface PolicyRule {
  standingAllowed: boolean;
  approvalsRequired: number;
  approvers: ApproverRule | string;
  maxDurationSeconds: number | null;
  requestExpirySeconds: number;
  singleUse: boolean;
}

const RISK_LABEL: Record<Risk, string> = { low: 'Low-risk', medium: 'Medium-risk', high: 'High-risk', critical: 'Critical' };

/** 8 h, 30 d, 45 min, 1 h 30 min, 90 s */
export function shortDuration(seconds: number): string {
  if (seconds <= 0) return '0 s';
  const parts: string[] = [];
  let rest = Math.round(seconds);
  const units: [number, string][] = [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  for (const [size, label] of units) {
    if (rest >= size) {
      const n = Math.floor(rest / size);
      rest -= n * size;
      parts.push(`${n} ${label}`);
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

function approvalsPhrase(rule: Pick<PolicyRule, 'approvalsRequired' | 'approvers'>): string {
  const n = rule.approvalsRequired;
  if (rule.approvers === 'none' || n === 0) return 'no approval needed';
  const count = n === 1 ? '1 approval' : `${n} approvals`;
  switch (rule.approvers) {
    case 'owners':
      return n === 1 ? `${count} by a tool owner` : `${count} by distinct tool owners`;
    case 'security':
      return n === 1 ? `${count} by security` : `${count} by distinct security reviewers`;
    case 'owners_or_security':
      return n === 1 ? `${count} by a tool owner or security` : `${count} by distinct tool owners or security`;
    case 'owners_and_security':
      return n === 2 ? `${count}: one by a tool owner and one by security, distinct people` : `${count} by distinct people, at least one tool owner and one security`;
    default:
      return `${count}`;
  }
}

/**
 * The rule in one line, e.g. "High-risk tools: no standing grants; 1 approval by a tool owner;
 * at most 8 h". `subject` replaces the risk label (per-tool overrides name the tool).
 */
export function summarizePolicy(rule: PolicyRule, subject: { risk: Risk } | { tool: string }): string {
  const who = 'risk' in subject ? `${RISK_LABEL[subject.risk]} tools` : subject.tool;
  const parts = [
    rule.standingAllowed ? 'standing grants allowed' : 'no standing grants',
    approvalsPhrase(rule),
    rule.maxDurationSeconds === null ? 'no time limit' : `at most ${shortDuration(rule.maxDurationSeconds)}`,
  ];
  if (rule.singleUse) parts.push('single use');
  return `${who}: ${parts.join('; ')}`;
}

/** Who may approve under a rule, as the approvals page explains it. */
export function approversPhrase(approvers: string): string {
  switch (approvers) {
    case 'owners':
      return 'a tool owner';
    case 'security':
      return 'security (role security or admin)';
    case 'owners_or_security':
    case 'none':
      return 'a tool owner or security';
    case 'owners_and_security':
      return 'one tool owner and one security person (distinct people)';
    default:
      return approvers;
  }
}

/**
 * Combinations that would make a policy meaningless or unsafe, each naming the field to fix.
 * High and critical tools never honour standing grants (the decision engine ignores them), so a
 * policy claiming otherwise would promise something that never happens.
 */
export function ruleProblems(risk: Risk, rule: PolicyRule): InvalidParam[] {
  const problems: InvalidParam[] = [];
  const elevated = risk === 'high' || risk === 'critical';
  if (elevated && rule.standingAllowed) {
    problems.push({ name: 'standingAllowed', reason: `${RISK_LABEL[risk]} tools never accept standing grants: only just-in-time and break-glass grants allow them` });
  }
  if (rule.approvers === 'none' && rule.approvalsRequired !== 0) {
    problems.push({ name: 'approvalsRequired', reason: 'With no approvers, no approvals can be required: choose who approves, or set 0' });
  }
  if (rule.approvers !== 'none' && rule.approvalsRequired === 0) {
    problems.push({ name: 'approvalsRequired', reason: 'Require at least 1 approval, or choose "no approval needed"' });
  }
  if (rule.approvers === 'none' && !rule.standingAllowed) {
    problems.push({ name: 'approvers', reason: 'Without standing grants, access is only given by approved requests: choose who approves them' });
  }
  if (rule.approvers === 'owners_and_security' && rule.approvalsRequired < 2) {
    problems.push({ name: 'approvalsRequired', reason: 'A tool owner and security are two distinct people: require at least 2 approvals' });
  }
  if (rule.maxDurationSeconds !== null && rule.maxDurationSeconds > MAX_POLICY_DURATION_SECONDS) {
    problems.push({ name: 'maxDurationSeconds', reason: 'At most 30 days' });
  }
  return problems;
}

/**
 * How requests are approved under a rule. A rule of "no approval needed" still governs requests
 * that are filed anyway (an agent may ask): one tool owner or security decides them.
 */
export function requestQuorum(rule: Pick<PolicyRule, 'approvers' | 'approvalsRequired'>): { approvers: Exclude<ApproverRule, 'none'>; required: number } {
  if (rule.approvers === 'none') return { approvers: 'owners_or_security', required: Math.max(1, rule.approvalsRequired) };
  // a value this code does not know: the strictest reading, never a weaker one
  if (!APPROVER_RULES.includes(rule.approvers as ApproverRule)) return { approvers: 'owners_and_security', required: Math.max(2, rule.approvalsRequired) };
  const approvers = rule.approvers as Exclude<ApproverRule, 'none'>;
  const min = approvers === 'owners_and_security' ? 2 : 1;
  return { approvers, required: Math.max(min, rule.approvalsRequired) };
}
