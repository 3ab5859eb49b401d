// DESIGN.md's defaults per risk level; tenants may change them later (approval policies).
export const DEFAULT_APPROVAL_POLICIES = [
  { risk: 'low', standingAllowed: true, approvalsRequired: 0, approvers: 'none', maxDurationSeconds: null, singleUse: false },
  { risk: 'medium', standingAllowed: true, approvalsRequired: 1, approvers: 'owners_or_security', maxDurationSeconds: 30 * 86_400, singleUse: false },
  { risk: 'high', standingAllowed: false, approvalsRequired: 1, approvers: 'owners', maxDurationSeconds: 8 * 3_600, singleUse: false },
  { risk: 'critical', standingAllowed: false, approvalsRequired: 2, approvers: 'owners_and_security', maxDurationSeconds: 3_600, singleUse: false },
] as const;
