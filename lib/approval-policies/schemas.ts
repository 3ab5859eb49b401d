import { z } from 'zod';
import { RISKS } from '../policy/types';
import {
  APPROVER_RULES,
  DEFAULT_REQUEST_EXPIRY_SECONDS,
  MAX_APPROVALS_REQUIRED,
  MAX_POLICY_DURATION_SECONDS,
  MAX_REQUEST_EXPIRY_SECONDS,
  MIN_POLICY_DURATION_SECONDS,
  MIN_REQUEST_EXPIRY_SECONDS,
} from './rules';

const ruleFields = {
  standingAllowed: z.boolean({ message: 'Say whether standing grants are allowed' }),
  approvalsRequired: z
    .number({ message: 'Use a whole number' })
    .int('Use a whole number')
    .min(0, 'At least 0')
    .max(MAX_APPROVALS_REQUIRED, `At most ${MAX_APPROVALS_REQUIRED} approvals`),
  approvers: z.enum(APPROVER_RULES, { message: 'Choose who approves' }),
  maxDurationSeconds: z
    .number({ message: 'Use a number of seconds, or null for no limit' })
    .int('Use whole seconds')
    .min(MIN_POLICY_DURATION_SECONDS, 'At least 1 minute')
    .max(MAX_POLICY_DURATION_SECONDS, 'At most 30 days')
    .nullable(),
  requestExpirySeconds: z
    .number({ message: 'Use a number of seconds' })
    .int('Use whole seconds')
    .min(MIN_REQUEST_EXPIRY_SECONDS, 'At least 5 minutes')
    .max(MAX_REQUEST_EXPIRY_SECONDS, 'At most 30 days')
    .default(DEFAULT_REQUEST_EXPIRY_SECONDS),
  singleUse: z.boolean().default(false),
};

export const riskPolicySchema = z.object({ risk: z.enum(RISKS, { message: 'Choose a risk level' }), ...ruleFields });
export const toolPolicySchema = z.object({ toolId: z.string().trim().min(1, 'Choose a tool').max(64), ...ruleFields });
export const toolPolicyRefSchema = z.object({ toolId: z.string().trim().min(1, 'Choose a tool').max(64) });

export type RiskPolicyInput = z.input<typeof riskPolicySchema>;
export type ToolPolicyInput = z.input<typeof toolPolicySchema>;
