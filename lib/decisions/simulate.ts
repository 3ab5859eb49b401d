import { z } from 'zod';
import type { ServiceContext } from '../context';
import { requirePermission } from '../auth/require';
import { notFound } from '../errors';
import { createKeyResolver, type KeyResolver } from '../identity';
import { ACTIONS } from '../policy';
import { parseInput } from '../validation';
import { authenticateSubject, authorizeCheck, type Authentication } from './evaluate';
import { loadTenantSnapshot } from './snapshot-loader';

// The policy simulator: what would the decision API answer, and why. Same snapshot loader, same
// authentication and engine as the API; nothing is logged as a decision and no use is spent.

export const simulateSchema = z
  .object({
    serverId: z.string().min(1, 'Choose a server'),
    agentId: z.string().optional(),
    token: z.string().max(16_384).optional(),
    tool: z.string().min(1, 'Choose a tool').max(256),
    action: z.enum(ACTIONS).optional(),
    resource: z.string().max(1024).optional(),
    environment: z.string().max(64).optional(),
    onBehalfOf: z.string().max(320).optional(),
    taskId: z.string().max(200).optional(),
    arguments: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((v) => !!v.agentId !== !!v.token, { message: 'Choose an agent or paste a token (one of them)', path: ['agentId'] });

let resolver: KeyResolver | undefined;

export async function simulateDecision(ctx: ServiceContext, input: unknown, now = Date.now()) {
  requirePermission(ctx, 'simulator.use');
  const req = parseInput(simulateSchema, input);
  const snap = await loadTenantSnapshot(ctx.tenantId);
  const server = snap.servers.get(req.serverId);
  if (!server) throw notFound('Server');
  let authn: Authentication;
  if (req.token) {
    resolver ??= createKeyResolver();
    authn = await authenticateSubject(snap, server, { token: req.token }, now, resolver);
  } else {
    const agent = snap.agents.get(req.agentId!);
    if (!agent) throw notFound('Agent');
    authn =
      agent.status === 'active'
        ? { status: 'verified', reason: null, detail: 'simulated as this agent', identityId: null, agentId: agent.id, subject: agent.name, onBehalfOf: null }
        : { status: 'failed', reason: 'agent_suspended', detail: 'the agent is suspended', identityId: null, agentId: null, subject: agent.name, onBehalfOf: null };
  }
  const decision = authorizeCheck(
    snap,
    server,
    authn,
    { tool: req.tool, action: req.action, resource: req.resource, context: { environment: req.environment, onBehalfOf: req.onBehalfOf, taskId: req.taskId, arguments: req.arguments } },
    now,
  );
  const grant = decision.grantId ? snap.data.grants.find((g) => g.id === decision.grantId) ?? null : null;
  return {
    allow: decision.allow,
    authentication: authn,
    authorization: {
      decision: decision.allow ? 'allow' : 'deny',
      reason: decision.reason,
      explanation: decision.explanation,
      grantId: decision.grantId,
      expiresAt: decision.expiresAt ? new Date(decision.expiresAt).toISOString() : null,
      approval: { required: decision.approvalRequired },
    },
    // shown in the simulator: an N-use grant would spend one use on a real call
    consumesUse: decision.consumesUse,
    cacheTtlSeconds: decision.allow ? decision.cacheTtlSeconds : 0,
    grant,
  };
}
