import { createDenyRuleSchema, denyRuleListQuerySchema } from '../../deny-rules/schemas';
import { createDenyRule, deleteDenyRule, listDenyRules } from '../../deny-rules/service';
import type { MachineApi } from '../app';
import { idParam, pageQuery, registerOps } from './shared';

// Deny rules: an explicit "never" for an agent, a tool, or both (deny_rules.manage). Deny wins
// over every grant.

export function registerDenyRuleRoutes(app: MachineApi): void {
  registerOps(app, 'manage: deny rules', [
    { method: 'get', path: '/api/v1/manage/deny-rules', summary: 'List deny rules', description: 'Newest first.', query: pageQuery(denyRuleListQuerySchema), run: (ctx, r) => listDenyRules(ctx, r.query) },
    {
      method: 'post',
      path: '/api/v1/manage/deny-rules',
      summary: 'Create a deny rule',
      description: 'An agent, a tool, or both; optionally narrowed to a resource pattern or an environment. A reason is mandatory.',
      body: createDenyRuleSchema,
      status: 201,
      run: (ctx, r) => createDenyRule(ctx, r.body),
    },
    { method: 'delete', path: '/api/v1/manage/deny-rules/{id}', summary: 'Delete a deny rule', params: idParam, run: (ctx, r) => deleteDenyRule(ctx, r.params.id) },
  ]);
}
