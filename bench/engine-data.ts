// Synthetic, reproducible policy data for the engine benchmark: a fixed population of agents and
// tools, N grants on distinct (agent, tool) pairs, a few deny rules, and two request mixes:
// - `requests`, the original mix: half on pairs that have a grant, half on random pairs. How much
//   work a random pair costs depends on the size: at 100 grants it almost never holds a grant
//   (the cheap `no_grant` path), at 100,000 grants (half of all pairs) it does half the time.
// - `matchedRequests`, the work-matched mix: at every size the same shares of requests on granted
//   pairs, pairs without a grant, pairs a deny rule names and unknown tools, with the same
//   action, resource and environment draws. The outcomes then come out (nearly) the same at every
//   size, so comparing sizes on it measures what a bigger index costs and nothing else.

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
  /** the original mix: half on granted pairs, half on random pairs (see the file comment) */
  requests: DecisionRequest[];
  /** the work-matched mix (see MATCHED_MIX) */
  matchedRequests: DecisionRequest[];
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

/**
 * Shares of the work-matched mix, the same at every size. Granted and ungranted pairs exclude the
 * pairs a deny rule names: at 100 grants, the ten rules drawn from grants would otherwise cover
 * a tenth of the granted pairs, at 100,000 a ten-thousandth, and the mixes would differ again.
 */
export const MATCHED_MIX = { granted: 0.49, ungranted: 0.49, denyRule: 0.01, unknownTool: 0.01 } as const;

export const MATCHED_MIX_TEXT =
  `${MATCHED_MIX.granted * 100}% on pairs with a grant, ${MATCHED_MIX.ungranted * 100}% on pairs without one, ` +
  `${MATCHED_MIX.denyRule * 100}% on pairs a deny rule names, ${MATCHED_MIX.unknownTool * 100}% naming unknown tools`;

/** The action, environment and resource of a call, drawn alike in both mixes (and in this order). */
function callFields(random: () => number, int: (n: number) => number): Pick<DecisionRequest, 'action' | 'environment' | 'resource'> {
  const fields: Pick<DecisionRequest, 'action' | 'environment' | 'resource'> = {
    action: random() < 0.7 ? 'read' : 'write',
    environment: random() < 0.8 ? 'prod' : 'dev',
  };
  const rr = random();
  if (rr < 0.7) fields.resource = `acct:${int(200)}`;
  else if (rr < 0.8) fields.resource = `doc:${int(50)}:draft`;
  return fields;
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
    requests.push({
      agentId,
      serverId: tool.serverId,
      // 1% of calls name a tool the server never registered
      tool: kind > 0.99 ? `unknown_${i}` : tool.name,
      ...callFields(random, int),
    });
  }

  const matchedRequests = matchedMix(shape, { tools, agents, grants, denyRules, usedPairs }, rng(seed + 1));

  return {
    data: { tools, grants, denyRules },
    requests,
    matchedRequests,
    toolIdOf: new Map(tools.map((t) => [`${t.serverId}\u0000${t.name}`, t.id])),
  };
}

/**
 * The work-matched mix (MATCHED_MIX). Its own random stream, so the original mix stays the same
 * requests it always was. Pairs are numbered agent × tools + tool, as when grants are drawn.
 */
function matchedMix(
  shape: BenchShape,
  d: { tools: PolicyTool[]; agents: string[]; grants: PolicyGrant[]; denyRules: PolicyDenyRule[]; usedPairs: ReadonlySet<number> },
  random: () => number,
): DecisionRequest[] {
  const int = (n: number) => Math.floor(random() * n);
  const pairOf = (agentId: string, toolId: string) => Number(agentId.slice(4)) * shape.tools + Number(toolId.slice(5));
  const ruled = new Set(d.denyRules.filter((r) => r.agentId !== null && r.toolId !== null).map((r) => pairOf(r.agentId!, r.toolId!)));
  const granted = d.grants.filter((g) => !ruled.has(pairOf(g.agentId, g.toolId)));
  const totalPairs = shape.agents * shape.tools;
  if (granted.length === 0 || d.usedPairs.size + ruled.size >= totalPairs) {
    throw new Error('the work-matched mix needs pairs with and without a grant');
  }

  const out: DecisionRequest[] = [];
  for (let i = 0; i < shape.requests; i++) {
    const kind = random();
    let pair: number;
    if (kind < MATCHED_MIX.granted) {
      const g = granted[int(granted.length)]!;
      pair = pairOf(g.agentId, g.toolId);
    } else if (kind < MATCHED_MIX.granted + MATCHED_MIX.ungranted + MATCHED_MIX.unknownTool) {
      // ungranted pairs; the unknown tools are named on such pairs' servers
      do pair = int(totalPairs);
      while (d.usedPairs.has(pair) || ruled.has(pair));
    } else {
      const r = d.denyRules[int(d.denyRules.length)]!;
      pair = pairOf(r.agentId!, r.toolId!);
    }
    const tool = d.tools[pair % shape.tools]!;
    const unknown = kind >= MATCHED_MIX.granted + MATCHED_MIX.ungranted && kind < 1 - MATCHED_MIX.denyRule;
    out.push({
      agentId: d.agents[Math.floor(pair / shape.tools)]!,
      serverId: tool.serverId,
      tool: unknown ? `unknown_${i}` : tool.name,
      ...callFields(random, int),
    });
  }
  return out;
}
