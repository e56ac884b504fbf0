import type { Database, Queryable } from '../db/driver';
import type { Poke } from '../../shared/sync/protocol';
import { ChangeRecorder } from '../store/changes';

/**
 * One write transaction that changes synced entities: the version counter is taken first (so
 * intent checks read the latest committed state on every node), the change log is written at the
 * end, and the pokes to send after commit are returned with the value.
 */
export async function writeTx<T>(db: Database, fn: (q: Queryable, rec: ChangeRecorder) => Promise<T>): Promise<{ value: T; pokes: Poke[] }> {
  let pokes: Poke[] = [];
  const value = await db.tx(async (q) => {
    if (db.dialect === 'postgres') await q.get('SELECT version FROM version_counter WHERE id = 1 FOR UPDATE');
    const rec = new ChangeRecorder(q);
    const out = await fn(q, rec);
    pokes = await rec.finish();
    return out;
  });
  return { value, pokes };
}
