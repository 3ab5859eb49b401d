import { db } from '../db/client';
import { AppError, invalid } from '../errors';
import { AUTHN_REASON_SET, timeWindow, type DecisionFilters } from './filters';

// SQL for the decision log, built from validated filters. Column names are constants; every
// value the user typed travels as a bind parameter ($n), never inside the SQL text.

export class Params {
  readonly values: unknown[] = [];
  /** adds a bind value and returns its placeholder */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** escapes LIKE wildcards so free text matches literally */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * WHERE conditions for a tenant's decisions under the given filters (tenant first, always).
 * `resourceToken`: the part of the resource search to look up in the trigram index
 * (resource-search.ts); the whole text is checked either way.
 */
export function decisionConditions(p: Params, tenantId: string, f: DecisionFilters, now = Date.now(), resourceToken: string | null = null): string[] {
  const where = [`"tenantId" = ${p.add(tenantId)}`];
  const { from, to } = timeWindow(f, now);
  if (from) where.push(`"time" >= ${p.add(from)}::timestamptz`);
  if (to) where.push(`"time" < ${p.add(to)}::timestamptz`);
  if (f.server) where.push(`"serverId" = ${p.add(f.server)}`);
  if (f.agent) where.push(`"agentId" = ${p.add(f.agent)}`);
  if (f.subject) where.push(`"subject" = ${p.add(f.subject)}`);
  // tool ids are tol_…; anything else is the tool's name as the server lists it
  if (f.tool) where.push(/^tol_[0-9A-Z]+$/.test(f.tool) ? `"toolId" = ${p.add(f.tool)}` : `"tool" = ${p.add(f.tool)}`);
  if (f.action) where.push(`"action" = ${p.add(f.action)}`);
  if (f.outcome) where.push(`"allow" = ${p.add(f.outcome === 'allow')}`);
  if (f.reason) where.push(AUTHN_REASON_SET.has(f.reason) ? `"authnReason" = ${p.add(f.reason)}` : `"reason" = ${p.add(f.reason)}`);
  if (f.onBehalfOf) where.push(`"onBehalfOf" = ${p.add(f.onBehalfOf)}`);
  if (f.task) where.push(`"taskId" = ${p.add(f.task)}`);
  if (f.resource && resourceToken) {
    // coalesce() hides the whole text from the index (so its common trigrams are not looked up
    // there) and checks it on the rows the token's lookup returned
    where.push(`"resource" ILIKE ${p.add(likeContains(resourceToken))}`, `coalesce("resource", '') ILIKE ${p.add(likeContains(f.resource))}`);
  } else if (f.resource) {
    where.push(`"resource" ILIKE ${p.add(likeContains(f.resource))}`);
  }
  if (f.grant) where.push(`"grantId" = ${p.add(f.grant)}`);
  return where;
}

// ── keyset cursor over (time desc, id desc) ──

export interface Cursor {
  time: Date;
  id: string;
}

export function encodeCursor(c: { time: Date | string; id: string }): string {
  return Buffer.from(JSON.stringify([new Date(c.time).getTime(), c.id])).toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  try {
    const [ms, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof ms === 'number' && Number.isFinite(ms) && typeof id === 'string' && id.length > 0 && id.length <= 64) return { time: new Date(ms), id };
  } catch {
    // fall through
  }
  throw invalid('Invalid cursor', [{ name: 'cursor', reason: 'not a cursor returned by this list' }]);
}

/**
 * "Strictly after the cursor" in (time desc, id desc) order. The redundant `time <= t` lets the
 * (tenantId, …, time desc) indexes and partition pruning do the work; the OR settles ties.
 */
export function afterCursor(p: Params, c: Cursor, alias = ''): string {
  const t = p.add(c.time);
  return `${alias}"time" <= ${t}::timestamptz AND (${alias}"time" < ${t}::timestamptz OR ${alias}"id" < ${p.add(c.id)})`;
}

// ── running read queries ──

/** the longest a console query over the log may run before it is cancelled */
export const READ_TIMEOUT_MS = 15_000;

function isStatementTimeout(err: unknown): boolean {
  const text = `${(err as Error)?.message ?? ''} ${JSON.stringify((err as { meta?: unknown })?.meta ?? '')}`;
  return /57014|statement timeout|canceling statement/i.test(text);
}

/**
 * A parameterised read through Prisma's pool (not the decision hot path's pool, so a heavy
 * console query never delays a decision), bounded by a statement timeout.
 */
export async function readQuery<T>(sql: string, params: unknown[], timeoutMs = READ_TIMEOUT_MS): Promise<T[]> {
  try {
    return await db().$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${Math.max(100, Math.floor(timeoutMs))}`);
        return tx.$queryRawUnsafe<T[]>(sql, ...params);
      },
      // the transaction outlives the statement, so the statement timeout is what fires
      { maxWait: 10_000, timeout: timeoutMs + 10_000 },
    );
  } catch (err) {
    if (isStatementTimeout(err)) {
      throw new AppError('unavailable', 'This view took too long to load. Narrow the time range or add a more selective filter (agent, tool, task).');
    }
    throw err;
  }
}
