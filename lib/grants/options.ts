import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { requirePermission } from '../auth/require';
import { notFound } from '../errors';
import { approvalPolicyForTool } from '../requests/approval-policy';
import { humanDuration, standingRefusal } from './guardrails';

// What the grant, deny-rule and simulator forms choose from: agents, servers and tools (names,
// risk, status; never keys or identities), and the guardrails of one tool.

const OPTION_LIMIT = 2000;

async function loadOptions(ctx: ServiceContext) {
  const [agents, servers, tools] = await Promise.all([
    db().agent.findMany({ where: { tenantId: ctx.tenantId }, select: { id: true, name: true, status: true, environment: true }, orderBy: { name: 'asc' }, take: OPTION_LIMIT }),
    db().mcpServer.findMany({ where: { tenantId: ctx.tenantId }, select: { id: true, name: true, environment: true, status: true }, orderBy: { name: 'asc' } }),
    db().tool.findMany({
      where: { tenantId: ctx.tenantId },
      select: { id: true, name: true, serverId: true, status: true, risk: true, defaultAction: true },
      orderBy: [{ serverId: 'asc' }, { name: 'asc' }],
      take: OPTION_LIMIT,
    }),
  ]);
  return { agents, servers, tools, truncated: agents.length === OPTION_LIMIT || tools.length === OPTION_LIMIT };
}

export async function grantFormOptions(ctx: ServiceContext) {
  requirePermission(ctx, 'grants.read');
  return loadOptions(ctx);
}

export async function simulatorOptions(ctx: ServiceContext) {
  requirePermission(ctx, 'simulator.use');
  return loadOptions(ctx);
}

/**
 * The guardrails that apply to grants on one tool, from its effective approval policy (the
 * same function the service checks with), phrased for the form: shown before anything is
 * submitted, so nobody fills in a grant that will be refused.
 */
export async function toolGrantPolicy(ctx: ServiceContext, toolId: string) {
  requirePermission(ctx, 'grants.read');
  const tool = await db().tool.findFirst({ where: { id: toolId, tenantId: ctx.tenantId }, select: { id: true, name: true, status: true, risk: true, defaultAction: true } });
  if (!tool) throw notFound('Tool');
  const policy = await approvalPolicyForTool(db(), ctx.tenantId, tool);
  const elevated = tool.risk === 'high' || tool.risk === 'critical';
  const standingAllowed = tool.status === 'active' && policy.standingAllowed && !elevated;
  let summary: string;
  if (tool.status === 'unclassified') summary = `${tool.name} is not classified yet: an owner must set its risk before anything can be granted on it.`;
  else if (tool.status === 'disabled') summary = `${tool.name} is disabled: re-enable it before granting access to it.`;
  else if (!standingAllowed) summary = standingRefusal(tool);
  else if (policy.maxDurationSeconds !== null) summary = `${tool.name} is a ${tool.risk} risk tool: a grant on it may last at most ${humanDuration(policy.maxDurationSeconds)}.`;
  else summary = `${tool.name} is a ${tool.risk} risk tool: standing grants are allowed without an end date.`;
  return {
    tool,
    standingAllowed,
    maxDurationSeconds: policy.maxDurationSeconds,
    singleUse: policy.singleUse,
    approvalsRequired: policy.approvalsRequired,
    approvers: policy.approvers,
    summary,
  };
}
