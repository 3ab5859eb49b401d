import type { ServiceContext } from '../context';
import { inTx } from '../db/tx';
import type { Tx } from '../db/client';
import { recordAudit } from '../audit/record';
import { conflict, invalid, isUniqueViolation, notFound } from '../errors';
import { newId } from '../ids';
import { parseInput } from '../validation';
import { createIdentitySchema } from './schemas';
import { assertCanManageAgent, loadAgent } from './service';

async function loadIdentity(tx: Tx, ctx: ServiceContext, id: string) {
  const identity = await tx.workloadIdentity.findFirst({ where: { id, tenantId: ctx.tenantId } });
  if (!identity) throw notFound('Identity');
  return identity;
}

export async function createIdentity(ctx: ServiceContext, agentId: string, input: unknown) {
  const data = parseInput(createIdentitySchema, input);
  try {
    return await inTx(async (tx) => {
      const agent = await loadAgent(tx, ctx, agentId);
      assertCanManageAgent(ctx, agent);
      const td = await tx.trustDomain.findFirst({ where: { id: data.trustDomainId, tenantId: ctx.tenantId } });
      if (!td) throw invalid('Unknown trust domain', [{ name: 'trustDomainId', reason: 'no such trust domain in this tenant' }]);
      if (data.kind !== 'oauth_client') {
        // a SPIFFE ID names its trust domain: binding it to another one would let that
        // domain's keys speak for this workload
        const host = data.subject.slice('spiffe://'.length).split('/')[0];
        if (host !== td.name) {
          throw invalid(`The SPIFFE ID belongs to trust domain "${host}", not "${td.name}"`, [{ name: 'subject', reason: `trust domain must be ${td.name}` }]);
        }
      }
      const identity = await tx.workloadIdentity.create({ data: { id: newId('identity'), tenantId: ctx.tenantId, agentId, ...data } });
      await recordAudit(tx, ctx, { event: 'identity.created', targetType: 'identity', targetId: identity.id, after: identity });
      return identity;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('This subject is already bound to an agent in that trust domain');
    throw err;
  }
}

export async function setIdentityStatus(ctx: ServiceContext, id: string, status: 'active' | 'disabled') {
  return inTx(async (tx) => {
    const before = await loadIdentity(tx, ctx, id);
    assertCanManageAgent(ctx, await loadAgent(tx, ctx, before.agentId));
    if (before.status === status) return before;
    const after = await tx.workloadIdentity.update({ where: { id }, data: { status } });
    await recordAudit(tx, ctx, {
      event: status === 'disabled' ? 'identity.disabled' : 'identity.enabled',
      targetType: 'identity',
      targetId: id,
      before: { status: before.status },
      after: { status },
    });
    return after;
  });
}

export async function deleteIdentity(ctx: ServiceContext, id: string) {
  return inTx(async (tx) => {
    const before = await loadIdentity(tx, ctx, id);
    assertCanManageAgent(ctx, await loadAgent(tx, ctx, before.agentId));
    await tx.workloadIdentity.delete({ where: { id } });
    await recordAudit(tx, ctx, { event: 'identity.deleted', targetType: 'identity', targetId: id, before });
    return { id };
  });
}
