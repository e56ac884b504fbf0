import { prep, type LocalDb } from '../../store/db';
import { ExtendedCategory } from '../../../../shared/reference/categories';

interface CategoryRow {
  code: string;
  parent: string | null;
  name_zh: string;
  name_en: string;
  sla_class: string;
  direct_answer: number;
  intake_questions: string;
}

export function putCategory(db: LocalDb, c: ExtendedCategory): void {
  prep(
    db,
    'INSERT OR REPLACE INTO categories (code, parent, name_zh, name_en, sla_class, direct_answer, intake_questions) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(c.code, c.parent, c.nameZh, c.nameEn, c.slaClass, c.directAnswer ? 1 : 0, JSON.stringify(c.intakeQuestions));
}

function toCategory(r: CategoryRow): ExtendedCategory {
  return ExtendedCategory.parse({
    code: r.code,
    parent: r.parent,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    slaClass: r.sla_class,
    directAnswer: r.direct_answer === 1,
    intakeQuestions: JSON.parse(r.intake_questions) as unknown,
  });
}

export function getCategory(db: LocalDb, code: string): ExtendedCategory | undefined {
  const row = prep(db, 'SELECT * FROM categories WHERE code = ?').get(code) as CategoryRow | undefined;
  return row ? toCategory(row) : undefined;
}

export function clearCategories(db: LocalDb): void {
  prep(db, 'DELETE FROM categories').run();
}

export function deleteCategory(db: LocalDb, code: string): void {
  prep(db, 'DELETE FROM categories WHERE code = ?').run(code);
}

export function listCategories(db: LocalDb): ExtendedCategory[] {
  return (prep(db, 'SELECT * FROM categories ORDER BY code').all() as CategoryRow[]).map(toCategory);
}

export function categoryExists(db: LocalDb, code: string): boolean {
  return prep(db, 'SELECT 1 FROM categories WHERE code = ?').get(code) !== undefined;
}
