import { checkCondition } from '../../grants/condition-check';
import { grantMatrix } from '../../grants/matrix';
import { bulkGrantSchema, createGrantSchema, grantListQuerySchema, grantMatrixQuerySchema, revokeGrantSchema, updateGrantSchema, validateConditionSchema } from '../../grants/schemas';
import { createGrant, createGrantsBulk, getGrant, listGrants, revokeGrant, updateGrant } from '../../grants/service';
import type { MachineApi } from '../app';
import { idParam, pageQuery, registerOps } from './shared';

// Grants: standing grants under the guardrails of the tool's risk (grants.manage). A refusal by
// a guardrail (e.g. a standing grant on a high or critical tool) is a 400 naming the field, as
// in the console. Decision caches see every change through the Grant table's trigger.

export function registerGrantRoutes(app: MachineApi): void {
  registerOps(app, 'manage: grants', [
    {
      method: 'get',
      path: '/api/v1/manage/grants',
      summary: 'List grants',
      description: 'Newest first; filters combine. `status`: active | expired | revoked.',
      query: pageQuery(grantListQuerySchema),
      run: (ctx, r) => listGrants(ctx, r.query),
    },
    {
      method: 'post',
      path: '/api/v1/manage/grants',
      summary: 'Create a standing grant',
      description:
        'Under the guardrails of the tool’s approval policy: no standing grants on high or critical tools, duration caps, single use, a valid CEL condition. A refusal is a 400 whose invalidParams say what to change.',
      body: createGrantSchema,
      status: 201,
      run: (ctx, r) => createGrant(ctx, r.body),
    },
    // the static paths before /{id}
    {
      method: 'post',
      path: '/api/v1/manage/grants/bulk',
      summary: 'Grant one tool to several agents',
      description: 'One grant per agent, all in one transaction: if one agent cannot have it, none gets it.',
      body: bulkGrantSchema,
      status: 201,
      run: (ctx, r) => createGrantsBulk(ctx, r.body),
    },
    {
      method: 'post',
      path: '/api/v1/manage/grants/validate-condition',
      summary: 'Check a CEL condition as saving would',
      description: 'Changes nothing: `{ ok: true }` or `{ ok: false, message, position }`.',
      body: validateConditionSchema,
      run: (ctx, r) => checkCondition(ctx, r.body),
    },
    {
      method: 'get',
      path: '/api/v1/manage/grants/matrix',
      summary: 'Agents × tools of one server, live grants only',
      query: grantMatrixQuerySchema,
      run: (ctx, r) => grantMatrix(ctx, r.query),
    },
    { method: 'get', path: '/api/v1/manage/grants/{id}', summary: 'Get a grant', params: idParam, run: (ctx, r) => getGrant(ctx, r.params.id) },
    {
      method: 'patch',
      path: '/api/v1/manage/grants/{id}',
      summary: 'Change the scope of a standing grant',
      description: 'Same guardrails as creating. Revoked, jit and break-glass grants are not edited (409).',
      params: idParam,
      body: updateGrantSchema,
      run: (ctx, r) => updateGrant(ctx, r.params.id, r.body),
    },
    {
      method: 'post',
      path: '/api/v1/manage/grants/{id}/revoke',
      summary: 'Revoke a grant',
      description: 'The reason is mandatory. Enforced by the decision API within a second. Already revoked: 409.',
      params: idParam,
      body: revokeGrantSchema,
      run: (ctx, r) => revokeGrant(ctx, r.params.id, r.body),
    },
  ]);
}
