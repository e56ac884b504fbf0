import type { Queryable } from './driver';
import { timeOrderedUuid } from '../../shared/ids';

/**
 * A data step of a migration: every case filed under a retired category code is filed under its
 * successor, with a note on its timeline (and in `case_events`), and its change-log rows get new
 * versions so that every workstation holding it pulls it again with the new code. The case's
 * revision stays: this is not an edit, and a step queued on a workstation must not conflict on it.
 * Cases past retention (no live change row) are rewritten on the server only.
 *
 * Written against the tables as server migration 9 finds them and used by migrations only: what a
 * migration did must not change, so edit this only to add, never to alter behaviour.
 */
export interface CategoryMove {
  from: string;
  into: string;
  /** Categories the target needs (its parent, itself), inserted when the store has not got them yet; the seed fills in the rest. */
  ensure: readonly { code: string; parent: string | null; nameZh: string; nameEn: string; slaClass: string }[];
  /** The timeline note, for both languages at once. */
  note: string;
}

const ACTOR = 'system:taxonomy';

export async function moveCategory(q: Queryable, move: CategoryMove, now: number): Promise<number> {
  for (const c of move.ensure) {
    await q.run(
      `INSERT INTO categories (code, parent, name_zh, name_en, sla_class, direct_answer, active, intake_questions) VALUES (?, ?, ?, ?, ?, 0, 1, '[]')
       ON CONFLICT (code) DO NOTHING`,
      [c.code, c.parent, c.nameZh, c.nameEn, c.slaClass],
    );
  }
  const cases = await q.all<{ id: string; detail: string | null }>('SELECT id, detail FROM cases WHERE category_code = ? ORDER BY id', [move.from]);
  if (cases.length === 0) return 0;
  const data = { changes: { categoryCode: { from: move.from, to: move.into } } };
  const event = { at: now, kind: 'amended', actor: ACTOR, actorKind: 'system', station: null, note: move.note, data };
  for (const c of cases) {
    const detail = c.detail ? (JSON.parse(c.detail) as Record<string, unknown>) : {};
    const timeline = Array.isArray(detail['timeline']) ? (detail['timeline'] as unknown[]) : [];
    detail['timeline'] = [...timeline, event];
    await q.run('UPDATE cases SET category_code = ?, detail = ? WHERE id = ?', [move.into, JSON.stringify(detail), c.id]);
    await q.run('INSERT INTO case_events (id, case_id, at, actor, station, kind, data) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      timeOrderedUuid(now),
      c.id,
      now,
      ACTOR,
      null,
      'amended',
      JSON.stringify({ actorKind: 'system', note: move.note, ...data }),
    ]);
  }

  // New versions for the moved cases' live change rows (a block from the one counter), and the scope heads after them.
  const ids = cases.map((c) => c.id);
  const rows: { entity_id: string; scope: string }[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    rows.push(
      ...(await q.all<{ entity_id: string; scope: string }>(
        `SELECT entity_id, scope FROM changes WHERE entity = 'case' AND tombstone = 0 AND entity_id IN (${chunk.map(() => '?').join(', ')}) ORDER BY entity_id, scope`,
        chunk,
      )),
    );
  }
  if (rows.length === 0) return cases.length;
  const top = await q.get<{ version: unknown }>('UPDATE version_counter SET version = version + ? WHERE id = 1 RETURNING version', [rows.length]);
  if (!top) throw new Error('version_counter row missing');
  let version = Number(top.version) - rows.length;
  const heads = new Map<string, number>();
  for (const r of rows) {
    version += 1;
    // A row written before schema 4 carries its own copy of the case (with the old code): drop it, so the pull reads the case's row.
    await q.run("UPDATE changes SET version = ?, data = NULL WHERE entity = 'case' AND entity_id = ? AND scope = ?", [version, r.entity_id, r.scope]);
    heads.set(r.scope, version);
  }
  for (const [scope, head] of heads) {
    await q.run('INSERT INTO scope_heads (scope, version) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET version = excluded.version', [scope, head]);
  }
  return cases.length;
}
