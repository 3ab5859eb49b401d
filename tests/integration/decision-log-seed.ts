import type { Prisma } from '../../lib/db/generated/client';
import { db } from '../../lib/db/client';
import { pgPool } from '../../lib/db/pool';
import { newId } from '../../lib/ids';
import { insertDecisionRows, type DecisionLogRow } from '../../lib/decisions/log-writer';
import { createTenantFixture, type TenantFixture } from './fixtures';

// A tenant with a known decision log: a few agents, servers, tools and one JIT grant that came
// from an approved access request, and rows whose every filterable column varies, written
// through the same group-commit insert the decision API uses.

export interface LogWorld {
  t: TenantFixture;
  servers: { id: string; name: string }[];
  agents: { id: string; name: string; subject: string }[];
  tools: { id: string; name: string; serverId: string }[];
  grantId: string;
  requestId: string;
  rows: DecisionLogRow[];
}

const REASONS_DENY = ['no_grant', 'action_not_granted', 'resource_not_granted', 'approval_required', 'denied_by_rule'] as const;

export async function createLogWorld(label: string, opts: { rows?: number; now?: number; sharedIdsFrom?: LogWorld } = {}): Promise<LogWorld> {
  const t = await createTenantFixture(label);
  const servers = [];
  for (const name of ['billing', 'ops']) {
    const s = await db().mcpServer.create({ data: { id: newId('server'), tenantId: t.tenantId, name, audience: `https://${name}.${t.slug}.test` } });
    servers.push({ id: s.id, name });
  }
  const td = await db().trustDomain.create({ data: { id: newId('trustDomain'), tenantId: t.tenantId, name: `${t.slug}.test`, jwks: { keys: [] } as unknown as Prisma.InputJsonValue } });
  const agents = [];
  for (const name of ['billing-agent', 'support-bot', 'deploy-agent']) {
    const a = await db().agent.create({ data: { id: newId('agent'), tenantId: t.tenantId, name } });
    const subject = `spiffe://shared.test/agents/${name}`;
    await db().workloadIdentity.create({ data: { id: newId('identity'), tenantId: t.tenantId, agentId: a.id, trustDomainId: td.id, kind: 'spiffe_jwt', subject: `spiffe://${t.slug}.test/agents/${name}` } });
    agents.push({ id: a.id, name, subject });
  }
  const tools = [];
  for (const [i, name] of ['get_invoice', 'update_invoice', 'create_refund', 'restart_service'].entries()) {
    const serverId = servers[i < 3 ? 0 : 1].id;
    const tool = await db().tool.create({ data: { id: newId('tool'), tenantId: t.tenantId, serverId, name, definitionHash: name, status: 'active', risk: i === 2 ? 'critical' : 'low' } });
    tools.push({ id: tool.id, name, serverId });
  }
  const requestId = newId('request');
  const grantId = newId('grant');
  await db().accessRequest.create({
    data: {
      id: requestId,
      tenantId: t.tenantId,
      agentId: agents[0].id,
      toolId: tools[2].id,
      actions: ['write'],
      resource: 'account:*',
      durationSeconds: 3600,
      justification: 'Refund batch INC-1',
      taskId: 'INC-1',
      requestedByUserId: t.users.member.id,
      status: 'approved',
      expiresAt: new Date(Date.now() + 86_400_000),
      decidedAt: new Date(),
      grantId,
    },
  });
  await db().approval.create({ data: { id: newId('approval'), tenantId: t.tenantId, requestId, approverUserId: t.users.security.id, verdict: 'approve', asRole: 'security', comment: 'ok for INC-1' } });
  await db().grant.create({
    data: { id: grantId, tenantId: t.tenantId, agentId: agents[0].id, toolId: tools[2].id, kind: 'jit', actions: ['write'], sourceRequestId: requestId, expiresAt: new Date(Date.now() + 3_600_000) },
  });

  const n = opts.rows ?? 240;
  const now = opts.now ?? Date.now();
  const rows: DecisionLogRow[] = [];
  for (let i = 0; i < n; i++) {
    const agent = agents[i % 3];
    const tool = tools[i % 4];
    const allow = i % 5 !== 0;
    // pairs of rows share a timestamp, so the id tie-break of the keyset is exercised
    const time = new Date(now - Math.floor(i / 2) * 97_000 - 5_000);
    const unauth = i % 23 === 0;
    rows.push({
      id: newId('decision', time.getTime()),
      time,
      tenantId: t.tenantId,
      serverId: tool.serverId,
      identityId: null,
      agentId: unauth ? null : agent.id,
      subject: agent.subject,
      onBehalfOf: i % 3 === 1 ? `user${i % 4}@example.test` : null,
      tool: tool.name,
      toolId: tool.id,
      action: (['read', 'write', 'admin', 'export'] as const)[i % 4],
      resource: i % 7 === 0 ? null : `invoice:${100 + (i % 11)}${i % 13 === 0 ? '_50%' : ''}`,
      allow: unauth ? false : allow,
      reason: unauth ? 'not_authenticated' : allow ? 'granted' : REASONS_DENY[Math.floor(i / 5) % REASONS_DENY.length],
      authnReason: unauth ? 'token_expired' : null,
      grantId: allow && !unauth && tool.name === 'create_refund' ? grantId : null,
      taskId: i % 6 === 0 ? `task-${i % 4}` : null,
      latencyUs: 100 + i,
      requestId: `req-${i}`,
      source: 'api',
      // what a malicious tool name / resource would try: formula injection and CSV breaking
      explanation: i % 17 === 0 ? '=HYPERLINK("http://evil.test","click"), then "quote"\nnew line' : `Row ${i}`,
      context: { environment: i % 2 ? 'prod' : 'staging' },
    });
  }
  await insertDecisionRows(pgPool(), rows);
  return { t, servers, agents, tools, grantId, requestId, rows };
}

/** the expected order of the explorer: time desc, id desc */
export function newestFirst<T extends { time: Date; id: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => b.time.getTime() - a.time.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** One decision-log row with every column set to a plain default; tests override what they vary. */
export function decisionRow(tenantId: string, time: Date, overrides: Partial<DecisionLogRow> = {}): DecisionLogRow {
  return {
    id: newId('decision', time.getTime()),
    time,
    tenantId,
    serverId: null,
    identityId: null,
    agentId: null,
    subject: null,
    onBehalfOf: null,
    tool: 'get_invoice',
    toolId: null,
    action: 'read',
    resource: null,
    allow: true,
    reason: 'granted',
    authnReason: null,
    grantId: null,
    taskId: null,
    latencyUs: 1,
    requestId: null,
    source: 'api',
    explanation: null,
    context: null,
    ...overrides,
  };
}
