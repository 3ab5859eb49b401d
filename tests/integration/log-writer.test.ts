import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { pgPool } from '../../lib/db/pool';
import { DecisionLogWriter, type DecisionLogRow } from '../../lib/decisions/log-writer';
import { createTenantFixture, type TenantFixture } from './fixtures';
import { decisionRow } from './decision-log-seed';

// The group-commit writer against the real table: one row PostgreSQL refuses must cost only its
// own caller a 503, never the other decisions that happened to share its batch.

let t: TenantFixture;
beforeAll(async () => {
  t = await createTenantFixture('logwriter');
});
afterAll(() => disconnectDb());

function row(resource: string): DecisionLogRow {
  return decisionRow(t.tenantId, new Date(), { resource, allow: false, reason: 'no_grant' });
}

describe('DecisionLogWriter', () => {
  it('stores every field as given: the batch travels as JSON, and nothing is lost or reshaped on the way', async () => {
    // a tenant of its own: the other tests count every row of theirs
    const own = await createTenantFixture('logwriter-roundtrip');
    const writer = new DecisionLogWriter({ pool: pgPool() });
    const time = new Date(Date.UTC(2026, 10, 24, 12, 34, 56, 789));
    const full = decisionRow(own.tenantId, time, {
      serverId: 'srv_roundtrip',
      identityId: 'wid_roundtrip',
      agentId: 'agt_roundtrip',
      subject: 'spiffe://acme.test/agents/billing',
      onBehalfOf: 'alice@example.com',
      tool: 'quote "this" \\ and ünïcödé ✓',
      toolId: 'tool_roundtrip',
      action: 'write',
      resource: 'doc:42/"quoted"\ttab',
      allow: false,
      reason: 'resource_not_granted',
      authnReason: null,
      grantId: 'grant_roundtrip',
      taskId: 'task-7',
      latencyUs: 1234,
      requestId: '3f1c5d1e-7b0a-4a51-9c1e-1d2b3c4d5e6f',
      source: 'sdk',
      explanation: 'A grant for doc:* would allow this call.',
      context: { environment: 'prod', arguments: { amount: 12.5, ok: true, tags: ['a', 'b'], nested: { deep: null } } },
    });
    // a row with only what is required: every optional field absent (undefined), not null
    const sparse = { ...decisionRow(own.tenantId, time), context: undefined } as unknown as DecisionLogRow;
    await Promise.all([writer.write(full), writer.write(sparse)]);
    await writer.drain();

    const read = async (id: string) =>
      (await pgPool().query(`SELECT * FROM "DecisionLog" WHERE id = $1`, [id])).rows[0] as Record<string, unknown>;
    const stored = await read(full.id);
    expect(stored).toEqual({ ...full, time });
    expect((stored.time as Date).getTime()).toBe(time.getTime());
    const storedSparse = await read(sparse.id);
    expect(storedSparse).toEqual({ ...sparse, context: null });
  });

  it('a row the database refuses fails alone; the rest of its batch commits', async () => {
    // concurrency 1 and a held first batch make the next 20 rows share one batch
    const writer = new DecisionLogWriter({ pool: pgPool(), concurrency: 1 });
    const rows = Array.from({ length: 20 }, (_, i) => row(i === 7 ? 'bad\u0000row' : `ok:${i}`));
    const results = await Promise.allSettled(rows.map((r) => writer.write(r)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(results[7]).toMatchObject({ status: 'rejected', reason: { code: 'unavailable' } });
    const stored = await db().$queryRawUnsafe<{ resource: string }[]>(`SELECT resource FROM "DecisionLog" WHERE "tenantId" = $1`, t.tenantId);
    expect(stored.map((s) => s.resource).sort()).toEqual(rows.filter((_, i) => i !== 7).map((r) => r.resource).sort());
    await writer.drain();
  });

  it('a deadlock (e.g. with retention pruning the roll-up) is retried once, and every row commits', async () => {
    // a trigger that fails the first insert it sees with deadlock_detected; a sequence counts
    // attempts because it is not rolled back with the failed transaction
    await db().$executeRawUnsafe(`CREATE SEQUENCE lw_deadlock_seq`);
    await db().$executeRawUnsafe(`CREATE FUNCTION lw_deadlock_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.resource LIKE 'deadlock:%' AND nextval('lw_deadlock_seq') = 1 THEN
          RAISE EXCEPTION 'simulated deadlock' USING ERRCODE = '40P01';
        END IF;
        RETURN NEW;
      END $$`);
    await db().$executeRawUnsafe(`CREATE TRIGGER lw_deadlock BEFORE INSERT ON "DecisionLog" FOR EACH ROW EXECUTE FUNCTION lw_deadlock_once()`);
    try {
      const writer = new DecisionLogWriter({ pool: pgPool(), concurrency: 1 });
      const rows = ['deadlock:1', 'deadlock:2', 'deadlock:3'].map(row);
      const results = await Promise.allSettled(rows.map((r) => writer.write(r)));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      const [{ attempts }] = await db().$queryRawUnsafe<{ attempts: bigint }[]>(`SELECT last_value AS attempts FROM lw_deadlock_seq`);
      expect(Number(attempts)).toBeGreaterThan(1);
      const stored = await db().$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "DecisionLog" WHERE "tenantId" = $1 AND resource LIKE 'deadlock:%'`, t.tenantId);
      expect(stored[0].n).toBe(3);
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER lw_deadlock ON "DecisionLog"`);
      await db().$executeRawUnsafe(`DROP FUNCTION lw_deadlock_once()`);
      await db().$executeRawUnsafe(`DROP SEQUENCE lw_deadlock_seq`);
    }
  });

  it('a failure that is not about the data (the database gone) fails the whole batch closed', async () => {
    // a real pool pointed at a port where no database listens
    const gone = new pg.Pool({ connectionString: 'postgresql://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 2000 });
    const writer = new DecisionLogWriter({ pool: gone, concurrency: 1 });
    const results = await Promise.allSettled(['a', 'b', 'c'].map((r) => writer.write(row(r))));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await db().$queryRawUnsafe<unknown[]>(`SELECT 1 FROM "DecisionLog" WHERE "tenantId" = $1 AND resource IN ('a','b','c')`, t.tenantId)).toEqual([]);
    await gone.end();
  });
});
