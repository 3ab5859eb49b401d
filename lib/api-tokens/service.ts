import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { requirePermission } from '../auth/require';
import { notFound } from '../errors';
import { randomSecret } from '../ids';
import { hashSecret } from '../servers/key-format';
import { parseInput } from '../validation';

// Personal API tokens for the management API ("grants as code"): twp_<id>_<secret>, the secret
// stored as SHA-256 only and shown once. A token acts as its user, in one tenant, with the
// user's CURRENT role there (read on every call): demoting or removing the user narrows or ends
// what the token can do at once.

export const createApiTokenSchema = z.object({
  name: z.string().trim().min(1, 'Give the token a name').max(80),
  expiresInDays: z.coerce.number().int().min(1).max(365).default(90),
});

const publicFields = { id: true, name: true, expiresAt: true, lastUsedAt: true, revokedAt: true, createdAt: true } as const;

export async function createApiToken(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, 'api_tokens.own');
  if (ctx.actor.type !== 'user' || !ctx.actor.id) throw notFound('User');
  const data = parseInput(createApiTokenSchema, input);
  const id = randomBytes(12).toString('hex');
  const secret = randomSecret(32);
  return inTx(async (tx) => {
    const token = await tx.apiToken.create({
      data: { id, tenantId: ctx.tenantId, userId: ctx.actor.id!, name: data.name, secretHash: hashSecret(secret), expiresAt: new Date(Date.now() + data.expiresInDays * 86_400_000) },
      select: publicFields,
    });
    await recordAudit(tx, ctx, { event: 'api_token.created', targetType: 'api_token', targetId: id, after: token });
    return { ...token, token: `twp_${id}_${secret}` };
  });
}

export async function listOwnApiTokens(ctx: ServiceContext) {
  requirePermission(ctx, 'api_tokens.own');
  return db().apiToken.findMany({ where: { tenantId: ctx.tenantId, userId: ctx.actor.id ?? '' }, select: publicFields, orderBy: { createdAt: 'desc' } });
}

export async function revokeApiToken(ctx: ServiceContext, id: string) {
  requirePermission(ctx, 'api_tokens.own');
  return inTx(async (tx) => {
    // only one's own tokens: another user's token id is simply not found
    const token = await tx.apiToken.findFirst({ where: { id, tenantId: ctx.tenantId, userId: ctx.actor.id ?? '' } });
    if (!token) throw notFound('API token');
    if (token.revokedAt) return { id, revokedAt: token.revokedAt };
    const revokedAt = new Date();
    await tx.apiToken.update({ where: { id }, data: { revokedAt } });
    await recordAudit(tx, ctx, { event: 'api_token.revoked', targetType: 'api_token', targetId: id, before: { revokedAt: null }, after: { revokedAt } });
    return { id, revokedAt };
  });
}
