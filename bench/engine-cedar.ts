// The same policies and requests expressed for Cedar (@cedar-policy/cedar-wasm), so the engine
// benchmark compares like with like: one `permit` per grant (actions, resource patterns,
// environments and time window in its scope and `when` clause), one `forbid` per deny rule.
// Only what the benchmark data uses is translated (no CEL conditions, uses or delegation).

import v8 from 'node:v8';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { AuthorizationCall, StatefulAuthorizationCall } from '@cedar-policy/cedar-wasm/nodejs';
import type { DecisionRequest, PolicyData } from '../lib/policy/index';

// Node 20's V8 aborted the benchmark twice ("Fatal error … unreachable code" in
// Deoptimizer::DoComputeBuiltinContinuation) after some seconds of calling this wasm module from
// optimized JS; with JS→Wasm call inlining off, full runs complete. The flag only concerns calls
// into wasm, so our engine's numbers are unaffected.
v8.setFlagsFromString('--no-turbo-inline-js-wasm-calls');

function str(s: string): string {
  return JSON.stringify(s);
}

// Cedar's `like` treats `*` as the wildcard and `\*` as a literal star; our patterns have no
// literal stars, so only quotes and backslashes need escaping.
function likePattern(p: string): string {
  return `"${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

interface CedarPolicy {
  /** null: applies to every agent */
  agentId: string | null;
  text: string;
}

function translate(data: PolicyData): CedarPolicy[] {
  const toolById = new Map(data.tools.map((t) => [t.id, t]));
  const out: CedarPolicy[] = [];
  for (const g of data.grants) {
    const tool = toolById.get(g.toolId);
    if (!tool || tool.status !== 'active' || g.revokedAt !== null) continue;
    if ((tool.risk === 'high' || tool.risk === 'critical') && g.kind === 'standing') continue;
    if (g.actions.length === 0) continue;
    const when: string[] = [];
    if (g.notBefore !== null) when.push(`context.now >= ${g.notBefore}`);
    if (g.expiresAt !== null) when.push(`context.now < ${g.expiresAt}`);
    if (g.resourcePatterns.length > 0 && !g.resourcePatterns.includes('*')) {
      const any = g.resourcePatterns.map((p) => `context.resource like ${likePattern(p)}`).join(' || ');
      when.push(`context has resource && (${any})`);
    }
    if (g.environments.length > 0) {
      const any = g.environments.map((e) => `context.environment == ${str(e)}`).join(' || ');
      when.push(`context has environment && (${any})`);
    }
    const actions = g.actions.map((a) => `Action::${str(a)}`).join(', ');
    out.push({
      agentId: g.agentId,
      text:
        `permit(principal == Agent::${str(g.agentId)}, action in [${actions}], resource == Tool::${str(g.toolId)})` +
        (when.length > 0 ? ` when { ${when.join(' && ')} };` : ';'),
    });
  }
  for (const d of data.denyRules) {
    if (d.resourcePattern !== null || d.environment !== null) {
      throw new Error('scoped deny rules are not translated (Cedar has no case-insensitive like)');
    }
    const principal = d.agentId === null ? 'principal' : `principal == Agent::${str(d.agentId)}`;
    const resource = d.toolId === null ? 'resource' : `resource == Tool::${str(d.toolId)}`;
    out.push({ agentId: d.agentId, text: `forbid(${principal}, action, ${resource});` });
  }
  return out;
}

/** Every policy in one set: what a straightforward Cedar integration would load. */
export function toCedarPolicies(data: PolicyData): string {
  return translate(data)
    .map((p) => p.text)
    .join('\n');
}

/**
 * One policy set per agent (its own policies plus those for every agent): how a large Cedar
 * deployment keeps each evaluation small, since Cedar evaluates every policy in the set.
 */
export function toCedarPolicySlices(data: PolicyData): Map<string, string> {
  const policies = translate(data);
  const shared = policies.filter((p) => p.agentId === null).map((p) => p.text);
  const byAgent = new Map<string, string[]>();
  for (const p of policies) {
    if (p.agentId === null) continue;
    const list = byAgent.get(p.agentId);
    if (list) list.push(p.text);
    else byAgent.set(p.agentId, [p.text]);
  }
  const out = new Map<string, string>();
  for (const [agentId, texts] of byAgent) out.set(agentId, [...texts, ...shared].join('\n'));
  out.set('', shared.join('\n'));
  return out;
}

/**
 * The request as Cedar sees it. The tool lookup (serverId, name → id) is done here, before
 * timing starts, so Cedar is not charged for a step our engine does inside decide().
 */
export function toCedarRequest(
  req: DecisionRequest,
  toolIdOf: ReadonlyMap<string, string>,
  now: number,
): Omit<AuthorizationCall, 'policies'> {
  if (req.action === undefined) throw new Error('benchmark requests always name their action');
  const key = `${req.serverId}\u0000${req.tool}`;
  const context: Record<string, string | number> = { now };
  if (req.resource !== undefined) context.resource = req.resource;
  if (req.environment !== undefined) context.environment = req.environment;
  return {
    principal: { type: 'Agent', id: req.agentId },
    action: { type: 'Action', id: req.action },
    resource: { type: 'Tool', id: toolIdOf.get(key) ?? `unknown:${key}` },
    context,
    entities: [],
  };
}

function allowed(answer: cedar.AuthorizationAnswer): boolean {
  if (answer.type !== 'success') throw new Error(answer.errors.map((e) => e.message).join('; '));
  return answer.response.decision === 'allow';
}

/** Parses the policy set once into Cedar's cache; returns how long that took (ms). */
export function preparsePolicies(id: string, policies: string): number {
  const started = performance.now();
  const parsed = cedar.preparsePolicySet(id, { staticPolicies: policies });
  if (parsed.type !== 'success') throw new Error(parsed.errors.map((e) => e.message).join('; '));
  return performance.now() - started;
}

/** The basic API: parses every policy on every call. */
export function cedarIsAuthorized(call: AuthorizationCall): boolean {
  return allowed(cedar.isAuthorized(call));
}

/** Against a policy set parsed once by preparsePolicies(): Cedar's fastest path from JS. */
export function cedarStatefulIsAuthorized(call: StatefulAuthorizationCall): boolean {
  return allowed(cedar.statefulIsAuthorized(call));
}

export const cedarVersion = (): string => cedar.getCedarVersion();
