import { z } from 'zod';
import type { ServiceContext } from '../context';
import { db } from '../db/client';
import { requirePermission } from '../auth/require';
import { notFound } from '../errors';
import { pageQuerySchema, type Page } from '../pagination';
import { parseInput } from '../validation';
import { keyPrefix } from './key-format';

// A server's keys, a page at a time: prefix, name, expiry, last use, revocation. Never the hash.
// Key ids are random (not time-ordered), so the keyset is (createdAt, id), newest first; the
// cursor is the last key's id and its createdAt is looked up.

const keyListQuerySchema = z.object({ state: z.enum(['active', 'all']).default('all') });

export interface ServerKeyListItem {
  id: string;
  serverId: string;
  prefix: string;
  name: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
  createdById: string | null;
}

export async function listServerKeysPage(ctx: ServiceContext, serverId: string, query: unknown): Promise<Page<ServerKeyListItem>> {
  requirePermission(ctx, 'servers.read');
  const { cursor, limit } = parseInput(pageQuerySchema, query);
  const { state } = parseInput(keyListQuerySchema, query);
  const server = await db().mcpServer.findFirst({ where: { id: serverId, tenantId: ctx.tenantId }, select: { id: true } });
  if (!server) throw notFound('Server');
  let after: { id: string; createdAt: Date } | null = null;
  if (cursor) {
    after = await db().serverKey.findFirst({ where: { id: cursor, tenantId: ctx.tenantId, serverId }, select: { id: true, createdAt: true } });
    if (!after) return { items: [], nextCursor: null };
  }
  const now = new Date();
  const rows = await db().serverKey.findMany({
    where: {
      tenantId: ctx.tenantId,
      serverId,
      ...(state === 'active' ? { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } : {}),
      ...(after ? { AND: [{ OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: { id: true, serverId: true, name: true, expiresAt: true, revokedAt: true, lastUsedAt: true, createdAt: true, createdById: true },
  });
  const items = rows.slice(0, limit).map((k) => ({ ...k, prefix: keyPrefix(k.id) }));
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}
