import type { ServiceContext } from '../context';
import { db } from '../db/client';
import type { Tx } from '../db/client';
import { Prisma } from '../db/generated/client';
import { inTx } from '../db/tx';
import { recordAudit } from '../audit/record';
import { requirePermission } from '../auth/require';
import { conflict, invalid, isUniqueViolation, notFound, type InvalidParam } from '../errors';
import { validateJwks } from '../identity';
import { checkJwksUrl } from '../identity/fetch-jwks';
import { newId } from '../ids';
import { pageQuerySchema, toPage, type Page } from '../pagination';
import { parseInput } from '../validation';
import { createTrustDomainSchema, trustDomainListQuerySchema, updateTrustDomainSchema } from './schemas';

// Trust domains are who the tenant believes about agent credentials: only admins change them
// (trust_domains.manage). Every save re-checks the whole key configuration, so a stored trust
// domain always has exactly one usable key source with public keys under its allowed algorithms.

export type TrustDomainRow = Awaited<ReturnType<typeof loadTrustDomain>>;

async function loadTrustDomain(tx: Tx, ctx: ServiceContext, id: string) {
  const td = await tx.trustDomain.findFirst({ where: { id, tenantId: ctx.tenantId } });
  if (!td) throw notFound('Trust domain');
  return td;
}

interface KeyConfig {
  jwks: Record<string, unknown> | null;
  jwksUrl: string | null;
  allowedAlgs: string[];
}

/** Exactly one key source, and it must hold up: a bad key fails here, not on every token later. */
function checkKeyConfig(cfg: KeyConfig): void {
  const params: InvalidParam[] = [];
  if (cfg.jwks && cfg.jwksUrl) {
    throw invalid('Give either an inline JWKS or a JWKS URL, not both', [{ name: 'jwksUrl', reason: 'use either an inline JWKS or a JWKS URL, not both' }]);
  }
  if (!cfg.jwks && !cfg.jwksUrl) {
    throw invalid('A trust domain needs keys: paste a JWKS or give a JWKS URL', [{ name: 'jwks', reason: 'paste a JWKS or give a JWKS URL' }]);
  }
  if (cfg.jwks) {
    const result = validateJwks(cfg.jwks, cfg.allowedAlgs);
    if (!result.ok) params.push({ name: 'jwks', reason: result.message });
  }
  if (cfg.jwksUrl) {
    try {
      checkJwksUrl(cfg.jwksUrl);
    } catch (err) {
      params.push({ name: 'jwksUrl', reason: err instanceof Error ? err.message : 'not an acceptable URL' });
    }
  }
  if (params.length) throw invalid(params.map((p) => p.reason).join('; '), params);
}

/**
 * Names and issuers are unique per tenant (a token must select exactly one trust domain, or it is
 * refused as ambiguous). One writer per tenant at a time, so two saves cannot both pass the check.
 */
async function assertUnique(tx: Tx, ctx: ServiceContext, v: { id?: string; name: string; issuer: string | null }): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'trust-domains:' + ctx.tenantId}, 0))`;
  const others = await tx.trustDomain.findMany({
    where: { tenantId: ctx.tenantId, ...(v.id ? { id: { not: v.id } } : {}), OR: [{ name: v.name }, ...(v.issuer ? [{ issuer: v.issuer }] : [])] },
    select: { name: true, issuer: true },
  });
  const sameName = others.find((o) => o.name === v.name);
  if (sameName) {
    throw conflict(
      sameName.issuer === null && v.issuer === null
        ? `A trust domain named "${v.name}" without an issuer already exists: tokens without iss could not tell them apart`
        : `A trust domain named "${v.name}" already exists`,
    );
  }
  const sameIssuer = v.issuer ? others.find((o) => o.issuer === v.issuer) : undefined;
  if (sameIssuer) throw conflict(`Trust domain "${sameIssuer.name}" already uses the issuer ${v.issuer}: each issuer may belong to one trust domain only`);
}

function jsonOrNull(value: Record<string, unknown> | null): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}

export async function listTrustDomains(ctx: ServiceContext, query: unknown): Promise<Page<TrustDomainRow & { identityCount: number }>> {
  requirePermission(ctx, 'trust_domains.manage');
  const { cursor, limit } = parseInput(pageQuerySchema, query);
  const { q } = parseInput(trustDomainListQuerySchema, query);
  const rows = await db().trustDomain.findMany({
    where: {
      tenantId: ctx.tenantId,
      ...(q ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { issuer: { contains: q, mode: 'insensitive' } }] } : {}),
      ...(cursor ? { id: { lt: cursor } } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit + 1,
    include: { _count: { select: { identities: true } } },
  });
  const page = toPage(rows, limit);
  return { nextCursor: page.nextCursor, items: page.items.map(({ _count, ...td }) => ({ ...td, identityCount: _count.identities })) };
}

export async function getTrustDomain(ctx: ServiceContext, id: string) {
  requirePermission(ctx, 'trust_domains.manage');
  const td = await db().trustDomain.findFirst({ where: { id, tenantId: ctx.tenantId }, include: { _count: { select: { identities: true } } } });
  if (!td) throw notFound('Trust domain');
  const { _count, ...rest } = td;
  return { ...rest, identityCount: _count.identities };
}

export async function createTrustDomain(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, 'trust_domains.manage');
  const data = parseInput(createTrustDomainSchema, input);
  const cfg: KeyConfig = { jwks: data.jwks ?? null, jwksUrl: data.jwksUrl ?? null, allowedAlgs: data.allowedAlgs };
  checkKeyConfig(cfg);
  try {
    return await inTx(async (tx) => {
      await assertUnique(tx, ctx, { name: data.name, issuer: data.issuer ?? null });
      const td = await tx.trustDomain.create({
        data: {
          id: newId('trustDomain'),
          tenantId: ctx.tenantId,
          name: data.name,
          description: data.description,
          issuer: data.issuer ?? null,
          jwks: jsonOrNull(cfg.jwks),
          jwksUrl: cfg.jwksUrl,
          allowedAlgs: cfg.allowedAlgs,
          maxTokenLifetimeSeconds: data.maxTokenLifetimeSeconds,
        },
      });
      await recordAudit(tx, ctx, { event: 'trust_domain.created', targetType: 'trust_domain', targetId: td.id, after: td });
      return td;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`A trust domain named "${data.name}" already exists`);
    throw err;
  }
}

export async function updateTrustDomain(ctx: ServiceContext, id: string, input: unknown) {
  requirePermission(ctx, 'trust_domains.manage');
  const data = parseInput(updateTrustDomainSchema, input);
  try {
    return await inTx(async (tx) => {
      const before = await loadTrustDomain(tx, ctx, id);
      const name = data.name ?? before.name;
      const issuer = data.issuer === undefined ? before.issuer : data.issuer;
      const cfg: KeyConfig = {
        jwks: data.jwks === undefined ? (before.jwks as Record<string, unknown> | null) : data.jwks,
        jwksUrl: data.jwksUrl === undefined ? before.jwksUrl : data.jwksUrl,
        allowedAlgs: data.allowedAlgs ?? before.allowedAlgs,
      };
      checkKeyConfig(cfg);
      if (name !== before.name) {
        // SPIFFE IDs name their trust domain: a rename would leave bound identities pointing at
        // a domain that no longer vouches for them
        const bound = await tx.workloadIdentity.count({ where: { tenantId: ctx.tenantId, trustDomainId: id } });
        if (bound > 0) throw conflict(`"${before.name}" cannot be renamed while ${bound === 1 ? '1 workload identity is' : `${bound} workload identities are`} bound to it`);
      }
      await assertUnique(tx, ctx, { id, name, issuer });
      const after = await tx.trustDomain.update({
        where: { id },
        data: {
          name,
          issuer,
          ...(data.description !== undefined ? { description: data.description } : {}),
          jwks: jsonOrNull(cfg.jwks),
          jwksUrl: cfg.jwksUrl,
          allowedAlgs: cfg.allowedAlgs,
          ...(data.maxTokenLifetimeSeconds !== undefined ? { maxTokenLifetimeSeconds: data.maxTokenLifetimeSeconds } : {}),
        },
      });
      await recordAudit(tx, ctx, { event: 'trust_domain.updated', targetType: 'trust_domain', targetId: id, before, after });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('A trust domain with this name already exists');
    throw err;
  }
}

export async function deleteTrustDomain(ctx: ServiceContext, id: string) {
  requirePermission(ctx, 'trust_domains.manage');
  try {
    return await inTx(async (tx) => {
      const before = await loadTrustDomain(tx, ctx, id);
      const count = await tx.workloadIdentity.count({ where: { tenantId: ctx.tenantId, trustDomainId: id } });
      if (count > 0) {
        const examples = await tx.workloadIdentity.findMany({
          where: { tenantId: ctx.tenantId, trustDomainId: id },
          select: { subject: true },
          orderBy: { createdAt: 'asc' },
          take: 3,
        });
        const list = examples.map((i) => i.subject).join(', ') + (count > examples.length ? ', …' : '');
        throw conflict(`"${before.name}" is still used by ${count === 1 ? '1 workload identity' : `${count} workload identities`} (${list}). Delete them or bind them to another trust domain first.`);
      }
      await tx.trustDomain.delete({ where: { id } });
      await recordAudit(tx, ctx, { event: 'trust_domain.deleted', targetType: 'trust_domain', targetId: id, before });
      return { id };
    });
  } catch (err) {
    // an identity bound between the check and the delete: the foreign key (RESTRICT) refuses it
    if (typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2003') {
      throw conflict('This trust domain is still used by workload identities. Delete them or bind them to another trust domain first.');
    }
    throw err;
  }
}
