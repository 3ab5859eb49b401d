// Hostile-input fuzzing of the engine (issue 8). decide.property.test.ts checks the semantics on
// a small, well-typed universe; this file feeds what the types do not promise: prototype-named
// ids and tools, actions and statuses outside the enums, NaN/Infinity times and counters, broken
// and pathological CEL, deep or prototype-keyed arguments, unicode that changes length when
// lower-cased, lone surrogates and NUL. Properties: decide() never throws and always answers a
// known reason; nothing is allowed unless one grant of the snapshot covers the call on every
// dimension; a matching deny rule always wins.

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { recordProof } from '../../tests/support/proof';
import { compile } from './compile';
import { decide } from './decide';
import { NOW } from './fixtures';
import {
  ACTIONS,
  AUTHZ_REASONS,
  RISKS,
  type Action,
  type DecisionRequest,
  type PolicyData,
  type PolicyDenyRule,
  type PolicyGrant,
  type PolicyTool,
} from './types';

let engineInputsTried = 0;
afterAll(() => recordProof('fuzz', { engineInputsTried }, { add: true }));

const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) };

// Universes mix ordinary and hostile values, so that hostile requests do meet hostile snapshots.
const PROTO = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const weird = fc.oneof(
  fc.constantFrom(...PROTO, '', '*', '**', '\u0000', 'a\u0000b', '\ud800', 'x\udc00', 'İ', 'i̇', 'ß', 'SS', 'K', 'ſ', '\u202e', '𝕏', ' ', 'read ', 'READ', 'delete'),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.string({ maxLength: 10 }),
);
const pick = <T>(values: readonly T[]) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: weird as fc.Arbitrary<unknown> as fc.Arbitrary<T> });

const AGENTS = ['agt_a', '__proto__', 'constructor', ''];
const SERVERS = ['srv_1', '__proto__', 'hasOwnProperty'];
const NAMES = ['alpha', '__proto__', 'constructor', 'toString', '', 'ALPHA', 'alpha\u0000'];
const PATTERNS = ['*', '**', '', 'acct:*', '*:1', 'İ*', '*ß', 'a*a*a*b', '*\u0000*', '\ud800*', '__proto__'];
const RESOURCES = ['acct:1', 'ACCT:1', 'İ', 'i̇', 'ß', 'SS', '\u0000', '*', '', 'a'.repeat(2000) + 'b', '\ud800', '__proto__'];
const ENVS = ['prod', 'PROD', 'dev', '__proto__', ''];
const USERS = ['alice', 'ALICE', '__proto__', ''];
const CONDITIONS = [
  'true',
  'false',
  'args.amount < 100',
  'has(args.amount)',
  'args.__proto__ == null',
  'context.environment == "prod"',
  '1',
  '"true"',
  'args',
  'unknownFn()',
  'args.x.y.z.w == 1',
  '(' .repeat(5000) + 'true' + ')'.repeat(5000),
  '[1,2,3].all(x, [1,2,3].all(y, x + y > 0))',
  'size(args) >= 0',
  'args.amount / 0 == 1',
  '9223372036854775807 + 1 > 0',
];
const TIMES = [null, NOW - 1000, NOW, NOW + 1000, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0];
/** mostly the ordinary value, so that grants do allow and the properties have something to judge */
const often = <T>(value: T, others: readonly T[]) => fc.oneof({ weight: 5, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: fc.constantFrom(...others) });

const toolsArb: fc.Arbitrary<PolicyTool[]> = fc.uniqueArray(
  fc.record({
    id: fc.oneof(fc.constantFrom('t1', 't2', 't3', ...PROTO), fc.string({ maxLength: 6 })),
    serverId: pick(SERVERS),
    name: pick(NAMES),
    status: fc.oneof({ weight: 4, arbitrary: fc.constant('active' as const) }, { weight: 1, arbitrary: pick(['unclassified', 'disabled'] as const) }),
    risk: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('low', 'medium') }, { weight: 2, arbitrary: pick([...RISKS, null] as const) }),
    defaultAction: pick(ACTIONS),
  }) as fc.Arbitrary<PolicyTool>,
  { selector: (t) => t.id, minLength: 1, maxLength: 3 },
);

const grantArb = (toolIds: string[]): fc.Arbitrary<PolicyGrant> =>
  fc.record({
    id: fc.uuid(),
    agentId: pick(AGENTS),
    toolId: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...toolIds) }, { weight: 1, arbitrary: weird }),
    kind: pick(['standing', 'jit', 'break_glass'] as const),
    actions: fc.oneof({ weight: 2, arbitrary: fc.constant([...ACTIONS]) }, { weight: 3, arbitrary: fc.array(pick(ACTIONS), { maxLength: 5 }) }),
    resourcePatterns: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 2, arbitrary: fc.array(pick(PATTERNS), { minLength: 1, maxLength: 3 }) }),
    environments: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(pick(ENVS), { minLength: 1, maxLength: 2 }) }),
    notBefore: often(null, TIMES),
    expiresAt: often(null, TIMES),
    maxUses: often(null, [0, 1, 3, -1, Number.NaN, Number.POSITIVE_INFINITY]),
    uses: often(0, [1, 2, -1, Number.NaN, Number.POSITIVE_INFINITY]),
    condition: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.constantFrom(...CONDITIONS) }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) }),
    delegation: pick(['allowed', 'allowed', 'required', 'forbidden'] as const),
    delegationUsers: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(pick(USERS), { minLength: 1, maxLength: 2 }) }),
    revokedAt: often(null, [NOW - 1, Number.NaN]),
  }) as fc.Arbitrary<PolicyGrant>;

const denyRuleArb = (toolIds: string[]): fc.Arbitrary<PolicyDenyRule> =>
  fc.record({
    id: fc.uuid(),
    agentId: fc.option(pick(AGENTS), { nil: null }),
    toolId: fc.option(fc.oneof(fc.constantFrom(...toolIds), weird), { nil: null }),
    resourcePattern: fc.option(pick(PATTERNS), { nil: null }),
    environment: fc.option(pick(ENVS), { nil: null }),
    reason: weird,
  });

const dataArb: fc.Arbitrary<PolicyData> = toolsArb.chain((tools) => {
  const ids = tools.map((t) => t.id);
  return fc.record({
    tools: fc.constant(tools),
    grants: fc.array(grantArb(ids), { minLength: 1, maxLength: 8 }),
    denyRules: fc.array(denyRuleArb(ids), { maxLength: 2 }),
  });
});

// Arguments as JSON.parse would hand them over: own "__proto__" keys, deep nesting, big arrays.
const deepArgs = fc.integer({ min: 1, max: 3000 }).map((n) => JSON.parse(`{"a":${'['.repeat(n)}${']'.repeat(n)}}`) as Record<string, unknown>);
const protoArgs = fc.constantFrom(
  '{"__proto__":{"amount":1},"amount":500}',
  '{"constructor":{"prototype":{"amount":1}}}',
  '{"amount":{"__proto__":null}}',
  '{"toString":"x","hasOwnProperty":1,"valueOf":null}',
).map((s) => JSON.parse(s) as Record<string, unknown>);
const argsArb = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.oneof(fc.constantFrom('amount', ...PROTO), fc.string({ maxLength: 5 })), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
  deepArgs,
  protoArgs,
  fc.constant(Object.assign(Object.create(null) as Record<string, unknown>, { amount: 1 })),
  fc.constant({ big: Array.from({ length: 10_000 }, (_, i) => i) }),
);

/** requests aimed mostly at the snapshot's own tools and agents, sometimes anywhere */
const requestFor = (data: PolicyData): fc.Arbitrary<DecisionRequest> => fc
  .record(
    {
      agentId: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...data.grants.map((g) => g.agentId), 'agt_a') }, { weight: 1, arbitrary: pick(AGENTS) }),
      ref: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...data.tools).map((t) => ({ serverId: t.serverId, tool: t.name })) },
        { weight: 1, arbitrary: fc.record({ serverId: pick(SERVERS), tool: pick(NAMES) }) },
      ),
      action: pick(ACTIONS),
      resource: pick(RESOURCES),
      environment: pick(ENVS),
      onBehalfOf: pick(USERS),
      taskId: weird,
      arguments: argsArb,
    },
    { requiredKeys: ['agentId', 'ref'] },
  )
  .map(({ ref, ...r }) => {
    if (r.arguments === undefined) delete r.arguments;
    return { ...r, ...ref } as DecisionRequest;
  });

const nowArb = fc.oneof({ weight: 6, arbitrary: fc.constant(NOW) }, { weight: 1, arbitrary: fc.constantFrom(NOW - 1000, NOW + 1000, Number.NaN, Number.POSITIVE_INFINITY) });
const caseArb = dataArb.chain((data) => fc.tuple(fc.constant(data), requestFor(data), nowArb));


// --- an independent statement of "a grant covers this call" -------------------------------

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[\\s\\S]*')}$`);
}

/** the tool decide() resolves: compile() keeps the last tool listed for a (server, name) */
function resolveTool(data: PolicyData, req: DecisionRequest): PolicyTool | undefined {
  return data.tools.filter((t) => t.serverId === req.serverId && t.name === req.tool).at(-1);
}

/** why the grant does NOT cover the call, or null when it does */
function uncovered(g: PolicyGrant, tool: PolicyTool, req: DecisionRequest, now: number): string | null {
  const action = (req.action ?? tool.defaultAction) as string;
  if (g.revokedAt !== null) return 'revoked';
  if (g.agentId !== req.agentId) return 'agent';
  if (g.toolId !== tool.id) return 'tool';
  if (tool.status !== 'active') return 'tool status';
  if (!['standing', 'jit', 'break_glass'].includes(g.kind)) return 'kind';
  if (!['required', 'allowed', 'forbidden'].includes(g.delegation)) return 'delegation mode';
  if (tool.risk !== 'low' && tool.risk !== 'medium' && g.kind === 'standing') return 'standing on an elevated tool';
  if (!(ACTIONS as readonly string[]).includes(action) || !g.actions.includes(action as Action)) return 'action';
  if (g.notBefore !== null && !(now >= g.notBefore)) return 'not yet valid';
  if (g.expiresAt !== null && !(now < g.expiresAt)) return 'expired';
  if (g.maxUses !== null && !(g.uses < g.maxUses)) return 'uses';
  if (g.resourcePatterns.length > 0 && !g.resourcePatterns.includes('*')) {
    if (req.resource === undefined || !g.resourcePatterns.some((p) => globToRegExp(p).test(req.resource!))) return 'resource';
  }
  if (g.environments.length > 0 && (req.environment === undefined || !g.environments.includes(req.environment))) return 'environment';
  if (req.onBehalfOf === undefined && g.delegation === 'required') return 'delegation required';
  if (req.onBehalfOf !== undefined && g.delegation === 'forbidden') return 'delegation forbidden';
  if (req.onBehalfOf !== undefined && g.delegationUsers.length > 0 && !g.delegationUsers.includes(req.onBehalfOf)) return 'delegation user';
  return null;
}

const REASONS: ReadonlySet<string> = new Set(AUTHZ_REASONS);

describe('engine under hostile snapshots and requests', () => {
  it('never throws and always answers a well-formed decision', () => {
    let allows = 0;
    fc.assert(
      fc.property(caseArb, ([data, req, now]) => {
        engineInputsTried++;
        const d = decide(compile(data), req, now);
        expect(typeof d.allow).toBe('boolean');
        expect(REASONS.has(d.reason)).toBe(true);
        expect(typeof d.explanation).toBe('string');
        expect(d.allow).toBe(d.reason === 'granted');
        expect(Number.isFinite(d.cacheTtlSeconds) && d.cacheTtlSeconds >= 0 && d.cacheTtlSeconds <= 1).toBe(true);
        if (!d.allow) expect(d.cacheTtlSeconds).toBe(0);
        else allows++;
      }),
      RUNS,
    );
    // the universes are small enough that hostile data still produces allows to check
    expect(allows).toBeGreaterThan(10);
  });

  it('never allows unless one grant covers the call on every dimension', () => {
    fc.assert(
      fc.property(caseArb, ([data, req, now]) => {
        engineInputsTried++;
        const d = decide(compile(data), req, now);
        if (!d.allow) return;
        const tool = resolveTool(data, req);
        expect(tool).toBeDefined();
        const g = data.grants.find((x) => x.id === d.grantId);
        expect(g, 'allowed by a grant that is not in the snapshot').toBeDefined();
        expect(uncovered(g!, tool!, req, now)).toBeNull();
        // the CEL condition is the engine's own; only a literal true/false is judged here
        if (g!.condition === 'false') throw new Error('allowed under a false condition');
      }),
      RUNS,
    );
  });

  it('with no grants, or only revoked ones, nothing is ever allowed', () => {
    fc.assert(
      fc.property(caseArb, ([data, req, now]) => {
        engineInputsTried++;
        const revoked = data.grants.map((g) => ({ ...g, revokedAt: NOW - 1 }));
        expect(decide(compile({ ...data, grants: [] }), req, now).allow).toBe(false);
        expect(decide(compile({ ...data, grants: revoked }), req, now).allow).toBe(false);
      }),
      RUNS,
    );
  });

  it('a deny rule matching the call always wins, whatever the grants', () => {
    fc.assert(
      fc.property(caseArb, fc.boolean(), fc.boolean(), fc.boolean(), ([data, req, now], byAgent, byTool, scoped) => {
        engineInputsTried++;
        const tool = resolveTool(data, req);
        const rule: PolicyDenyRule = {
          id: 'deny_fuzz',
          agentId: byAgent ? req.agentId : null,
          toolId: byTool && tool ? tool.id : null,
          resourcePattern: scoped && req.resource !== undefined ? req.resource : null,
          environment: scoped && req.environment !== undefined ? req.environment : null,
          reason: 'fuzz',
        };
        // every grant made to cover the call, so only the rule stands between it and an allow
        const grants = data.grants.concat(
          tool
            ? [{ id: 'g_all', agentId: req.agentId, toolId: tool.id, kind: 'jit', actions: [...ACTIONS], resourcePatterns: [], environments: [], notBefore: null, expiresAt: null, maxUses: null, uses: 0, condition: null, delegation: 'allowed', delegationUsers: [], revokedAt: null }]
            : [],
        );
        const d = decide(compile({ ...data, grants, denyRules: [...data.denyRules, rule] }), req, now);
        expect(d.allow).toBe(false);
        if (tool?.status === 'active') expect(d.reason).toBe('denied_by_rule');
      }),
      RUNS,
    );
  });
});

describe('fail-closed on values outside the model (regressions found by this fuzzing)', () => {
  const tool: PolicyTool = { id: 't1', serverId: 's', name: 'alpha', status: 'active', risk: 'low', defaultAction: 'read' };
  const base: PolicyGrant = { id: 'g', agentId: 'a', toolId: 't1', kind: 'standing', actions: ['read'], resourcePatterns: [], environments: [], notBefore: null, expiresAt: null, maxUses: null, uses: 0, condition: null, delegation: 'allowed', delegationUsers: [], revokedAt: null };
  const req: DecisionRequest = { agentId: 'a', serverId: 's', tool: 'alpha' };
  const run = (g: Partial<PolicyGrant>, t: Partial<PolicyTool> = {}, now = NOW) => decide(compile({ tools: [{ ...tool, ...t }], grants: [{ ...base, ...g }], denyRules: [] }), req, now);

  it('the baseline grant allows', () => {
    expect(run({}).allow).toBe(true);
  });

  it('a NaN expiry or start (a bad date) never makes a grant timeless', () => {
    expect(run({ expiresAt: Number.NaN })).toMatchObject({ allow: false, reason: 'grant_expired' });
    expect(run({ notBefore: Number.NaN })).toMatchObject({ allow: false, reason: 'grant_not_yet_valid' });
    expect(run({ expiresAt: NOW + 60_000 }, {}, Number.NaN).allow).toBe(false);
  });

  it('NaN use counters never make a grant unlimited', () => {
    expect(run({ maxUses: Number.NaN })).toMatchObject({ allow: false, reason: 'grant_exhausted' });
    expect(run({ maxUses: 3, uses: Number.NaN })).toMatchObject({ allow: false, reason: 'grant_exhausted' });
  });

  it('an unknown grant kind or delegation mode cannot allow; an unknown risk takes no standing grant', () => {
    expect(run({ kind: 'JIT' as PolicyGrant['kind'] }, { risk: 'critical' }).allow).toBe(false);
    expect(run({ delegation: 'REQUIRED' as PolicyGrant['delegation'] }).allow).toBe(false);
    expect(run({}, { risk: 'severe' as PolicyTool['risk'] })).toMatchObject({ allow: false, reason: 'approval_required' });
    expect(run({}, { risk: null })).toMatchObject({ allow: false, reason: 'approval_required' });
    expect(run({ kind: 'jit' }, { risk: 'severe' as PolicyTool['risk'] }).allow).toBe(true);
  });
});
