import fs from 'node:fs';
import path from 'node:path';
import { ArticleSeedFile, articleId, type ArticleContent } from '../../shared/domain/article';
import type { Database } from '../db/driver';
import type { ReferenceSet } from './reference-set';
import { writeTx } from '../lifecycle/write';
import { writeArticle } from '../store/articles';
import type { Poke } from '../../shared/sync/protocol';

/** Who the seed's versions name as their author. */
export const KB_SEED_AUTHOR = 'system:kb-seed';

/**
 * The knowledge base shipped in `resources/kb/*.json`, parsed and checked against the reference
 * data (every category and unit must exist, every key+language once); an error names the file
 * and the article.
 */
export function loadKbSeed(resourcesDir: string, ref: ReferenceSet): ArticleContent[] {
  const dir = path.join(resourcesDir, 'kb');
  if (!fs.existsSync(dir)) return [];
  const out: ArticleContent[] = [];
  const seen = new Set<string>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const where = path.join(dir, file);
    const parsed = ArticleSeedFile.safeParse(JSON.parse(fs.readFileSync(where, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`knowledge base ${where}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    for (const a of parsed.data.articles) {
      const id = articleId(a.key, a.language);
      if (seen.has(id)) throw new Error(`knowledge base ${where}: article ${id} appears twice`);
      seen.add(id);
      for (const c of a.categories) if (!ref.category(c)) throw new Error(`knowledge base ${where}: article ${id}: unknown category ${c}`);
      for (const u of a.units) if (!ref.unit(u)) throw new Error(`knowledge base ${where}: article ${id}: unknown unit ${u}`);
      out.push(a);
    }
  }
  return out;
}

/** Publishes the seed's articles that a store does not have yet (edited ones are never touched). */
export async function seedArticles(db: Database, articles: readonly ArticleContent[], now = Date.now()): Promise<{ added: number; pokes: Poke[] }> {
  const missing = async (q: Pick<Database, 'all'>) => {
    const existing = new Set((await q.all<{ id: string }>('SELECT id FROM articles')).map((r) => r.id));
    return articles.filter((a) => !existing.has(articleId(a.key, a.language)));
  };
  if ((await missing(db)).length === 0) return { added: 0, pokes: [] };
  let added = 0;
  const { pokes } = await writeTx(db, async (q, rec) => {
    // Nodes starting at once seed one after the other; the second finds the articles there.
    if (db.dialect === 'postgres') await q.run('SELECT pg_advisory_xact_lock(4212346)');
    const fresh = await missing(q);
    added = fresh.length;
    for (const content of fresh) {
      const id = articleId(content.key, content.language);
      await writeArticle(
        q,
        rec,
        {
          draft: { id, key: content.key, language: content.language, status: 'published', version: 1, publishedVersion: 1, content, updatedBy: KB_SEED_AUTHOR, updatedAt: now },
          published: { ...content, id, version: 1, publishedAt: now, publishedBy: KB_SEED_AUTHOR },
        },
        { version: 1, content, author: KB_SEED_AUTHOR, at: now, event: 'published' },
        true,
      );
    }
  });
  return { added, pokes };
}
