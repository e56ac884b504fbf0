import type { Queryable } from '../db/driver';
import type { ExtendedCategory } from '../../shared/reference/categories';
import type { ChangeRecorder } from './changes';

export const REFERENCE_SCOPE = 'ref';

/**
 * Inserts or updates the reference categories (with their intake questions) and logs each change
 * for the reference scope. A category the file no longer has (a retired code) stays in the table —
 * cases of long ago may name it — but inactive, and leaves the reference scope (a tombstone), so
 * workstations stop offering it.
 */
export async function upsertCategories(q: Queryable, rec: ChangeRecorder, categories: readonly ExtendedCategory[]): Promise<number> {
  let changed = 0;
  const offered = new Set(categories.map((c) => c.code));
  for (const row of await q.all<{ code: string }>('SELECT code FROM categories WHERE active = 1 ORDER BY code')) {
    if (offered.has(row.code)) continue;
    await q.run('UPDATE categories SET active = 0 WHERE code = ?', [row.code]);
    await rec.put('category', row.code, null);
    changed += 1;
  }
  for (const c of categories) {
    const questions = JSON.stringify(c.intakeQuestions);
    const existing = await q.get<Record<string, unknown>>('SELECT * FROM categories WHERE code = ?', [c.code]);
    const same =
      existing &&
      Number(existing.active) === 1 &&
      existing.parent === c.parent &&
      existing.name_zh === c.nameZh &&
      existing.name_en === c.nameEn &&
      existing.sla_class === c.slaClass &&
      Number(existing.direct_answer) === (c.directAnswer ? 1 : 0) &&
      existing.intake_questions === questions;
    if (same) continue;
    await q.run(
      `INSERT INTO categories (code, parent, name_zh, name_en, sla_class, direct_answer, active, intake_questions) VALUES (?, ?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT (code) DO UPDATE SET parent = excluded.parent, name_zh = excluded.name_zh, name_en = excluded.name_en,
         sla_class = excluded.sla_class, direct_answer = excluded.direct_answer, active = 1, intake_questions = excluded.intake_questions`,
      [c.code, c.parent, c.nameZh, c.nameEn, c.slaClass, c.directAnswer ? 1 : 0, questions],
    );
    await rec.put('category', c.code, c);
    changed += 1;
  }
  return changed;
}

export async function categoryExists(q: Queryable, code: string): Promise<boolean> {
  const row = await q.get('SELECT code FROM categories WHERE code = ? AND active = 1', [code]);
  return row !== undefined;
}
