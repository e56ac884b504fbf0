import type { Queryable } from '../db/driver';
import type { ChangeRecorder } from './changes';
import { ArticleContent, ArticleVersion, type ArticleDraftRecord, type ArticleRecord, type ArticleStatus } from '../../shared/domain/article';

/** The scope every workstation holds: the published knowledge base. */
export const KB_SCOPE = 'kb';
/** The scope of the knowledge editors: every article's latest version, drafts and retired ones too. */
export const KB_EDIT_SCOPE = 'kb-edit';

interface ArticleRow extends Record<string, unknown> {
  id: string;
  key: string;
  language: string;
  status: string;
  version: number;
  published_version: number | null;
  updated_by: string;
  updated_at: number;
  published_by: string | null;
  published_at: number | null;
}

export interface StoredArticle {
  draft: ArticleDraftRecord;
  published: ArticleRecord | null;
}

async function versionContent(q: Queryable, id: string, version: number): Promise<ArticleContent> {
  const row = await q.get<{ content: string }>('SELECT content FROM article_versions WHERE article_id = ? AND version = ?', [id, version]);
  if (!row) throw new Error(`article ${id} has no version ${version}`);
  return ArticleContent.parse(JSON.parse(row.content));
}

/** An article as stored: its editors' record and, when one is, the published version. */
export async function findArticle(q: Queryable, id: string): Promise<StoredArticle | undefined> {
  const row = await q.get<ArticleRow>('SELECT * FROM articles WHERE id = ?', [id]);
  if (!row) return undefined;
  const content = await versionContent(q, id, row.version);
  const publishedVersion = row.published_version === null ? null : row.published_version;
  const draft: ArticleDraftRecord = {
    id,
    key: row.key,
    language: content.language,
    status: row.status as ArticleStatus,
    version: row.version,
    publishedVersion,
    content,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
  const published =
    publishedVersion === null || row.published_at === null || row.published_by === null
      ? null
      : { ...(publishedVersion === draft.version ? content : await versionContent(q, id, publishedVersion)), id, version: publishedVersion, publishedAt: row.published_at, publishedBy: row.published_by };
  return { draft, published };
}

/** Writes an article's next state: its row, a new history entry when `event` says one was made, and its changes for both scopes. */
export async function writeArticle(
  q: Queryable,
  rec: ChangeRecorder,
  next: StoredArticle,
  entry: { version: number; content: ArticleContent; author: string; at: number; event: string } | null,
  isNew: boolean,
): Promise<void> {
  const d = next.draft;
  const values = [d.status, d.version, d.publishedVersion, d.updatedBy, d.updatedAt, next.published?.publishedBy ?? null, next.published?.publishedAt ?? null];
  if (isNew) {
    await q.run(
      'INSERT INTO articles (id, key, language, status, version, published_version, updated_by, updated_at, published_by, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [d.id, d.key, d.language, ...values],
    );
  } else {
    await q.run('UPDATE articles SET status = ?, version = ?, published_version = ?, updated_by = ?, updated_at = ?, published_by = ?, published_at = ? WHERE id = ?', [...values, d.id]);
  }
  if (entry) {
    await q.run('INSERT INTO article_versions (article_id, version, content, author, at, event) VALUES (?, ?, ?, ?, ?, ?)', [
      d.id,
      entry.version,
      JSON.stringify(entry.content),
      entry.author,
      entry.at,
      entry.event,
    ]);
  }
  await rec.put('articleDraft', d.id, d, { isNew });
  await rec.put('article', d.id, next.published, { isNew });
}

/** Every version of an article, the latest first. */
export async function articleHistory(q: Queryable, id: string): Promise<ArticleVersion[]> {
  const rows = await q.all<{ version: number; content: string; author: string; at: number; event: string }>(
    'SELECT version, content, author, at, event FROM article_versions WHERE article_id = ? ORDER BY version DESC',
    [id],
  );
  return rows.map((r) => ArticleVersion.parse({ version: r.version, content: JSON.parse(r.content) as unknown, author: r.author, at: r.at, event: r.event }));
}
