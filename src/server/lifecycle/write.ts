import type { Database, Queryable } from '../db/driver';
import type { Poke } from '../../shared/sync/protocol';
import { ChangeRecorder, lockVersionCounter } from '../store/changes';
import type { ScopeContext } from '../sync/retention';

/**
 * One write transaction that changes synced entities: the version counter is taken first (so
 * intent checks read the latest committed state on every node), the change log is written at the
 * end, and the pokes to send after commit are returned with the value.
 */
export async function writeTx<T>(db: Database, fn: (q: Queryable, rec: ChangeRecorder) => Promise<T>, scopes?: ScopeContext): Promise<{ value: T; pokes: Poke[] }> {
  let pokes: Poke[] = [];
  const value = await db.tx(async (q) => {
    await lockVersionCounter(q, db.dialect);
    const rec = new ChangeRecorder(q, scopes);
    const out = await fn(q, rec);
    pokes = await rec.finish();
    return out;
  });
  return { value, pokes };
}
