import { db, type Tx } from './client';

/** A service transaction: the change and its audit event commit together or not at all. */
export function inTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(fn, { maxWait: 10_000, timeout: 20_000 });
}
