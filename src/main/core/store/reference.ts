import { prep, type LocalDb } from './db';
import { Category } from '../../../shared/domain/reference';

interface CategoryRow {
  code: string;
  parent: string | null;
  name_zh: string;
  name_en: string;
  sla_class: string;
  direct_answer: number;
}

export function putCategory(db: LocalDb, c: Category): void {
  prep(db, 'INSERT OR REPLACE INTO categories (code, parent, name_zh, name_en, sla_class, direct_answer) VALUES (?, ?, ?, ?, ?, ?)').run(
    c.code,
    c.parent,
    c.nameZh,
    c.nameEn,
    c.slaClass,
    c.directAnswer ? 1 : 0,
  );
}

export function deleteCategory(db: LocalDb, code: string): void {
  prep(db, 'DELETE FROM categories WHERE code = ?').run(code);
}

export function listCategories(db: LocalDb): Category[] {
  return (prep(db, 'SELECT * FROM categories ORDER BY code').all() as CategoryRow[]).map((r) =>
    Category.parse({
      code: r.code,
      parent: r.parent,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      slaClass: r.sla_class,
      directAnswer: r.direct_answer === 1,
    }),
  );
}

export function categoryExists(db: LocalDb, code: string): boolean {
  return prep(db, 'SELECT 1 FROM categories WHERE code = ?').get(code) !== undefined;
}
