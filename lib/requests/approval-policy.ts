import type { Tx } from '../db/client';
import type { Risk } from '../policy';
import { DEFAULT_APPROVAL_POLICIES } from '../tenants/default-policies';

export interface EffectiveApprovalPolicy {
  /** null when it is a built-in default (the tenant's row is missing) */
  id: string | null;
  risk: Risk;
  toolId: string | null;
  standingAllowed: boolean;
  approvalsRequired: number;
  approvers: string;
  maxDurationSeconds: number | null;
  requestExpirySeconds: number;
  singleUse: boolean;
}

const DEFAULT_REQUEST_EXPIRY_SECONDS = 86_400;

/**
 * The policy that governs requests for a tool: its own override if it has one, else the tenant's
 * default for the tool's risk. A tool without a risk is treated as critical (the strictest), and
 * a tenant missing its default row gets the built-in default rather than no rule at all.
 */
export async function approvalPolicyForTool(tx: Tx, tenantId: string, tool: { id: string; risk: Risk | null }): Promise<EffectiveApprovalPolicy> {
  const risk: Risk = tool.risk ?? 'critical';
  const row =
    (await tx.approvalPolicy.findFirst({ where: { tenantId, toolId: tool.id } })) ??
    (await tx.approvalPolicy.findFirst({ where: { tenantId, toolId: null, risk } }));
  // an override keeps the risk it was written for; the tool's current risk is what applies
  if (row) return { ...row, risk };
  const d = DEFAULT_APPROVAL_POLICIES.find((p) => p.risk === risk)!;
  return { id: null, toolId: null, requestExpirySeconds: DEFAULT_REQUEST_EXPIRY_SECONDS, ...d };
}

/**
 * Every tool's policy from one read of the tenant's rows (lists of requests ask for many tools
 * at once); the same choice as approvalPolicyForTool.
 */
export async function loadPolicyResolver(client: Pick<Tx, 'approvalPolicy'>, tenantId: string): Promise<(tool: { id: string; risk: Risk | null }) => EffectiveApprovalPolicy> {
  const rows = await client.approvalPolicy.findMany({ where: { tenantId } });
  return (tool) => {
    const risk: Risk = tool.risk ?? 'critical';
    const row = rows.find((r) => r.toolId === tool.id) ?? rows.find((r) => r.toolId === null && r.risk === risk);
    if (row) return { ...row, risk };
    const d = DEFAULT_APPROVAL_POLICIES.find((p) => p.risk === risk)!;
    return { id: null, toolId: null, requestExpirySeconds: DEFAULT_REQUEST_EXPIRY_SECONDS, ...d };
  };
}
