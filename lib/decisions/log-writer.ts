import type pg from 'pg';
import { AppError } from '../errors';

// Group commit for the decision log: rows from all requests in flight are written by one
// multi-row INSERT, and each request is answered only after the batch holding its row has
// committed. So no answered decision is ever missing from the log, and the write cost is shared.

export interface DecisionLogRow {
  id: string;
  time: Date;
  tenantId: string;
  serverId: string | null;
  identityId: string | null;
  agentId: string | null;
  subject: string | null;
  onBehalfOf: string | null;
  tool: string;
  toolId: string | null;
  action: string | null;
  resource: string | null;
  allow: boolean;
  reason: string;
  authnReason: string | null;
  grantId: string | null;
  taskId: string | null;
  latencyUs: number;
  requestId: string | null;
  source: string;
  explanation: string | null;
  context: unknown;
}

const COLUMNS: (keyof DecisionLogRow)[] = [
  'id',
  'time',
  'tenantId',
  'serverId',
  'identityId',
  'agentId',
  'subject',
  'onBehalfOf',
  'tool',
  'toolId',
  'action',
  'resource',
  'allow',
  'reason',
  'authnReason',
  'grantId',
  'taskId',
  'latencyUs',
  'requestId',
  'source',
  'explanation',
  'context',
];
const COLUMN_LIST = COLUMNS.map((c) => `"${c}"`).join(', ');

// The batch travels as one JSON array that PostgreSQL reads into the log's own row type: one
// native JSON.stringify on our side instead of escaping 22 text arrays element by element (the
// largest cost of a decision after the socket write), one fixed parameter whatever the batch
// size, and a named statement so PostgreSQL parses and plans it once per connection.
const INSERT_SQL = `INSERT INTO "DecisionLog" (${COLUMN_LIST})
SELECT ${COLUMN_LIST} FROM json_populate_recordset(NULL::"DecisionLog", $1)
ON CONFLICT DO NOTHING`;

export async function insertDecisionRows(client: Pick<pg.Pool, 'query'>, rows: DecisionLogRow[]): Promise<number> {
  // a field left undefined is left out of the JSON and reads as NULL (never as a column default)
  const res = await client.query({ name: 'decision-log-insert', text: INSERT_SQL, values: [JSON.stringify(rows)] });
  return res.rowCount ?? 0;
}

interface Pending {
  row: DecisionLogRow;
  resolve: () => void;
  reject: (err: Error) => void;
}

export interface LogWriterOptions {
  pool: Pick<pg.Pool, 'query'>;
  /** flush a batch at most this many rows */
  maxBatch?: number;
  /**
   * batches written at once (each takes a pool connection). One by default: rows that arrive
   * while a batch commits wait for the next, so batches grow with load, and PostgreSQL spent
   * about a fifth less CPU per row than with two half-size batches (docs/performance.md).
   */
  concurrency?: number;
  /** bound on rows waiting; beyond it callers are refused (503) rather than queued forever */
  maxQueued?: number;
}

export class DecisionLogWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private closed = false;
  private drainWaiters: (() => void)[] = [];

  constructor(private readonly opts: LogWriterOptions) {
    this.maxBatch = opts.maxBatch ?? 500;
    this.concurrency = opts.concurrency ?? 1;
    this.maxQueued = opts.maxQueued ?? 20_000;
  }

  /** resolves once the row is committed; rejects (→ 503, never an unlogged answer) otherwise */
  write(row: DecisionLogRow): Promise<void> {
    if (this.closed) return Promise.reject(new AppError('unavailable', 'Shutting down'));
    if (this.queue.length >= this.maxQueued) return Promise.reject(new AppError('unavailable', 'Decision log is backed up; fail closed.'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      this.writeBatch(batch).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.pump();
        else if (this.inFlight === 0) for (const w of this.drainWaiters.splice(0)) w();
      });
    }
  }

  /**
   * One INSERT for the batch. If PostgreSQL refuses the data itself (SQLSTATE class 22/23: a
   * value it cannot store), one bad row must not fail everyone else's decisions: the batch is
   * split in halves until the bad row is alone, and only its caller gets the 503. Any other
   * failure (connection lost, database down) fails the whole batch at once.
   */
  private async writeBatch(batch: Pending[], retried = false): Promise<void> {
    try {
      await insertDecisionRows(
        this.opts.pool,
        batch.map((p) => p.row),
      );
      for (const p of batch) p.resolve();
    } catch (err) {
      // a deadlock with retention pruning the hourly roll-up: the batch did nothing, try once more
      if (!retried && isTransient(err)) return this.writeBatch(batch, true);
      if (batch.length > 1 && isDataError(err)) {
        const mid = Math.ceil(batch.length / 2);
        await this.writeBatch(batch.slice(0, mid));
        await this.writeBatch(batch.slice(mid));
        return;
      }
      const failure = new AppError('unavailable', 'The decision could not be logged; fail closed.');
      for (const p of batch) p.reject(failure);
    }
  }

  /** waits for every queued row to be written (graceful shutdown) */
  async drain(): Promise<void> {
    this.closed = true;
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }
}

function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
