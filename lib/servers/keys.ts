import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { requirePermission } from '../auth/require';
import { invalid, notFound } from '../errors';
import { randomSecret } from '../ids';
import { parseInput } from '../validation';
import { hashSecret, keyPrefix } from './key-format';

export const createServerKeySchema = z.object({
  name: z.string().trim().max(80).default(''),
  /** days until expiry; omitted = no expiry */
  expiresInDays: z.coerce.number().int().min(1).max(730).optional(),
});

function newKeyId(): string {
  // alphanumeric only, so the `_` separators in twk_<id>_<secret> stay unambiguous
  return randomBytes(12).toString('hex');
}

/** Creates a key for a server. The full key is returned once and never stored. */
export async function createServerKey(ctx: ServiceContext, serverId: string, input: unknown) {
  requirePermission(ctx, 'server_keys.manage');
  const data = parseInput(createServerKeySchema, input);
  return inTx(async (tx) => {
    const server = await tx.mcpServer.findFirst({ where: { id: serverId, tenantId: ctx.tenantId } });
    if (!server) throw notFound('Server');
    if (server.status !== 'active') throw invalid('This server is disabled; enable it before creating keys');
    const keyId = newKeyId();
    const secret = randomSecret(32);
    const key = await tx.serverKey.create({
      data: {
        id: keyId,
        tenantId: ctx.tenantId,
        serverId,
        name: data.name,
        secretHash: hashSecret(secret),
        expiresAt: data.expiresInDays ? new Date(Date.now() + data.expiresInDays * 86_400_000) : null,
        createdById: ctx.actor.id,
      },
    });
    await recordAudit(tx, ctx, { event: 'server_key.created', targetType: 'server_key', targetId: keyId, after: { ...key, prefix: keyPrefix(keyId), serverName: server.name } });
    return { id: keyId, prefix: keyPrefix(keyId), name: key.name, expiresAt: key.expiresAt, serverId, key: `twk_${keyId}_${secret}` };
  });
}

export async function listServerKeys(ctx: ServiceContext, serverId: string) {
  requirePermission(ctx, 'servers.read');
  const keys = await db().serverKey.findMany({ where: { tenantId: ctx.tenantId, serverId }, orderBy: { createdAt: 'desc' } });
  return keys.map(({ secretHash: _hidden, ...k }) => ({ ...k, prefix: keyPrefix(k.id) }));
}

export async function revokeServerKey(ctx: ServiceContext, keyId: string) {
  requirePermission(ctx, 'server_keys.manage');
  return inTx(async (tx) => {
    const key = await tx.serverKey.findFirst({ where: { id: keyId, tenantId: ctx.tenantId } });
    if (!key) throw notFound('Server key');
    if (key.revokedAt) return { id: keyId, revokedAt: key.revokedAt };
    const revokedAt = new Date();
    await tx.serverKey.update({ where: { id: keyId }, data: { revokedAt } });
    await recordAudit(tx, ctx, { event: 'server_key.revoked', targetType: 'server_key', targetId: keyId, before: { revokedAt: null }, after: { revokedAt } });
    return { id: keyId, revokedAt };
  });
}
