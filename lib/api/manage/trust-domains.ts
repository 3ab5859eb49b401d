import { z } from '@hono/zod-openapi';
import { listTrustDomainOptions } from '../../agents/trust-domain-options';
import { createTrustDomain, deleteTrustDomain, getTrustDomain, listTrustDomains, updateTrustDomain } from '../../trust-domains/service';
import { createTrustDomainSchema, testJwksUrlSchema, trustDomainListQuerySchema, updateTrustDomainSchema } from '../../trust-domains/schemas';
import { testJwksUrl } from '../../trust-domains/test-fetch';
import type { MachineApi } from '../app';
import { idParam, pageQuery, registerOps } from './shared';

// Trust domains: who the tenant believes about agent credentials. Admin only
// (trust_domains.manage), except the id/name options that binding an identity needs.

const listQuery = pageQuery(trustDomainListQuerySchema).extend({
  view: z.enum(['manage', 'options']).optional().openapi({ description: '`options`: only id and name of every trust domain (agents.read), for binding identities' }),
});

export function registerTrustDomainRoutes(app: MachineApi): void {
  registerOps(app, 'manage: trust domains', [
    {
      method: 'get',
      path: '/api/v1/manage/trust-domains',
      summary: 'List trust domains',
      description: 'With keys and issuers (admin). `view=options` lists only ids and names, for anyone who may read agents.',
      query: listQuery,
      run: async (ctx, r) => (r.query.view === 'options' ? { items: await listTrustDomainOptions(ctx), nextCursor: null } : listTrustDomains(ctx, r.query)),
    },
    {
      method: 'post',
      path: '/api/v1/manage/trust-domains',
      summary: 'Create a trust domain',
      description: 'Exactly one key source: an inline `jwks` or a `jwksUrl`. Names and issuers are unique in the tenant (409).',
      body: createTrustDomainSchema,
      status: 201,
      run: (ctx, r) => createTrustDomain(ctx, r.body),
    },
    {
      // registered before /{id} so the static path wins
      method: 'post',
      path: '/api/v1/manage/trust-domains/test-fetch',
      summary: 'Fetch a JWKS URL and list the usable keys',
      description: 'Changes nothing. `ok: false` with a message when the URL answers without usable keys; a refused URL is a 400.',
      body: testJwksUrlSchema,
      run: (ctx, r) => testJwksUrl(ctx, r.body),
    },
    { method: 'get', path: '/api/v1/manage/trust-domains/{id}', summary: 'Get a trust domain', params: idParam, run: (ctx, r) => getTrustDomain(ctx, r.params.id) },
    {
      method: 'patch',
      path: '/api/v1/manage/trust-domains/{id}',
      summary: 'Update a trust domain',
      description: 'The whole key configuration is re-checked. Renaming while identities are bound is a 409.',
      params: idParam,
      body: updateTrustDomainSchema,
      run: (ctx, r) => updateTrustDomain(ctx, r.params.id, r.body),
    },
    {
      method: 'delete',
      path: '/api/v1/manage/trust-domains/{id}',
      summary: 'Delete a trust domain',
      description: 'A 409 while workload identities are bound to it.',
      params: idParam,
      run: (ctx, r) => deleteTrustDomain(ctx, r.params.id),
    },
  ]);
}
