import type { ArticleRecord } from '../../../../shared/domain/article';
import type { ArticleHit } from '../../../../shared/contract/contract';
import { highlightTerms, kbTerms, matchOf } from '../../../../shared/search/kb';
import { prep, type LocalDb } from '../../store/db';
import { getArticleByRowid } from './store';

/**
 * A term in more than this share of the articles says almost nothing (its BM25 weight is near
 * zero) but costs the most to score: it is left out, unless it is all the query has.
 */
const COMMON_SHARE = 0.1;
/** Below this many articles every term is kept (a small base costs nothing to score). */
const PRUNE_ABOVE = 2000;

/** The query's MATCH expression without its terms that nearly every article holds. */
function selectiveMatch(db: LocalDb, query: string): string | null {
  const t = kbTerms(query);
  const total = (prep(db, 'SELECT COUNT(*) AS n FROM articles').get() as { n: number }).n;
  if (total <= PRUNE_ABOVE || t.terms.length <= 1) return matchOf(t);
  const df = (term: { text: string; prefix: boolean }): number =>
    term.prefix
      ? // A prefix: the documents of every word it starts (an upper bound: a document may hold several).
        (prep(db, 'SELECT COALESCE(SUM(doc), 0) AS n FROM article_vocab WHERE term >= ? AND term < ?').get(term.text, `${term.text}\uffff`) as { n: number }).n
      : ((prep(db, 'SELECT doc FROM article_vocab WHERE term = ?').get(term.text) as { doc: number } | undefined)?.doc ?? 0);
  const scored = t.terms.map((term) => ({ term, df: df(term) }));
  const kept = scored.filter((s) => s.df > 0 && s.df <= total * COMMON_SHARE);
  // Nothing selective: the rarest two that exist.
  const chosen = kept.length > 0 ? kept : scored.filter((s) => s.df > 0).sort((a, b) => a.df - b.df).slice(0, 2);
  return matchOf({ terms: chosen.map((s) => s.term), initials: t.initials });
}

/** BM25 weights of the index's columns: title, answer script, tags and categories, body, pinyin initials. */
const WEIGHTS = [10, 4, 6, 1, 8] as const;

/** Today in Beijing, as YYYY-MM-DD, for validity dates. */
export function beijingDate(at: number): string {
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function isValid(a: Pick<ArticleRecord, 'validFrom' | 'validTo'>, today: string): boolean {
  return (a.validFrom === null || a.validFrom <= today) && (a.validTo === null || a.validTo >= today);
}

/** Markdown as plain text for a snippet. */
function plain(markdown: string): string {
  return markdown
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/[*_`>]+/g, '')
    .replace(/^\s*[-+]\s+/gm, '· ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A piece of the article around the first thing the query names, with where to mark. */
export function snippetOf(a: ArticleRecord, query: string, width = 70): { text: string; marks: [number, number][] } {
  const body = plain(a.body);
  const terms = highlightTerms(query).flatMap((t) => {
    const chars = Array.from(t);
    // A Chinese run is marked whole where it appears, else by its pairs.
    return chars.length > 2 ? [t, ...chars.slice(0, -1).map((c, i) => c + (chars[i + 1] ?? ''))] : [t];
  });
  const lower = body.toLowerCase();
  let at = -1;
  for (const t of terms) {
    const i = lower.indexOf(t.toLowerCase());
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const start = Math.max(0, at < 0 ? 0 : at - Math.floor(width / 3));
  const text = (start > 0 ? '…' : '') + body.slice(start, start + width) + (start + width < body.length ? '…' : '');
  const marks: [number, number][] = [];
  const lowerText = text.toLowerCase();
  for (const t of terms) {
    for (let i = lowerText.indexOf(t.toLowerCase()); i >= 0; i = lowerText.indexOf(t.toLowerCase(), i + t.length)) marks.push([i, i + t.length]);
  }
  marks.sort((x, y) => x[0] - y[0]);
  // Overlapping marks merged.
  const merged: [number, number][] = [];
  for (const m of marks) {
    const last = merged[merged.length - 1];
    if (last && m[0] <= last[1]) last[1] = Math.max(last[1], m[1]);
    else merged.push([m[0], m[1]]);
  }
  return { text, marks: merged };
}

export interface KbSearchOptions {
  limit: number;
  language?: 'zh' | 'en' | undefined;
  categoryCode?: string | undefined;
  /** Leave out articles outside their validity dates (suggestions). */
  validOnly?: boolean;
  now: number;
}

/**
 * Ranked articles for a query: BM25 over the weighted columns (title above body), articles of the
 * case's category (when given) before the others, filtered by language and validity; each with a
 * snippet around what matched.
 */
export function searchArticles(db: LocalDb, query: string, opts: KbSearchOptions): ArticleHit[] {
  const match = selectiveMatch(db, query);
  if (!match) return [];
  const today = beijingDate(opts.now);
  // Filters and the category tier in SQL, so only the rows shown are read whole.
  const where = ['article_search MATCH @match'];
  if (opts.language) where.push('a.language = @language');
  if (opts.validOnly) where.push('(a.valid_from IS NULL OR a.valid_from <= @today) AND (a.valid_to IS NULL OR a.valid_to >= @today)');
  const tier =
    opts.categoryCode === undefined
      ? '1'
      : `CASE WHEN EXISTS (SELECT 1 FROM article_categories c WHERE c.article_id = a.id
           AND (c.category_code = @category OR @category LIKE c.category_code || '.%' OR c.category_code LIKE @category || '.%')) THEN 0 ELSE 1 END`;
  const rows = prep(
    db,
    `SELECT s.rowid AS rowid, bm25(article_search, ${WEIGHTS.join(', ')}) AS score, ${tier} AS tier
     FROM article_search s JOIN articles a ON a.rowid = s.rowid
     WHERE ${where.join(' AND ')}
     ORDER BY tier, score LIMIT @limit`,
  ).all({ match, language: opts.language ?? null, today, category: opts.categoryCode ?? null, limit: opts.limit }) as { rowid: number; score: number }[];
  const hits: { a: ArticleRecord; score: number }[] = [];
  for (const r of rows) {
    const a = getArticleByRowid(db, r.rowid);
    if (a) hits.push({ a, score: r.score });
  }
  return hits.slice(0, opts.limit).map(({ a, score }) => ({
    id: a.id,
    key: a.key,
    language: a.language,
    title: a.title,
    categories: a.categories,
    answerScript: a.answerScript,
    version: a.version,
    expired: !isValid(a, today),
    score: -score,
    snippet: snippetOf(a, query),
  }));
}
