import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { createApiToken } from '../../lib/api-tokens/service';
import { applyGrants, type GrantsFile } from '../../examples/grants-as-code';
import { createPolicyWorld, startApi, type PolicyWorld, type RunningApi } from './api-harness';

// The grants-as-code script of docs/management-api.md against the real management API:
// idempotent, updates in place, prunes only on the tools the file names, and reports what the
// guardrails refuse without stopping the rest.

let api: RunningApi;
let w: PolicyWorld;
let token: string;

beforeAll(async () => {
  w = await createPolicyWorld('gac');
  api = await startApi();
  token = (await createApiToken(w.t.ctx('security'), { name: 'gitops' })).token;
});
afterAll(async () => {
  await api.close();
  await disconnectDb();
});

const live = () => db().grant.findMany({ where: { tenantId: w.t.tenantId, revokedAt: null }, orderBy: { id: 'asc' } });
const apply = (file: GrantsFile, opts: { prune?: boolean; dryRun?: boolean } = {}) => applyGrants({ baseUrl: api.url, token, file, ...opts });

describe('grants as code', () => {
  const file: GrantsFile = {
    grants: [
      // already granted by the world with exactly this scope
      { agent: 'support', server: 'billing', tool: 'get_invoice', actions: ['read'] },
      { agent: 'idle', server: 'billing', tool: 'get_invoice', actions: ['read'], resourcePatterns: ['invoice:*'], environments: ['prod'] },
      { agent: 'billing', server: 'billing', tool: 'update_invoice', actions: ['write', 'read'], resourcePatterns: ['invoice:*'] },
    ],
  };

  it('a dry run changes nothing; the first run creates what is missing; the second changes nothing', async () => {
    const before = await live();
    const dry = await apply(file, { dryRun: true });
    expect(dry).toMatchObject({ created: ['idle → billing/get_invoice'], updated: [], failed: [] });
    expect(await live()).toEqual(before);

    const first = await apply(file);
    expect(first).toEqual({ created: ['idle → billing/get_invoice'], updated: [], unchanged: ['support → billing/get_invoice', 'billing → billing/update_invoice'], revoked: [], failed: [] });
    const afterFirst = await live();
    expect(afterFirst).toHaveLength(before.length + 1);
    const created = afterFirst.find((g) => g.agentId === w.agents.idle.id)!;
    expect(created).toMatchObject({ kind: 'standing', resourcePatterns: ['invoice:*'], environments: ['prod'], justification: 'grants as code', createdById: w.t.users.security.id });

    const auditBefore = await db().auditEvent.count({ where: { tenantId: w.t.tenantId } });
    const second = await apply(file);
    expect(second).toMatchObject({ created: [], updated: [], revoked: [], failed: [] });
    expect(second.unchanged).toHaveLength(3);
    expect(await live()).toEqual(afterFirst);
    expect(await db().auditEvent.count({ where: { tenantId: w.t.tenantId } })).toBe(auditBefore);
  });

  it('a changed scope updates the grant in place; prune revokes unlisted grants on the named tools only', async () => {
    const changed: GrantsFile = {
      grants: [
        { agent: 'idle', server: 'billing', tool: 'get_invoice', actions: ['read'], resourcePatterns: ['invoice:2024-*'], environments: ['prod'] },
        { agent: 'billing', server: 'billing', tool: 'update_invoice', actions: ['read', 'write'], resourcePatterns: ['invoice:*'] },
      ],
    };
    const idleGrant = (await live()).find((g) => g.agentId === w.agents.idle.id)!;
    const r = await apply(changed, { prune: true });
    expect(r.updated).toEqual(['idle → billing/get_invoice']);
    expect(r.revoked).toEqual([expect.stringContaining(`support → get_invoice (${w.grants.supportRead})`)]);
    expect(r.failed).toEqual([]);
    expect((await db().grant.findUniqueOrThrow({ where: { id: idleGrant.id } })).resourcePatterns).toEqual(['invoice:2024-*']);
    const revoked = await db().grant.findUniqueOrThrow({ where: { id: w.grants.supportRead } });
    expect(revoked.revokeReason).toContain('grants as code');
    expect(revoked.revokedById).toBe(w.t.users.security.id);
    // the billing agent's grant on the other server's tool is not on a tool the file names: kept
    expect(await db().grant.count({ where: { tenantId: w.t.tenantId, toolId: w.tools.other_server_tool, revokedAt: null } })).toBe(1);
  });

  it('what the guardrails refuse is reported, and the rest of the file still applies', async () => {
    const r = await apply({
      grants: [
        { agent: 'support', server: 'billing', tool: 'create_refund', actions: ['write'] },
        { agent: 'ghost', server: 'billing', tool: 'get_invoice', actions: ['read'] },
        { agent: 'support', server: 'billing', tool: 'get_invoice', actions: ['read'] },
      ],
    });
    expect(r.failed).toEqual([expect.stringMatching(/^support → billing\/create_refund: 400 .*standing grants are not allowed/), 'ghost → billing/get_invoice: no agent named ghost']);
    expect(r.created).toEqual(['support → billing/get_invoice']);
    expect(await db().grant.count({ where: { tenantId: w.t.tenantId, toolId: w.tools.create_refund } })).toBe(0);
  });
});
