import { consoleRoute } from '@/lib/console/route';
import { listApprovalPolicies, updateRiskPolicy } from '@/lib/approval-policies/service';

type P = { tenant: string };

export const GET = consoleRoute<P>(({ session }) => listApprovalPolicies(session.ctx));

/** the rule of one risk level: { risk, standingAllowed, approvalsRequired, approvers, maxDurationSeconds, requestExpirySeconds, singleUse } */
export const PATCH = consoleRoute<P>(({ session, body }) => updateRiskPolicy(session.ctx, body));
