import { createHash } from 'node:crypto';

// The chain hash. Pure, so the writer and the verifier (console, CLI) cannot disagree.

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with sorted object keys: the same data always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as Record<string, unknown>).sort();
    return `{${keys
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface ChainedFields {
  id: string;
  tenantId: string;
  seq: bigint | number | string;
  time: Date | string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  event: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  prevHash: string;
}

export function auditHash(f: ChainedFields): string {
  const body = canonicalJson({
    id: f.id,
    tenantId: f.tenantId,
    seq: String(f.seq),
    time: new Date(f.time).toISOString(),
    actorType: f.actorType,
    actorId: f.actorId,
    actorLabel: f.actorLabel,
    event: f.event,
    targetType: f.targetType,
    targetId: f.targetId,
    before: f.before ?? null,
    after: f.after ?? null,
    ip: f.ip,
    userAgent: f.userAgent,
    requestId: f.requestId,
  });
  return createHash('sha256').update(f.prevHash).update('\n').update(body).digest('hex');
}
