import type { ServiceContext } from '../context';
import { db, type Tx } from '../db/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { requirePermission } from '../auth/require';
import { AppError, invalid, notFound, type InvalidParam } from '../errors';
import { newId } from '../ids';
import { RISKS, type Risk } from '../policy/types';
import { DEFAULT_APPROVAL_POLICIES } from '../tenants/default-policies';
import { parseInput } from '../validation';
import { DEFAULT_REQUEST_EXPIRY_SECONDS, ruleProblems, summarizePolicy, type PolicyRule } from './rules';
import { riskPolicySchema, toolPolicyRefSchema, toolPolicySchema } from './schemas';

// Approval policies: one rule per tenant and risk level, plus optional per-tool overrides
// (lib/requests/approval-policy.ts picks the one that governs a tool). Read by everyone who
// can see tools (the request form shows the rule); changed by admins (settings.manage).

export interface ApprovalPolicyView extends PolicyRule {
  id: string | null;
  risk: Risk;
  toolId: string | null;
  tool: { id: string; name: string; serverName: string; risk: Risk | null } | null;
  /** true when the tenant has no row and the built-in default applies */
  builtIn: boolean;
  updatedAt: string | null;
  summary: string;
}

type PolicyRow = Awaited<ReturnType<Tx['approvalPolicy']['findFirstOrThrow']>>;

function ruleOf(row: PolicyRule): PolicyRule {
  return {
    standingAllowed: row.standingAllowed,
    approvalsRequired: row.approvalsRequired,
    approvers: row.approvers,
    maxDurationSeconds: row.maxDurationSeconds,
    requestExpirySeconds: row.requestExpirySeconds,
    singleUse: row.singleUse,
  };
}

function builtInDefault(risk: Risk): ApprovalPolicyView {
  const d = DEFAULT_APPROVAL_POLICIES.find((p) => p.risk === risk)!;
  const rule: PolicyRule = { ...d, requestExpirySeconds: DEFAULT_REQUEST_EXPIRY_SECONDS };
  return { id: null, risk, toolId: null, tool: null, builtIn: true, updatedAt: null, ...rule, summary: summarizePolicy(rule, { risk }) };
}

function refused(problems: InvalidParam[]): AppError {
  return invalid(problems.map((p) => p.reason).join('. '), problems);
}

export async function listApprovalPolicies(ctx: ServiceContext): Promise<{ defaults: ApprovalPolicyView[]; overrides: ApprovalPolicyView[] }> {
  requirePermission(ctx, 'tools.read');
  const rows = await db().approvalPolicy.findMany({ where: { tenantId: ctx.tenantId }, orderBy: { updatedAt: 'desc' } });
  const toolIds = rows.map((r) => r.toolId).filter((x): x is string => !!x);
  const tools = toolIds.length
    ? await db().tool.findMany({ where: { tenantId: ctx.tenantId, id: { in: toolIds } }, select: { id: true, name: true, risk: true, server: { select: { name: true } } } })
    : [];
  const defaults = RISKS.map((risk) => {
    const row = rows.find((r) => r.toolId === null && r.risk === risk);
    if (!row) return builtInDefault(risk);
    return { id: row.id, risk, toolId: null, tool: null, builtIn: false, updatedAt: row.updatedAt.toISOString(), ...ruleOf(row), summary: summarizePolicy(row, { risk }) };
  });
  const overrides: ApprovalPolicyView[] = [];
  for (const row of rows) {
    if (!row.toolId) continue;
    const tool = tools.find((t) => t.id === row.toolId);
    if (!tool) continue; // the tool was deleted: its override governs nothing
    const risk = tool.risk ?? row.risk;
    overrides.push({
      id: row.id,
      risk,
      toolId: tool.id,
      tool: { id: tool.id, name: tool.name, serverName: tool.server.name, risk: tool.risk },
      builtIn: false,
      updatedAt: row.updatedAt.toISOString(),
      ...ruleOf(row),
      summary: summarizePolicy(row, { tool: tool.name }),
    });
  }
  overrides.sort((a, b) => a.tool!.name.localeCompare(b.tool!.name));
  return { defaults, overrides };
}

/** One writer per tenant at a time: the partial unique indexes would otherwise make a race a 500. */
async function lockPolicies(tx: Tx, tenantId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'approval-policy:' + tenantId}, 0))`;
}

/** Changes the tenant's rule for one risk level (creating the row if the tenant has none). */
export async function updateRiskPolicy(ctx: ServiceContext, input: unknown): Promise<ApprovalPolicyView> {
  requirePermission(ctx, 'settings.manage');
  const { risk, ...rule } = parseInput(riskPolicySchema, input);
  const problems = ruleProblems(risk, rule);
  if (problems.length) throw refused(problems);
  return inTx(async (tx) => {
    await lockPolicies(tx, ctx.tenantId);
    const before = await tx.approvalPolicy.findFirst({ where: { tenantId: ctx.tenantId, risk, toolId: null } });
    const after: PolicyRow = before
      ? await tx.approvalPolicy.update({ where: { id: before.id }, data: rule })
      : await tx.approvalPolicy.create({ data: { id: newId('approvalPolicy'), tenantId: ctx.tenantId, risk, toolId: null, ...rule } });
    await recordAudit(tx, ctx, {
      event: 'approval_policy.updated',
      targetType: 'approval_policy',
      targetId: after.id,
      before: before ? { risk, ...ruleOf(before) } : null,
      after: { risk, ...ruleOf(after), summary: summarizePolicy(after, { risk }) },
    });
    return { id: after.id, risk, toolId: null, tool: null, builtIn: false, updatedAt: after.updatedAt.toISOString(), ...ruleOf(after), summary: summarizePolicy(after, { risk }) };
  });
}

async function loadTool(tx: Tx, ctx: ServiceContext, toolId: string) {
  const tool = await tx.tool.findFirst({ where: { id: toolId, tenantId: ctx.tenantId }, select: { id: true, name: true, risk: true, server: { select: { name: true } } } });
  if (!tool) throw notFound('Tool');
  return tool;
}

/** Sets (creates or replaces) a tool's own rule, which wins over its risk level's rule. */
export async function setToolPolicy(ctx: ServiceContext, input: unknown): Promise<ApprovalPolicyView> {
  requirePermission(ctx, 'settings.manage');
  const { toolId, ...rule } = parseInput(toolPolicySchema, input);
  return inTx(async (tx) => {
    const tool = await loadTool(tx, ctx, toolId);
    // an unclassified tool is governed as critical until someone classifies it
    const risk: Risk = tool.risk ?? 'critical';
    const problems = ruleProblems(risk, rule);
    if (problems.length) throw refused(problems);
    await lockPolicies(tx, ctx.tenantId);
    const before = await tx.approvalPolicy.findFirst({ where: { tenantId: ctx.tenantId, toolId } });
    const after = before
      ? await tx.approvalPolicy.update({ where: { id: before.id }, data: { ...rule, risk } })
      : await tx.approvalPolicy.create({ data: { id: newId('approvalPolicy'), tenantId: ctx.tenantId, risk, toolId, ...rule } });
    const summary = summarizePolicy(after, { tool: tool.name });
    await recordAudit(tx, ctx, {
      event: 'approval_policy.override_set',
      targetType: 'approval_policy',
      targetId: after.id,
      before: before ? { toolId, tool: tool.name, ...ruleOf(before) } : null,
      after: { toolId, tool: tool.name, risk, ...ruleOf(after), summary },
    });
    return {
      id: after.id,
      risk,
      toolId,
      tool: { id: tool.id, name: tool.name, serverName: tool.server.name, risk: tool.risk },
      builtIn: false,
      updatedAt: after.updatedAt.toISOString(),
      ...ruleOf(after),
      summary,
    };
  });
}

/** Removes a tool's own rule: its risk level's rule governs it again. */
export async function removeToolPolicy(ctx: ServiceContext, input: unknown): Promise<{ toolId: string }> {
  requirePermission(ctx, 'settings.manage');
  const { toolId } = parseInput(toolPolicyRefSchema, input);
  return inTx(async (tx) => {
    const tool = await loadTool(tx, ctx, toolId);
    await lockPolicies(tx, ctx.tenantId);
    const before = await tx.approvalPolicy.findFirst({ where: { tenantId: ctx.tenantId, toolId } });
    if (!before) throw notFound('Approval policy override');
    await tx.approvalPolicy.delete({ where: { id: before.id } });
    await recordAudit(tx, ctx, {
      event: 'approval_policy.override_removed',
      targetType: 'approval_policy',
      targetId: before.id,
      before: { toolId, tool: tool.name, ...ruleOf(before) },
    });
    return { toolId };
  });
}

/** Tools an override can be set for (the settings page's picker). */
export async function listPolicyToolOptions(ctx: ServiceContext) {
  requirePermission(ctx, 'tools.read');
  const tools = await db().tool.findMany({
    where: { tenantId: ctx.tenantId },
    select: { id: true, name: true, risk: true, status: true, server: { select: { name: true } } },
    orderBy: [{ name: 'asc' }],
    take: 1000,
  });
  return tools.map((t) => ({ id: t.id, name: t.name, risk: t.risk, status: t.status, serverName: t.server.name }));
}
