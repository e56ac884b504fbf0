import type { Database } from '../db/driver';
import type { Poke } from '../../shared/sync/protocol';
import { writeTx } from '../lifecycle/write';
import { caseFromRow, type CaseRow } from './cases';
import { scopeContextNow, type ScopeContext } from '../sync/retention';

/**
 * Takes the cases past the retention out of the workstations' scopes: each one closed (or merged)
 * longer ago than it, still held by a scope, is recorded again, and the registry's scopes — none,
 * now — leave a tombstone where it was. In batches, each its own transaction; returns how many and
 * the pokes to send.
 */
export async function retireCases(db: Database, ctx: ScopeContext = scopeContextNow(), batch = 500): Promise<{ retired: number; pokes: Poke[] }> {
  let retired = 0;
  const pokes: Poke[] = [];
  for (;;) {
    const { value: n, pokes: more } = await writeTx(db, async (q, rec) => {
      const rows = await q.all<CaseRow>(
        `SELECT k.* FROM cases k
         WHERE k.status IN ('closed', 'merged') AND k.closed_at < ?
           AND EXISTS (SELECT 1 FROM changes c WHERE c.entity = 'case' AND c.entity_id = k.id AND c.tombstone = 0)
         ORDER BY k.closed_at LIMIT ?`,
        [ctx.now - ctx.retentionMs, batch],
      );
      for (const row of rows) {
        const record = caseFromRow(row);
        await rec.put('case', record.id, record);
      }
      return rows.length;
    }, ctx);
    retired += n;
    pokes.push(...more);
    if (n < batch) return { retired, pokes };
  }
}
