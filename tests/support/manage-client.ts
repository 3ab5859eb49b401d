// Test support for the management API's integration tests (tests/integration/api-manage*.test.ts):
// a small HTTP client over the real listener, and personal tokens for each role of a tenant.
// Not imported by the application.

import { createApiToken } from '../../lib/api-tokens/service';
import type { Role } from '../../lib/auth/permissions';
import type { ServiceContext } from '../../lib/context';
import { db } from '../../lib/db/client';

export interface ManageResponse {
  status: number;
  contentType: string | null;
  /** parsed JSON: tests read arbitrary fields of it */
  body: any;
}

export type ManageCall = (method: string, path: string, token: string | null, body?: unknown) => Promise<ManageResponse>;

/** `body` is sent as JSON; a string is sent as is (for malformed-JSON cases) */
export function manageClient(baseUrl: string): ManageCall {
  return async (method, path, token, body) => {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type'), body: text ? JSON.parse(text) : null };
  };
}

/** one personal token per role of the tenant, named after the role */
export async function tokensByRole(ctx: (role: Role) => ServiceContext): Promise<Record<Role, string>> {
  const out = {} as Record<Role, string>;
  for (const role of ['admin', 'security', 'member', 'auditor'] as Role[]) out[role] = (await createApiToken(ctx(role), { name: `ci-${role}` })).token;
  return out;
}

/** A token that looks right but is not one of ours, and a revoked one: both must be a 401. */
export async function badTokens(ctx: ServiceContext): Promise<string[]> {
  const revoked = await createApiToken(ctx, { name: 'revoked' });
  await db().apiToken.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
  return [`twp_${'0'.repeat(24)}_${'x'.repeat(43)}`, revoked.token, 'twk_not_a_personal_token'];
}

/** how many audit events the tenant has: "nothing written" means this did not move */
export const auditCount = (tenantId: string) => db().auditEvent.count({ where: { tenantId } });
