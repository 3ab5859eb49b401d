// Properties that must hold for every snapshot and request, checked on random ones drawn from a
// small universe (so collisions between agents, tools, patterns and environments are common).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { decide } from './decide';
import { NOW } from './fixtures';
import {
  ACTIONS,
  RISKS,
  type DecisionRequest,
  type PolicyData,
  type PolicyDenyRule,
  type PolicyGrant,
  type PolicyTool,
} from './types';

const RUNS = { numRuns: 1500 };

const AGENTS = ['agt_a', 'agt_b'];
const TOOL_SLOTS = [
  { id: 'tool_1', serverId: 'srv_1', name: 'alpha' },
  { id: 'tool_2', serverId: 'srv_2', name: 'alpha' },
  { id: 'tool_3', serverId: 'srv_1', name: 'beta' },
  { id: 'tool_4', serverId: 'srv_2', name: 'gamma' },
];
const PATTERNS = ['*', 'acct:*', 'acct:1', '*:x', 'doc:*', '*1', 'acct:*2*'];
const RESOURCES = ['acct:1', 'acct:22', 'doc:x', 'ACCT:1', 'acct:12', ''];
const ENVIRONMENTS = ['prod', 'dev', 'staging'];
const USERS = ['alice', 'bob', 'carol'];
// None of these read context.onBehalfOf: a condition may of course narrow on the delegating user.
const CONDITIONS = [
  null,
  'args.amount < 100',
  'context.environment == "prod"',
  'true',
  'false',
  'args.amount <= ',
  'has(args.amount)',
];

// Each restriction is usually absent, so that random grants often allow and both sides of every
// property get exercised.
const often = <T>(value: T, other: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: other });
const time = often(null, fc.integer({ min: -5, max: 5 }).map((k) => NOW + k * 1000));
const subset = <T>(xs: readonly T[]) => often<T[]>([], fc.subarray([...xs], { minLength: 1 }));

const toolsArb: fc.Arbitrary<PolicyTool[]> = fc.tuple(
  ...TOOL_SLOTS.map((slot) =>
    fc.record({
      status: fc.constantFrom('active', 'active', 'active', 'active', 'active', 'unclassified', 'disabled'),
      risk: fc.constantFrom(...RISKS),
      defaultAction: fc.constantFrom(...ACTIONS),
      present: fc.boolean(),
    }).map(({ present, status, risk, defaultAction }) =>
      present || slot.id === 'tool_1'
        ? [{ ...slot, status, risk: status === 'unclassified' ? null : risk, defaultAction } satisfies PolicyTool]
        : [],
    ),
  ),
).map((lists) => lists.flat());

const grantArb: fc.Arbitrary<PolicyGrant> = fc.record({
  id: fc.uuid(),
  agentId: fc.constantFrom(...AGENTS),
  toolId: fc.constantFrom(...TOOL_SLOTS.map((t) => t.id)),
  kind: fc.constantFrom('standing', 'jit', 'jit', 'break_glass'),
  actions: often([...ACTIONS], fc.subarray([...ACTIONS])),
  resourcePatterns: subset(PATTERNS),
  environments: subset(ENVIRONMENTS),
  notBefore: time,
  expiresAt: time,
  maxUses: often(null, fc.integer({ min: 0, max: 3 })),
  uses: fc.integer({ min: 0, max: 3 }),
  condition: often(null, fc.constantFrom(...CONDITIONS)),
  delegation: often('allowed' as const, fc.constantFrom('required', 'allowed', 'forbidden')),
  delegationUsers: subset(USERS.slice(0, 2)),
  revokedAt: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant(NOW - 1) }),
});

const denyRuleArb: fc.Arbitrary<PolicyDenyRule> = fc.record({
  id: fc.uuid(),
  agentId: fc.option(fc.constantFrom(...AGENTS), { nil: null }),
  toolId: fc.option(fc.constantFrom(...TOOL_SLOTS.map((t) => t.id)), { nil: null }),
  resourcePattern: fc.option(fc.constantFrom(...PATTERNS), { nil: null }),
  environment: fc.option(fc.constantFrom(...ENVIRONMENTS), { nil: null }),
  reason: fc.constant('test'),
});

const dataArb: fc.Arbitrary<PolicyData> = fc.record({
  tools: toolsArb,
  grants: fc.array(grantArb, { minLength: 1, maxLength: 10 }),
  denyRules: fc.array(denyRuleArb, { maxLength: 2 }),
});

// Mostly tools that exist, sometimes a name unknown on that server.
const toolRefArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TOOL_SLOTS).map(({ serverId, name }) => ({ serverId, tool: name })) },
  {
    weight: 1,
    arbitrary: fc.record({ serverId: fc.constantFrom('srv_1', 'srv_2'), tool: fc.constantFrom('beta', 'zeta') }),
  },
);

const requestArb: fc.Arbitrary<DecisionRequest> = fc.tuple(toolRefArb, fc.record(
  {
    agentId: fc.constantFrom(...AGENTS),
    action: fc.constantFrom(...ACTIONS),
    resource: fc.constantFrom(...RESOURCES),
    environment: fc.constantFrom(...ENVIRONMENTS),
    onBehalfOf: fc.constantFrom(...USERS),
    taskId: fc.constant('task-1'),
    arguments: fc.record({ amount: fc.integer({ min: 0, max: 200 }) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['agentId'] },
)).map(([ref, rest]) => ({ ...rest, ...ref }));

// --- an independent, deliberately naive restatement of what a grant covers -----------------

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[\\s\\S]*')}$`);
}

function resolveTool(data: PolicyData, req: DecisionRequest): PolicyTool | undefined {
  return data.tools.find((t) => t.serverId === req.serverId && t.name === req.tool);
}

function grantCovers(g: PolicyGrant, tool: PolicyTool, req: DecisionRequest, now: number): string | null {
  const action = req.action ?? tool.defaultAction;
  if (g.revokedAt !== null) return 'revoked';
  if (g.agentId !== req.agentId) return 'other agent';
  if (g.toolId !== tool.id) return 'other tool';
  if (tool.status !== 'active') return 'tool not active';
  if ((tool.risk === 'high' || tool.risk === 'critical') && g.kind === 'standing') return 'standing on high risk';
  if (!g.actions.includes(action)) return 'action';
  if (g.notBefore !== null && now < g.notBefore) return 'not yet valid';
  if (g.expiresAt !== null && now >= g.expiresAt) return 'expired';
  if (g.resourcePatterns.length > 0) {
    if (req.resource === undefined) {
      if (!g.resourcePatterns.includes('*')) return 'resource';
    } else if (!g.resourcePatterns.some((p) => globToRegExp(p).test(req.resource!))) return 'resource';
  }
  if (g.environments.length > 0 && (req.environment === undefined || !g.environments.includes(req.environment))) {
    return 'environment';
  }
  if (g.delegation === 'required' && req.onBehalfOf === undefined) return 'delegation';
  if (req.onBehalfOf !== undefined) {
    if (g.delegation === 'forbidden') return 'delegation';
    if (g.delegationUsers.length > 0 && !g.delegationUsers.includes(req.onBehalfOf)) return 'delegation';
  }
  if (g.condition !== null && !conditionHolds(g.condition, req)) return 'condition';
  if (g.maxUses !== null && g.uses >= g.maxUses) return 'uses';
  return null;
}

function conditionHolds(condition: string, req: DecisionRequest): boolean {
  const amount = req.arguments?.amount;
  switch (condition) {
    case 'true':
      return true;
    case 'args.amount < 100':
      return typeof amount === 'number' && amount < 100;
    case 'has(args.amount)':
      return amount !== undefined;
    case 'context.environment == "prod"':
      return req.environment === 'prod';
    default:
      return false;
  }
}

function withoutDelegation(req: DecisionRequest): DecisionRequest {
  const { onBehalfOf: _, ...rest } = req;
  return rest;
}

describe('policy engine properties', () => {
  it('default deny: with no grants, nothing is ever allowed', () => {
    fc.assert(
      fc.property(toolsArb, fc.array(denyRuleArb, { maxLength: 2 }), requestArb, (tools, denyRules, req) => {
        const d = decide(compile({ tools, grants: [], denyRules }), req, NOW);
        expect(d.allow).toBe(false);
        expect(d.grantId).toBeNull();
        expect(d.cacheTtlSeconds).toBe(0);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(requestArb, (req) => {
        expect(decide(compile({ tools: [], grants: [], denyRules: [] }), req, NOW).reason).toBe('tool_unknown');
      }),
      RUNS,
    );
  });

  it('deny rules win over any grant', () => {
    fc.assert(
      fc.property(dataArb, requestArb, fc.boolean(), fc.boolean(), fc.boolean(), (data, req, byAgent, byTool, scoped) => {
        const tool = resolveTool(data, req);
        const rule: PolicyDenyRule = {
          id: 'deny_x',
          agentId: byAgent ? req.agentId : null,
          toolId: byTool && tool ? tool.id : null,
          resourcePattern: scoped && req.resource !== undefined ? req.resource : null,
          environment: scoped && req.environment !== undefined ? req.environment : null,
          reason: 'property',
        };
        const d = decide(compile({ ...data, denyRules: [...data.denyRules, rule] }), req, NOW);
        expect(d.allow).toBe(false);
        if (tool?.status === 'active') expect(d.reason).toBe('denied_by_rule');
      }),
      RUNS,
    );
  });

  it('a grant never allows beyond its agent, tool, actions, resources, environments, time window and uses', () => {
    let allows = 0;
    fc.assert(
      fc.property(dataArb, requestArb, fc.integer({ min: -6, max: 6 }), (data, req, offset) => {
        const now = NOW + offset * 1000;
        const d = decide(compile(data), req, now);
        const tool = resolveTool(data, req);
        if (!d.allow) {
          // Conversely: with no deny rules, a grant that covers the call would have allowed it.
          if (tool && data.denyRules.length === 0) {
            expect(data.grants.filter((g) => grantCovers(g, tool, req, now) === null)).toEqual([]);
          }
          return;
        }
        allows++;
        expect(tool).toBeDefined();
        const g = data.grants.find((x) => x.id === d.grantId);
        expect(g).toBeDefined();
        expect(grantCovers(g!, tool!, req, now)).toBeNull();
        expect(d.expiresAt).toBe(g!.expiresAt);
        if (d.expiresAt !== null) expect(d.cacheTtlSeconds * 1000).toBeLessThanOrEqual(d.expiresAt - now);
      }),
      RUNS,
    );
    // The generators must actually produce allows, or this property proves nothing.
    expect(allows).toBeGreaterThan(20);
  });

  it('delegation never widens: an allow on behalf of a user is an allow for the agent alone', () => {
    let checked = 0;
    fc.assert(
      fc.property(dataArb, requestArb, fc.constantFrom(...USERS), (data, req, user) => {
        const index = compile(data);
        const delegated = decide(index, { ...req, onBehalfOf: user }, NOW);
        if (!delegated.allow) return;
        const g = data.grants.find((x) => x.id === delegated.grantId)!;
        if (g.delegation === 'required') return;
        checked++;
        expect(decide(index, withoutDelegation(req), NOW).allow).toBe(true);
      }),
      RUNS,
    );
    expect(checked).toBeGreaterThan(20);
  });

  it('never throws, whatever the conditions and requests', () => {
    fc.assert(
      fc.property(
        fc.array(grantArb.chain((g) => fc.string({ maxLength: 30 }).map((condition) => ({ ...g, condition }))), {
          maxLength: 4,
        }),
        requestArb,
        fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue()),
        (grants, req, args) => {
          const data = { tools: TOOL_SLOTS.map((s) => ({ ...s, status: 'active' as const, risk: 'low' as const, defaultAction: 'read' as const })), grants, denyRules: [] };
          const d = decide(compile(data), { ...req, arguments: args }, NOW);
          expect(typeof d.allow).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });
});
