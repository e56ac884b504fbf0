import type BetterSqlite3 from 'better-sqlite3';
import { pinyin } from 'pinyin-pro';
import { fieldTerms, foldText, INITIALS_PREFIX, WHOLE_PREFIX } from '../../../shared/search/kb';

/**
 * The knowledge base's own inverted index (local migration 8): for every term, the articles that
 * hold it with an impact — the article's BM25F term weight, precomputed at write time — kept in
 * impact order, so a query reads only the best postings of each term (see features/kb/search.ts).
 *
 * The impact of term t in article d (BM25F, k1 = 1.2):
 *   tf~ = Σ over fields f of  w_f · tf_f(t) / (1 − b_f + b_f · len_f / avglen_f)
 *   impact = tf~ / (k1 + tf~), stored as an integer out of IMPACT_SCALE.
 * The average field lengths are fixed constants (measured on the shipped articles), so an
 * article's postings never change when others are added: writing one article touches only its own.
 *
 * Changing the terms or the weights here changes every posting: that needs a new local migration
 * that re-indexes (as migration 8 does), since an article's old postings are found again by
 * recomputing them from its stored text.
 */

interface Field {
  weight: number;
  b: number;
  /** Average length in terms on the shipped articles. */
  avg: number;
}

export const FIELDS = {
  title: { weight: 8, b: 0.5, avg: 27 },
  tags: { weight: 6, b: 0.5, avg: 75 },
  script: { weight: 1, b: 0.75, avg: 105 },
  body: { weight: 1, b: 0.75, avg: 230 },
  initials: { weight: 5, b: 0, avg: 1 },
  whole: { weight: 4, b: 0, avg: 1 },
} as const satisfies Record<string, Field>;

const K1 = 1.2;
export const IMPACT_SCALE = 1000;

/** The pinyin initials of a title's Chinese characters ("居住证办理" → "jzzbl"). */
export function titleInitials(title: string): string {
  const han = title.replace(/[^\u4e00-\u9fff]/gu, '');
  return han ? pinyin(han, { pattern: 'first', toneType: 'none', type: 'array' }).join('') : '';
}

function initialsOf(run: string): string {
  return pinyin(run, { pattern: 'first', toneType: 'none', type: 'array' })
    .map((l) => l.slice(0, 1))
    .join('');
}

/**
 * Pinyin-initials terms: of every tag whole and every Chinese run of the title whole ("进京证" →
 * #jjz), and the title's initials from its start, 2 to 8 letters, for an operator typing them.
 * (Spans across words are left out: "邻居家噪声" would answer "jjz".)
 */
function initialsTerms(title: string, tags: readonly string[]): string[] {
  const out = new Set<string>();
  const runs = (text: string) => foldText(text).match(/[\u4e00-\u9fff]+/gu) ?? [];
  for (const run of [...runs(title), ...tags.flatMap((t) => [runs(t).join('')])]) if (Array.from(run).length >= 2) out.add(INITIALS_PREFIX + initialsOf(run));
  const whole = initialsOf(runs(title).join(''));
  for (let len = 2; len <= Math.min(8, whole.length); len += 1) out.add(INITIALS_PREFIX + whole.slice(0, len));
  return [...out];
}

/** The term of a whole tag or title, as the query's pieces are looked up (folded, no spaces or punctuation). */
export function wholeTerm(text: string): string {
  return WHOLE_PREFIX + foldText(text).replace(/[^\p{L}\p{N}]+/gu, '');
}

export interface IndexedArticle {
  title: string;
  tags: readonly string[];
  categories: readonly string[];
  answerScript: string;
  body: string;
}

/** An article's terms and their impacts (1 … IMPACT_SCALE). */
export function articleTerms(a: IndexedArticle): Map<string, number> {
  const fields: [Field, string[]][] = [
    [FIELDS.title, fieldTerms(a.title, true)],
    // Category codes read as words too ("heating" finds utility.heating's articles).
    [FIELDS.tags, [...a.tags.flatMap((t) => fieldTerms(t, true)), ...fieldTerms(a.categories.join(' ').replaceAll(/[._]/g, ' '), false)]],
    [FIELDS.script, fieldTerms(a.answerScript, false)],
    [FIELDS.body, fieldTerms(a.body, false)],
    [FIELDS.initials, initialsTerms(a.title, a.tags)],
    // Each tag whole: a query that holds a tag (a caller's phrase an editor wrote down) weighs it whole.
    [FIELDS.whole, [...new Set(a.tags.map(wholeTerm))]],
  ];
  const tf = new Map<string, number>();
  for (const [f, terms] of fields) {
    const norm = 1 - f.b + (f.b * terms.length) / f.avg;
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [t, n] of counts) tf.set(t, (tf.get(t) ?? 0) + (f.weight * n) / norm);
  }
  const out = new Map<string, number>();
  for (const [t, x] of tf) out.set(t, Math.max(1, Math.round((IMPACT_SCALE * x) / (K1 + x))));
  return out;
}

const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();
function stmt(db: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map<string, BetterSqlite3.Statement>()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = db.prepare(sql)));
  return s;
}

/** The row of article_terms that counts the indexed articles (its df). */
export const DOCS_TERM = '';

/**
 * Adds an article's postings (its row's rowid) and counts its terms. A term is stored once, in
 * article_terms, and its postings name it by number: the postings are most of the index's size.
 * Two statements per article, the terms passed as one JSON array: SQLite loops over them.
 */
export function indexArticle(db: BetterSqlite3.Database, rowid: number, a: IndexedArticle): void {
  const terms = JSON.stringify([...articleTerms(a), [DOCS_TERM, 0]]);
  stmt(db, `INSERT INTO article_terms (term, df) SELECT value ->> 0, 1 FROM json_each(?) WHERE true ON CONFLICT (term) DO UPDATE SET df = df + 1`).run(terms);
  stmt(
    db,
    `INSERT OR REPLACE INTO article_postings (term, impact, doc)
     SELECT t.id, j.value ->> 1, ? FROM json_each(?) j JOIN article_terms t ON t.term = j.value ->> 0 WHERE j.value ->> 0 <> ''`,
  ).run(rowid, terms);
}

/**
 * Removes the postings `indexArticle` wrote for this article (recomputed from its stored text).
 * A term no article holds any more keeps its row with df 0 (its number may come back).
 */
export function unindexArticle(db: BetterSqlite3.Database, rowid: number, a: IndexedArticle): void {
  const terms = JSON.stringify([...articleTerms(a), [DOCS_TERM, 0]]);
  stmt(
    db,
    `DELETE FROM article_postings WHERE (term, impact, doc) IN
       (SELECT t.id, j.value ->> 1, ? FROM json_each(?) j JOIN article_terms t ON t.term = j.value ->> 0 WHERE j.value ->> 0 <> '')`,
  ).run(rowid, terms);
  stmt(db, `UPDATE article_terms SET df = df - 1 WHERE term IN (SELECT value ->> 0 FROM json_each(?))`).run(terms);
}
