import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { createAgent, deleteAgent, getAgent, listAgents, setAgentStatus, updateAgent } from '../../lib/agents/service';
import { createIdentity, setIdentityStatus } from '../../lib/agents/identities';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { auditEventsFor, createTenantFixture, type TenantFixture } from './fixtures';

let t: TenantFixture;
let tdId: string;

beforeAll(async () => {
  t = await createTenantFixture('agents');
  tdId = (await db().trustDomain.create({ data: { id: newId('trustDomain'), tenantId: t.tenantId, name: 'acme.test' } })).id;
});
afterAll(disconnectDb);

async function expectAppError(p: Promise<unknown>, code: string) {
  const err = await p.then(() => null, (e) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
}

describe('agents service', () => {
  it('creates an agent and audits it in the same transaction', async () => {
    const agent = await createAgent(t.ctx('security'), { name: 'billing-agent', description: 'Bills' });
    expect(agent.id).toMatch(/^agt_/);
    const events = await auditEventsFor(t.tenantId, agent.id);
    expect(events.map((e) => e.event)).toEqual(['agent.created']);
    expect(events[0].actorId).toBe(t.users.security.id);
  });

  it('rejects bad input with field errors and writes nothing', async () => {
    const before = await db().agent.count({ where: { tenantId: t.tenantId } });
    const err = await createAgent(t.ctx('security'), { name: 'X' }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.invalidParams[0].name).toBe('name');
    expect(await db().agent.count({ where: { tenantId: t.tenantId } })).toBe(before);
  });

  it('refuses a duplicate name with 409', async () => {
    await createAgent(t.ctx('admin'), { name: 'dup-agent' });
    await expectAppError(createAgent(t.ctx('admin'), { name: 'dup-agent' }), 'conflict');
  });

  it('suspends and reactivates with one audit event each', async () => {
    const agent = await createAgent(t.ctx('security'), { name: 'suspend-me' });
    await setAgentStatus(t.ctx('security'), agent.id, 'suspended');
    await setAgentStatus(t.ctx('security'), agent.id, 'active');
    const events = await auditEventsFor(t.tenantId, agent.id);
    expect(events.map((e) => e.event)).toEqual(['agent.created', 'agent.suspended', 'agent.reactivated']);
  });

  it('an auditor can read but every mutation is refused and changes nothing', async () => {
    const agent = await createAgent(t.ctx('security'), { name: 'auditor-target' });
    const auditor = t.ctx('auditor');
    expect((await getAgent(auditor, agent.id)).name).toBe('auditor-target');
    await expectAppError(createAgent(auditor, { name: 'auditor-made' }), 'forbidden');
    await expectAppError(updateAgent(auditor, agent.id, { description: 'x' }), 'forbidden');
    await expectAppError(setAgentStatus(auditor, agent.id, 'suspended'), 'forbidden');
    await expectAppError(deleteAgent(auditor, agent.id), 'forbidden');
    const after = await db().agent.findUniqueOrThrow({ where: { id: agent.id } });
    expect(after.status).toBe('active');
    expect(after.description).toBe('');
    expect(await db().agent.count({ where: { name: 'auditor-made' } })).toBe(0);
  });

  it('a member manages only agents they own', async () => {
    const own = await createAgent(t.ctx('member'), { name: 'members-own' });
    expect(own.ownerUserId).toBe(t.users.member.id);
    await setAgentStatus(t.ctx('member'), own.id, 'suspended');
    const other = await createAgent(t.ctx('security'), { name: 'not-members' });
    await expectAppError(setAgentStatus(t.ctx('member'), other.id, 'suspended'), 'forbidden');
    expect((await db().agent.findUniqueOrThrow({ where: { id: other.id } })).status).toBe('active');
  });

  it('binds identities, checks the SPIFFE trust domain, and disables them', async () => {
    const agent = await createAgent(t.ctx('security'), { name: 'with-identity' });
    await expectAppError(createIdentity(t.ctx('security'), agent.id, { trustDomainId: tdId, kind: 'spiffe_jwt', subject: 'spiffe://evil.test/agents/x' }), 'invalid_request');
    const id = await createIdentity(t.ctx('security'), agent.id, { trustDomainId: tdId, kind: 'spiffe_jwt', subject: 'spiffe://acme.test/agents/with-identity' });
    await expectAppError(createIdentity(t.ctx('security'), agent.id, { trustDomainId: tdId, kind: 'spiffe_jwt', subject: 'spiffe://acme.test/agents/with-identity' }), 'conflict');
    await setIdentityStatus(t.ctx('security'), id.id, 'disabled');
    expect((await db().workloadIdentity.findUniqueOrThrow({ where: { id: id.id } })).status).toBe('disabled');
  });

  it('deletes an agent with its identities', async () => {
    const agent = await createAgent(t.ctx('security'), { name: 'delete-me' });
    await createIdentity(t.ctx('security'), agent.id, { trustDomainId: tdId, kind: 'oauth_client', subject: 'client-delete-me' });
    await deleteAgent(t.ctx('security'), agent.id);
    expect(await db().agent.findUnique({ where: { id: agent.id } })).toBeNull();
    expect(await db().workloadIdentity.count({ where: { agentId: agent.id } })).toBe(0);
    expect((await auditEventsFor(t.tenantId, agent.id)).map((e) => e.event)).toContain('agent.deleted');
  });

  it('lists with keyset pagination', async () => {
    const first = await listAgents(t.ctx('auditor'), { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await listAgents(t.ctx('auditor'), { limit: 2, cursor: first.nextCursor });
    expect(second.items[0].id < first.items[1].id).toBe(true);
  });
});

describe('tenant isolation', () => {
  it("another tenant's agent is not found (404), and is left unchanged", async () => {
    const other = await createTenantFixture('other');
    const theirs = await createAgent(other.ctx('admin'), { name: 'their-agent' });
    await expectAppError(getAgent(t.ctx('admin'), theirs.id), 'not_found');
    await expectAppError(setAgentStatus(t.ctx('admin'), theirs.id, 'suspended'), 'not_found');
    await expectAppError(deleteAgent(t.ctx('admin'), theirs.id), 'not_found');
    const list = await listAgents(t.ctx('admin'), { q: 'their-agent' });
    expect(list.items).toHaveLength(0);
    expect((await db().agent.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe('active');
  });
});
