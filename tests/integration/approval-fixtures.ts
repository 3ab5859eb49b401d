import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { db } from '../../lib/db/client';
import type { ServiceContext } from '../../lib/context';
import type { Role } from '../../lib/auth/permissions';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { TenantFixture } from './fixtures';

// People and rows the approval tests need beyond a tenant fixture: extra members (tool owners,
// agent owners, a second security person) with their contexts, tools and agents.

export interface Person {
  id: string;
  email: string;
  role: Role;
  ctx: () => ServiceContext;
}

export async function addPerson(t: TenantFixture, label: string, role: Role): Promise<Person> {
  const email = `${label}-${randomBytes(3).toString('hex')}@example.test`;
  const user = await db().user.create({ data: { id: newId('user'), email, name: label } });
  await db().membership.create({ data: { id: newId('membership'), tenantId: t.tenantId, userId: user.id, role } });
  return {
    id: user.id,
    email,
    role,
    ctx: () => ({
      tenantId: t.tenantId,
      actor: { type: 'user', id: user.id, label: email },
      role,
      requestMeta: { ip: '127.0.0.1', userAgent: 'vitest', requestId: `test-${randomBytes(4).toString('hex')}` },
    }),
  };
}

export function fixturePerson(t: TenantFixture, role: Role): Person {
  return { id: t.users[role].id, email: t.users[role].email, role, ctx: () => t.ctx(role) };
}

export async function makeOwner(t: TenantFixture, toolId: string, userId: string) {
  await db().toolOwner.create({ data: { tenantId: t.tenantId, toolId, userId } });
}

export async function makeTool(t: TenantFixture, serverId: string, name: string, risk: 'low' | 'medium' | 'high' | 'critical' | null, status: 'active' | 'unclassified' | 'disabled' = 'active') {
  return (await db().tool.create({ data: { id: newId('tool'), tenantId: t.tenantId, serverId, name, definitionHash: name, status: risk ? status : 'unclassified', risk, defaultAction: 'write' } })).id;
}

export async function makeServer(t: TenantFixture, name: string) {
  return (await db().mcpServer.create({ data: { id: newId('server'), tenantId: t.tenantId, name, audience: `https://${name}.${t.slug}.test` } })).id;
}

export async function makeAgent(t: TenantFixture, name: string, ownerUserId: string | null = null) {
  return (await db().agent.create({ data: { id: newId('agent'), tenantId: t.tenantId, name, ownerUserId } })).id;
}

export async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e) => e,
  );
  expect(err, 'expected the call to fail').toBeInstanceOf(AppError);
  return err as AppError;
}

/** Rows a refused decision must not have written. */
export async function writes(tenantId: string) {
  const [approvals, audit, grants, deliveries] = await Promise.all([
    db().approval.count({ where: { tenantId } }),
    db().auditEvent.count({ where: { tenantId } }),
    db().grant.count({ where: { tenantId } }),
    db().webhookDelivery.count({ where: { tenantId } }),
  ]);
  return { approvals, audit, grants, deliveries };
}
