import { db } from '../db/client';
import { newId } from '../ids';
import { pgPool } from '../db/pool';
import { insertDecisionRows, type DecisionLogRow } from '../decisions/log-writer';

// Two days of plausible decision history for the demo tenant, so the overview and the decision
// log have something to show on first start. Marked source 'demo' so it is never mistaken for
// real traffic.

const CALLS: { agent: string; tool: string; action: string; allow: boolean; reason: string }[] = [
  { agent: 'support-bot', tool: 'get_invoice', action: 'read', allow: true, reason: 'granted' },
  { agent: 'billing-agent', tool: 'get_invoice', action: 'read', allow: true, reason: 'granted' },
  { agent: 'billing-agent', tool: 'update_invoice', action: 'write', allow: true, reason: 'granted' },
  { agent: 'billing-agent', tool: 'create_refund', action: 'write', allow: false, reason: 'approval_required' },
  { agent: 'support-bot', tool: 'update_invoice', action: 'write', allow: false, reason: 'no_grant' },
  { agent: 'deploy-agent', tool: 'read_logs', action: 'read', allow: true, reason: 'granted' },
  { agent: 'deploy-agent', tool: 'delete_database', action: 'admin', allow: false, reason: 'denied_by_rule' },
  { agent: 'analytics-agent', tool: 'export_ledger', action: 'export', allow: false, reason: 'approval_required' },
];

export async function seedDemoHistory(tenantId: string, hours = 48): Promise<number> {
  const agents = new Map((await db().agent.findMany({ where: { tenantId }, include: { identities: true } })).map((a) => [a.name, a]));
  const tools = new Map((await db().tool.findMany({ where: { tenantId } })).map((t) => [t.name, t]));
  const rows: DecisionLogRow[] = [];
  const now = Date.now();
  let seed = 42;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let h = hours; h > 0; h--) {
    const n = 2 + Math.floor(rand() * 6);
    for (let i = 0; i < n; i++) {
      const c = CALLS[Math.floor(rand() * CALLS.length)];
      const agent = agents.get(c.agent);
      const tool = tools.get(c.tool);
      if (!agent || !tool) continue;
      const time = new Date(now - h * 3_600_000 + Math.floor(rand() * 3_600_000));
      rows.push({
        id: newId('decision', time.getTime()),
        time,
        tenantId,
        serverId: tool.serverId,
        identityId: agent.identities[0]?.id ?? null,
        agentId: agent.id,
        subject: agent.identities[0]?.subject ?? null,
        onBehalfOf: null,
        tool: tool.name,
        toolId: tool.id,
        action: c.action,
        resource: c.tool.includes('invoice') ? `invoice:${1000 + Math.floor(rand() * 50)}` : null,
        allow: c.allow,
        reason: c.reason,
        authnReason: null,
        grantId: null,
        taskId: null,
        latencyUs: 300 + Math.floor(rand() * 900),
        requestId: null,
        source: 'demo',
        explanation: c.allow ? 'Demo history: an active grant allowed this call.' : `Demo history: denied (${c.reason}).`,
        context: { environment: 'prod' },
      });
    }
  }
  return insertDecisionRows(pgPool(), rows);
}
