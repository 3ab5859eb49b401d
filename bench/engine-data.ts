// Synthetic, reproducible policy data for the engine benchmark: a fixed population of agents and
// tools, N grants on distinct (agent, tool) pairs, a few deny rules, and a request mix of pairs
// that have a grant and pairs that do not.

import type { Action, DecisionRequest, PolicyData, PolicyDenyRule, PolicyGrant, PolicyTool, Risk } from '../lib/policy/index';

export const BENCH_NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const HOUR = 3_600_000;

export interface BenchShape {
  agents: number;
  tools: number;
  servers: number;
  grants: number;
  denyRules: number;
  requests: number;
}

export interface BenchData {
  data: PolicyData;
  requests: DecisionRequest[];
  toolIdOf: ReadonlyMap<string, string>;
}

/** mulberry32: tiny seeded PRNG, so every run benchmarks the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function riskFor(r: number): Risk {
  if (r < 0.6) return 'low';
  if (r < 0.85) return 'medium';
  if (r < 0.95) return 'high';
  return 'critical';
}

export function buildBenchData(shape: BenchShape, seed = 42): BenchData {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const int = (n: number) => Math.floor(random() * n);

  const tools: PolicyTool[] = [];
  for (let i = 0; i < shape.tools; i++) {
    tools.push({
      id: `tool_${i}`,
      serverId: `srv_${i % shape.servers}`,
      name: `tool_name_${i}`,
      status: 'active',
      risk: riskFor(random()),
      defaultAction: pick<Action>(['read', 'read', 'write']),
    });
  }
  const agents = Array.from({ length: shape.agents }, (_, i) => `agt_${i}`);

  const totalPairs = shape.agents * shape.tools;
  if (shape.grants > totalPairs) throw new Error('more grants than (agent, tool) pairs');
  const usedPairs = new Set<number>();
  const grants: PolicyGrant[] = [];
  while (grants.length < shape.grants) {
    const pair = int(totalPairs);
    if (usedPairs.has(pair)) continue;
    usedPairs.add(pair);
    const tool = tools[pair % shape.tools]!;
    const elevated = tool.risk === 'high' || tool.risk === 'critical';
    const r = random();
    grants.push({
      id: `grant_${grants.length}`,
      agentId: agents[Math.floor(pair / shape.tools)]!,
      toolId: tool.id,
      kind: elevated ? 'jit' : 'standing',
      actions: random() < 0.5 ? ['read'] : ['read', 'write'],
      resourcePatterns: r < 0.15 ? ['acct:*'] : r < 0.3 ? ['acct:1*', 'doc:*:draft'] : [],
      environments: random() < 0.5 ? ['prod'] : [],
      notBefore: null,
      // Most grants are open-ended; some are JIT-style bounded; a few already ended.
      expiresAt: elevated || random() < 0.2 ? BENCH_NOW + (random() < 0.1 ? -HOUR : (1 + int(8)) * HOUR) : null,
      maxUses: null,
      uses: 0,
      condition: null,
      delegation: 'allowed',
      delegationUsers: [],
      revokedAt: null,
    });
  }

  const denyRules: PolicyDenyRule[] = [];
  for (let i = 0; i < shape.denyRules; i++) {
    const g = grants.length > 0 && random() < 0.5 ? pick(grants) : null;
    denyRules.push({
      id: `deny_${i}`,
      agentId: g ? g.agentId : pick(agents),
      toolId: g ? g.toolId : pick(tools).id,
      resourcePattern: null,
      environment: null,
      reason: 'benchmark',
    });
  }

  const requests: DecisionRequest[] = [];
  for (let i = 0; i < shape.requests; i++) {
    let agentId: string;
    let tool: PolicyTool;
    const kind = random();
    if (kind < 0.5 && grants.length > 0) {
      // a pair that has a grant (which may still deny: action, resource, environment, expiry)
      const g = pick(grants);
      agentId = g.agentId;
      tool = tools[Number(g.toolId.slice(5))]!;
    } else {
      agentId = pick(agents);
      tool = pick(tools);
    }
    const req: DecisionRequest = {
      agentId,
      serverId: tool.serverId,
      // 1% of calls name a tool the server never registered
      tool: kind > 0.99 ? `unknown_${i}` : tool.name,
      action: random() < 0.7 ? 'read' : 'write',
      environment: random() < 0.8 ? 'prod' : 'dev',
    };
    const rr = random();
    if (rr < 0.7) req.resource = `acct:${int(200)}`;
    else if (rr < 0.8) req.resource = `doc:${int(50)}:draft`;
    requests.push(req);
  }

  return {
    data: { tools, grants, denyRules },
    requests,
    toolIdOf: new Map(tools.map((t) => [`${t.serverId}\u0000${t.name}`, t.id])),
  };
}
