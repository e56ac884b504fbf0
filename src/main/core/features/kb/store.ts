import { prep, type LocalDb } from '../../store/db';
import { ArticleDraftRecord, ArticleRecord } from '../../../../shared/domain/article';
import { indexArticle, unindexArticle, type IndexedArticle } from '../../store/article-index';

export { titleInitials } from '../../store/article-index';

interface ArticleRow {
  rowid: number;
  data: string;
}

/** Writes a published article and its index entries (rowid kept by the upsert, as the index's doc). */
export function putArticle(db: LocalDb, a: ArticleRecord): void {
  const data = JSON.stringify(a);
  const before = prep(db, 'SELECT rowid, data FROM articles WHERE id = ?').get(a.id) as ArticleRow | undefined;
  // A pull that brings the same version again changes nothing.
  if (before?.data === data) return;
  if (before) unindexArticle(db, before.rowid, JSON.parse(before.data) as IndexedArticle);
  const { rowid } = prep(
    db,
    `INSERT INTO articles (id, key, language, title, valid_from, valid_to, data) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET key = excluded.key, language = excluded.language, title = excluded.title,
       valid_from = excluded.valid_from, valid_to = excluded.valid_to, data = excluded.data
     RETURNING rowid`,
  ).get(a.id, a.key, a.language, a.title, a.validFrom, a.validTo, data) as { rowid: number };
  indexArticle(db, rowid, a);
  prep(db, 'DELETE FROM article_categories WHERE article_id = ?').run(a.id);
  const cat = prep(db, 'INSERT OR IGNORE INTO article_categories (article_id, category_code) VALUES (?, ?)');
  for (const c of a.categories) cat.run(a.id, c);
}

export function deleteArticle(db: LocalDb, id: string): void {
  const row = prep(db, 'SELECT rowid, data FROM articles WHERE id = ?').get(id) as ArticleRow | undefined;
  if (!row) return;
  unindexArticle(db, row.rowid, JSON.parse(row.data) as IndexedArticle);
  prep(db, 'DELETE FROM article_categories WHERE article_id = ?').run(id);
  prep(db, 'DELETE FROM articles WHERE rowid = ?').run(row.rowid);
}

export function clearArticles(db: LocalDb): void {
  db.exec('DELETE FROM article_postings; UPDATE article_terms SET df = 0; DELETE FROM article_categories; DELETE FROM articles;');
}

export function getArticle(db: LocalDb, id: string): ArticleRecord | undefined {
  const row = prep(db, 'SELECT rowid, data FROM articles WHERE id = ?').get(id) as ArticleRow | undefined;
  return row ? ArticleRecord.parse(JSON.parse(row.data)) : undefined;
}

export function getArticleByRowid(db: LocalDb, rowid: number): ArticleRecord | undefined {
  const row = prep(db, 'SELECT rowid, data FROM articles WHERE rowid = ?').get(rowid) as ArticleRow | undefined;
  return row ? ArticleRecord.parse(JSON.parse(row.data)) : undefined;
}

/** An article as this workstation stored it (checked when it was written; not parsed again on the search's hot path). */
export function storedArticle(db: LocalDb, rowid: number): ArticleRecord | undefined {
  const data = prep(db, 'SELECT data FROM articles WHERE rowid = ?').pluck().get(rowid) as string | undefined;
  return data === undefined ? undefined : (JSON.parse(data) as ArticleRecord);
}

export function countArticles(db: LocalDb): number {
  return (prep(db, 'SELECT COUNT(*) AS n FROM articles').get() as { n: number }).n;
}

export function putDraft(db: LocalDb, d: ArticleDraftRecord): void {
  prep(
    db,
    `INSERT INTO article_drafts (id, status, version, updated_at, data) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, version = excluded.version, updated_at = excluded.updated_at, data = excluded.data`,
  ).run(d.id, d.status, d.version, d.updatedAt, JSON.stringify(d));
}

export function deleteDraft(db: LocalDb, id: string): void {
  prep(db, 'DELETE FROM article_drafts WHERE id = ?').run(id);
}

export function clearDrafts(db: LocalDb): void {
  prep(db, 'DELETE FROM article_drafts').run();
}

export function getDraft(db: LocalDb, id: string): ArticleDraftRecord | undefined {
  const row = prep(db, 'SELECT data FROM article_drafts WHERE id = ?').get(id) as { data: string } | undefined;
  return row ? ArticleDraftRecord.parse(JSON.parse(row.data)) : undefined;
}

export function listDrafts(db: LocalDb): ArticleDraftRecord[] {
  const rows = prep(db, 'SELECT data FROM article_drafts ORDER BY updated_at DESC').all() as { data: string }[];
  return rows.map((r) => ArticleDraftRecord.parse(JSON.parse(r.data)));
}

/** A user opened or used an article here. */
export function noteUse(db: LocalDb, userId: string, articleId: string, at: number): void {
  prep(
    db,
    `INSERT INTO article_usage (user_id, article_id, uses, last_at) VALUES (?, ?, 1, ?)
     ON CONFLICT (user_id, article_id) DO UPDATE SET uses = uses + 1, last_at = excluded.last_at`,
  ).run(userId, articleId, at);
}

export function usage(db: LocalDb, userId: string, order: 'recent' | 'most', limit: number): string[] {
  const sql =
    order === 'recent'
      ? 'SELECT article_id FROM article_usage WHERE user_id = ? ORDER BY last_at DESC LIMIT ?'
      : 'SELECT article_id FROM article_usage WHERE user_id = ? ORDER BY uses DESC, last_at DESC LIMIT ?';
  return prep(db, sql).pluck().all(userId, limit) as string[];
}
