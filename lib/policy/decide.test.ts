import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { decide, MAX_CACHE_TTL_SECONDS } from './decide';
import { HOUR, NOW, denyRule, grant, request, tool } from './fixtures';
import { ACTIONS, type DecisionRequest, type PolicyData, type PolicyDenyRule, type PolicyGrant, type PolicyTool } from './types';

function run(
  data: { tools?: PolicyTool[]; grants?: PolicyGrant[]; denyRules?: PolicyDenyRule[] },
  req: DecisionRequest = request(),
  now = NOW,
) {
  const full: PolicyData = {
    tools: data.tools ?? [tool()],
    grants: data.grants ?? [],
    denyRules: data.denyRules ?? [],
  };
  return decide(compile(full), req, now);
}

describe('tool checks', () => {
  it('denies a tool name the server never registered (tool_unknown)', () => {
    const d = run({ grants: [grant()] }, request({ tool: 'drop_database', action: 'admin' }));
    expect(d).toMatchObject({ allow: false, reason: 'tool_unknown', toolId: null, action: 'admin' });
    expect(d.explanation).toContain('drop_database');
  });

  it('looks tools up per server: the same name on another server is unknown', () => {
    const d = run({ grants: [grant()] }, request({ serverId: 'srv_other' }));
    expect(d.reason).toBe('tool_unknown');
  });

  it('denies every call to an unclassified tool, even with a grant (tool_unclassified)', () => {
    const d = run({ tools: [tool({ status: 'unclassified', risk: null })], grants: [grant()] });
    expect(d).toMatchObject({ allow: false, reason: 'tool_unclassified', toolId: 'tool_refund' });
  });

  it('denies a disabled tool, even with a grant (tool_disabled)', () => {
    const d = run({ tools: [tool({ status: 'disabled' })], grants: [grant()] });
    expect(d).toMatchObject({ allow: false, reason: 'tool_disabled' });
  });

  it('evaluates the tool default action when the request names none', () => {
    const d = run({ tools: [tool({ defaultAction: 'export' })], grants: [grant({ actions: ['read'] })] });
    expect(d).toMatchObject({ allow: false, reason: 'action_not_granted', action: 'export' });
  });
});

describe('deny rules', () => {
  const valid = grant();

  it.each([
    ['agent and tool', { agentId: 'agt_billing', toolId: 'tool_refund' }],
    ['agent only', { agentId: 'agt_billing' }],
    ['tool only', { toolId: 'tool_refund' }],
    ['global', {}],
  ])('a matching %s rule denies despite a valid grant (denied_by_rule)', (_, scope) => {
    const d = run({ grants: [valid], denyRules: [denyRule(scope)] });
    expect(d).toMatchObject({ allow: false, reason: 'denied_by_rule', grantId: null });
    expect(d.explanation).toContain('deny_1');
    expect(d.explanation).toContain('incident freeze');
  });

  it('ignores rules for another agent or another tool', () => {
    const d = run({
      grants: [valid],
      denyRules: [denyRule({ agentId: 'agt_other' }), denyRule({ id: 'deny_2', toolId: 'tool_other' })],
    });
    expect(d.reason).toBe('granted');
  });

  it('applies a resource-scoped rule only to matching resources, case-insensitively', () => {
    const rules = [denyRule({ resourcePattern: 'account:9*' })];
    expect(run({ grants: [valid], denyRules: rules }, request({ resource: 'account:1' })).allow).toBe(true);
    expect(run({ grants: [valid], denyRules: rules }, request({ resource: 'account:99' })).reason).toBe(
      'denied_by_rule',
    );
    expect(run({ grants: [valid], denyRules: rules }, request({ resource: 'ACCOUNT:99' })).reason).toBe(
      'denied_by_rule',
    );
  });

  it('applies a resource-scoped rule to a call that names no resource (fail closed)', () => {
    const d = run({ grants: [valid], denyRules: [denyRule({ resourcePattern: 'account:9*' })] });
    expect(d.reason).toBe('denied_by_rule');
  });

  it('applies an environment-scoped rule only to that environment', () => {
    const rules = [denyRule({ environment: 'prod' })];
    expect(run({ grants: [valid], denyRules: rules }, request({ environment: 'dev' })).allow).toBe(true);
    expect(run({ grants: [valid], denyRules: rules }, request({ environment: 'Prod' })).reason).toBe(
      'denied_by_rule',
    );
    expect(run({ grants: [valid], denyRules: rules }).reason).toBe('denied_by_rule');
  });

  it('comes after the tool checks and before grant lookup', () => {
    const rules = [denyRule()];
    expect(run({ tools: [tool({ status: 'disabled' })], denyRules: rules }).reason).toBe('tool_disabled');
    expect(run({ denyRules: rules }).reason).toBe('denied_by_rule');
    expect(run({ tools: [tool({ risk: 'critical' })], denyRules: rules }).reason).toBe('denied_by_rule');
  });
});

describe('no applicable grant', () => {
  it('low risk: no_grant without escalation', () => {
    const d = run({ grants: [grant({ agentId: 'agt_other' })] });
    expect(d).toMatchObject({ allow: false, reason: 'no_grant', approvalRequired: false, grantId: null });
    expect(d.explanation).toBe(
      'This agent has no grant for create_refund; a grant including write would allow it.',
    );
  });

  it('medium risk: no_grant and the agent is told it can request approval', () => {
    const d = run({ tools: [tool({ risk: 'medium' })] });
    expect(d).toMatchObject({ reason: 'no_grant', approvalRequired: true });
  });

  it.each(['high', 'critical'] as const)('%s risk: a standing grant does not count (approval_required)', (risk) => {
    const d = run({ tools: [tool({ risk })], grants: [grant()] });
    expect(d).toMatchObject({ allow: false, reason: 'approval_required', approvalRequired: true, grantId: null });
    expect(d.explanation).toContain('standing grants do not count');
  });

  it('critical risk with no grant at all: approval_required', () => {
    const d = run({ tools: [tool({ risk: 'critical' })] });
    expect(d).toMatchObject({ reason: 'approval_required', approvalRequired: true });
  });

  it.each(['jit', 'break_glass'] as const)('high risk: a %s grant allows', (kind) => {
    const d = run({ tools: [tool({ risk: 'high' })], grants: [grant({ kind, expiresAt: NOW + HOUR })] });
    expect(d).toMatchObject({ allow: true, reason: 'granted' });
  });

  it('drops revoked grants', () => {
    expect(run({ grants: [grant({ revokedAt: NOW - 1 })] }).reason).toBe('no_grant');
  });
});

describe('grant checks', () => {
  it('grant_not_yet_valid before notBefore, allowed from notBefore on', () => {
    const g = grant({ notBefore: NOW + 1 });
    expect(run({ grants: [g] })).toMatchObject({ allow: false, reason: 'grant_not_yet_valid', grantId: 'grant_1' });
    expect(run({ grants: [g] }, request(), NOW + 1).allow).toBe(true);
  });

  it('grant_expired from expiresAt on (the end is exclusive)', () => {
    const g = grant({ expiresAt: NOW });
    expect(run({ grants: [g] })).toMatchObject({ allow: false, reason: 'grant_expired', grantId: 'grant_1' });
    expect(run({ grants: [g] }, request(), NOW - 1).allow).toBe(true);
  });

  it('action_not_granted names the missing action', () => {
    const d = run({ grants: [grant({ actions: ['read'] })] }, request({ action: 'write' }));
    expect(d).toMatchObject({ allow: false, reason: 'action_not_granted' });
    expect(d.explanation).toBe(
      'No grant gives this agent the write action on create_refund; a grant including write would allow it.',
    );
  });

  it('never grants an action the engine does not know', () => {
    const d = run({ grants: [grant({ actions: [...ACTIONS] })] }, request({ action: 'delete' as never }));
    expect(d.reason).toBe('action_not_granted');
    const none = run({}, request({ action: 'delete' as never }));
    expect(none.reason).toBe('no_grant');
    expect(none.explanation).toContain('"delete" is not an action');
  });

  it('resource_not_granted when no pattern matches the whole resource', () => {
    const g = grant({ resourcePatterns: ['account:1*', 'invoice:*:draft'] });
    expect(run({ grants: [g] }, request({ resource: 'account:12' })).allow).toBe(true);
    expect(run({ grants: [g] }, request({ resource: 'invoice:7:draft' })).allow).toBe(true);
    expect(run({ grants: [g] }, request({ resource: 'xaccount:12' })).reason).toBe('resource_not_granted');
    expect(run({ grants: [g] }, request({ resource: 'invoice:7:draft2' })).reason).toBe('resource_not_granted');
  });

  it('a call naming no resource only matches unrestricted grants', () => {
    expect(run({ grants: [grant({ resourcePatterns: ['account:*'] })] }).reason).toBe('resource_not_granted');
    expect(run({ grants: [grant({ resourcePatterns: ['*'] })] }).allow).toBe(true);
    expect(run({ grants: [grant({ resourcePatterns: [] })] }).allow).toBe(true);
  });

  it('treats regex characters in patterns literally', () => {
    const g = grant({ resourcePatterns: ['a.c(d)+'] });
    expect(run({ grants: [g] }, request({ resource: 'abc(d)+' })).reason).toBe('resource_not_granted');
    expect(run({ grants: [g] }, request({ resource: 'a.c(d)+' })).allow).toBe(true);
  });

  it('environment_not_granted for another environment or none', () => {
    const g = grant({ environments: ['staging'] });
    expect(run({ grants: [g] }, request({ environment: 'staging' })).allow).toBe(true);
    expect(run({ grants: [g] }, request({ environment: 'prod' })).reason).toBe('environment_not_granted');
    expect(run({ grants: [g] }).reason).toBe('environment_not_granted');
  });

  it('delegation_required when the grant is only for calls on behalf of a user', () => {
    const g = grant({ delegation: 'required' });
    expect(run({ grants: [g] }).reason).toBe('delegation_required');
    expect(run({ grants: [g] }, request({ onBehalfOf: 'alice@acme.test' })).allow).toBe(true);
  });

  it('delegation_mismatch when delegation is forbidden or the user is not listed', () => {
    const forbidden = grant({ delegation: 'forbidden' });
    expect(run({ grants: [forbidden] }, request({ onBehalfOf: 'alice@acme.test' })).reason).toBe(
      'delegation_mismatch',
    );
    expect(run({ grants: [forbidden] }).allow).toBe(true);
    const listed = grant({ delegationUsers: ['alice@acme.test'] });
    expect(run({ grants: [listed] }, request({ onBehalfOf: 'bob@acme.test' })).reason).toBe('delegation_mismatch');
    expect(run({ grants: [listed] }, request({ onBehalfOf: 'alice@acme.test' })).allow).toBe(true);
  });

  it('condition_failed unless the condition evaluates to true', () => {
    const g = grant({ condition: 'args.amount <= 100 && context.environment == "prod"' });
    const prod = { environment: 'prod' };
    expect(run({ grants: [g] }, request({ ...prod, arguments: { amount: 50 } })).allow).toBe(true);
    expect(run({ grants: [g] }, request({ ...prod, arguments: { amount: 500 } })).reason).toBe('condition_failed');
    // evaluation error (missing argument) fails closed
    expect(run({ grants: [g] }, request(prod)).reason).toBe('condition_failed');
    // a non-boolean result is not an allow
    expect(run({ grants: [grant({ condition: 'args.amount' })] }, request({ arguments: { amount: 1 } })).reason).toBe(
      'condition_failed',
    );
  });

  it('a condition that does not compile never allows', () => {
    const d = run({ grants: [grant({ condition: 'args.amount <= ' })] });
    expect(d).toMatchObject({ allow: false, reason: 'condition_failed', grantId: 'grant_1' });
    expect(d.explanation).toContain('invalid');
  });

  it('exposes the request context to conditions', () => {
    const g = grant({
      condition:
        'context.action == "write" && context.tool == "create_refund" && context.taskId == "t-1" && context.resource.startsWith("account:") && context.onBehalfOf == "alice"',
    });
    const ok = request({ action: 'write', taskId: 't-1', resource: 'account:1', onBehalfOf: 'alice' });
    expect(run({ grants: [g] }, ok).allow).toBe(true);
    expect(run({ grants: [g] }, { ...ok, taskId: 't-2' }).reason).toBe('condition_failed');
  });

  it('grant_exhausted when every use is spent', () => {
    const d = run({ grants: [grant({ maxUses: 1, uses: 1 })] });
    expect(d).toMatchObject({ allow: false, reason: 'grant_exhausted', grantId: 'grant_1' });
  });

  it('checks a grant in order: time, action, resource, environment, delegation, condition, uses', () => {
    const everythingWrong = grant({
      expiresAt: NOW - 1,
      actions: ['read'],
      resourcePatterns: ['x'],
      environments: ['x'],
      delegation: 'required',
      condition: 'false',
      maxUses: 1,
      uses: 1,
    });
    const req = request({ action: 'write', resource: 'y', environment: 'y' });
    const fixes: Array<[string, Partial<PolicyGrant>]> = [
      ['grant_expired', {}],
      ['action_not_granted', { expiresAt: null }],
      ['resource_not_granted', { actions: ['write'] }],
      ['environment_not_granted', { resourcePatterns: [] }],
      ['delegation_required', { environments: [] }],
      ['condition_failed', { delegation: 'allowed' }],
      ['grant_exhausted', { condition: null }],
      ['granted', { maxUses: null }],
    ];
    let g = everythingWrong;
    for (const [reason, fix] of fixes) {
      g = { ...g, ...fix };
      expect(run({ grants: [g] }, req).reason, JSON.stringify(fix)).toBe(reason);
    }
  });
});

describe('several grants', () => {
  it('the first grant that passes allows', () => {
    const d = run({
      grants: [grant({ id: 'g_read', actions: ['read'] }), grant({ id: 'g_write', actions: ['write'] })],
    }, request({ action: 'write' }));
    expect(d).toMatchObject({ allow: true, grantId: 'g_write' });
  });

  it('reports the grant that got furthest through the checks', () => {
    const d = run(
      {
        grants: [
          grant({ id: 'g_expired', expiresAt: NOW - HOUR }),
          grant({ id: 'g_env', environments: ['staging'] }),
          grant({ id: 'g_action', actions: ['read'] }),
        ],
      },
      request({ action: 'write', environment: 'prod' }),
    );
    expect(d).toMatchObject({ allow: false, reason: 'environment_not_granted', grantId: 'g_env' });
    expect(d.explanation).toContain('g_env');
  });

  it('on a tie, reports the first grant in snapshot order', () => {
    const d = run({
      grants: [grant({ id: 'g_a', actions: ['read'] }), grant({ id: 'g_b', actions: ['admin'] })],
    }, request({ action: 'write' }));
    expect(d.grantId).toBe('g_a');
  });

  it('on a tool needing approval, tells the agent it can escalate when only a wider grant helps', () => {
    const medium = [tool({ risk: 'medium' })];
    expect(run({ tools: medium, grants: [grant({ expiresAt: NOW - 1 })] }).approvalRequired).toBe(true);
    expect(run({ tools: medium, grants: [grant({ delegation: 'required' })] }).approvalRequired).toBe(false);
    expect(run({ grants: [grant({ expiresAt: NOW - 1 })] }).approvalRequired).toBe(false);
  });
});

describe('allow details', () => {
  it('reports the grant, its expiry and the evaluated action', () => {
    const d = run({ grants: [grant({ expiresAt: NOW + HOUR })] }, request({ action: 'read' }));
    expect(d).toEqual({
      allow: true,
      reason: 'granted',
      explanation: 'An active grant allows this agent the read action on create_refund.',
      grantId: 'grant_1',
      expiresAt: NOW + HOUR,
      toolId: 'tool_refund',
      action: 'read',
      approvalRequired: false,
      consumesUse: false,
      cacheTtlSeconds: MAX_CACHE_TTL_SECONDS,
    });
  });

  it('an N-use grant consumes a use and is never cached', () => {
    const d = run({ grants: [grant({ maxUses: 3, uses: 2 })] });
    expect(d).toMatchObject({ allow: true, consumesUse: true, cacheTtlSeconds: 0 });
  });

  it('caches no longer than the grant lives, and not at all under one second', () => {
    expect(run({ grants: [grant({ expiresAt: NOW + 12_500 })] }).cacheTtlSeconds).toBe(Math.min(12, MAX_CACHE_TTL_SECONDS));
    expect(run({ grants: [grant({ expiresAt: NOW + 999 })] }).cacheTtlSeconds).toBe(0);
    expect(run({ grants: [grant()] }).cacheTtlSeconds).toBe(MAX_CACHE_TTL_SECONDS);
  });

  it('never caches an answer that depends on the arguments', () => {
    const onArgs = grant({ condition: 'args.amount < 10' });
    expect(run({ grants: [onArgs] }, request({ arguments: { amount: 1 } })).cacheTtlSeconds).toBe(0);
    const onContext = grant({ condition: 'context.action == "write"' });
    expect(run({ grants: [onContext] }).cacheTtlSeconds).toBe(MAX_CACHE_TTL_SECONDS);
  });

  it('denies are never cached', () => {
    expect(run({}).cacheTtlSeconds).toBe(0);
    expect(run({ grants: [grant({ expiresAt: NOW - 1 })] }).cacheTtlSeconds).toBe(0);
  });
});

describe('grant table layouts', () => {
  // Each agent holds grants on its own tool only: 600 × 600 pairs for about 600 grants is too
  // sparse for the dense layout (see grant-table.ts), so this runs the keys-and-filter lookup.
  const n = 600;
  const tools = Array.from({ length: n }, (_, i) => tool({ id: `tool_${i}`, name: `tool_${i}` }));
  const grants = Array.from({ length: n }, (_, i) =>
    grant({ id: `g_${i}`, agentId: `agt_${i}`, toolId: `tool_${i}`, actions: ['read'], environments: i % 3 === 0 ? ['prod'] : [] }),
  );
  // a second grant on the same pair, checked after the first
  grants.push(grant({ id: 'g_0_write', agentId: 'agt_0', toolId: 'tool_0', actions: ['write'] }));
  grants.push(grant({ id: 'g_1_old', agentId: 'agt_1', toolId: 'tool_1', actions: ['write'], expiresAt: NOW - HOUR }));
  const index = compile({ tools, grants, denyRules: [] });
  const ask = (agent: number, t: number, action: 'read' | 'write', environment?: string) =>
    decide(index, request({ agentId: `agt_${agent}`, tool: `tool_${t}`, action, environment }), NOW);

  it('uses the sparse layout for such a snapshot, and the dense one for a small one', () => {
    expect(index.grants.dense).toBe(false);
    expect(compile({ tools: [tool()], grants: [grant()], denyRules: [] }).grants.dense).toBe(true);
  });

  it('gives the same answers in the sparse layout', () => {
    for (let i = 0; i < n; i += 7) {
      expect(ask(i, i, 'read', 'prod')).toMatchObject({ allow: true, grantId: `g_${i}` });
      expect(ask(i, (i + 1) % n, 'read', 'prod')).toMatchObject({ allow: false, reason: 'no_grant', grantId: null });
    }
    expect(ask(3, 3, 'read', 'dev')).toMatchObject({ allow: false, reason: 'environment_not_granted', grantId: 'g_3' });
    expect(ask(0, 0, 'write', 'dev')).toMatchObject({ allow: true, grantId: 'g_0_write' });
    // the expired grant stopped before the other one's action check: the other one is reported
    expect(ask(1, 1, 'write')).toMatchObject({ allow: false, reason: 'action_not_granted', grantId: 'g_1' });
    expect(ask(2, 2, 'write')).toMatchObject({ allow: false, reason: 'action_not_granted', grantId: 'g_2' });
  });
});
