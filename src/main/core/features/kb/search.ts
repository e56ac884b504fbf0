import type { ArticleRecord } from '../../../../shared/domain/article';
import type { ArticleHit } from '../../../../shared/contract/contract';
import { highlightTerms, kbQuery } from '../../../../shared/search/kb';
import { prep, type LocalDb } from '../../store/db';
import { getArticleByRowid } from './store';

/** BM25 weights of the index's columns: title, answer script, tags and categories, body, pinyin initials. */
const WEIGHTS = [10, 4, 6, 1, 8] as const;
/** How many ranked matches are read before the filters (language, category) and the boosts. */
const CANDIDATES = 200;

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
  const match = kbQuery(query);
  if (!match) return [];
  const rows = prep(db, `SELECT rowid, bm25(article_search, ${WEIGHTS.join(', ')}) AS score FROM article_search WHERE article_search MATCH ? ORDER BY score LIMIT ?`).all(
    match,
    CANDIDATES,
  ) as { rowid: number; score: number }[];
  const today = beijingDate(opts.now);
  const inCategory = (a: ArticleRecord) =>
    opts.categoryCode !== undefined && a.categories.some((c) => c === opts.categoryCode || (opts.categoryCode ?? '').startsWith(`${c}.`) || c.startsWith(`${opts.categoryCode ?? ''}.`));
  const hits: { a: ArticleRecord; score: number; tier: number }[] = [];
  for (const r of rows) {
    const a = getArticleByRowid(db, r.rowid);
    if (!a) continue;
    if (opts.language && a.language !== opts.language) continue;
    const valid = isValid(a, today);
    if (opts.validOnly && !valid) continue;
    // The case's category first, then BM25 (negative: more negative is better).
    hits.push({ a, score: r.score, tier: inCategory(a) ? 0 : 1 });
  }
  hits.sort((x, y) => x.tier - y.tier || x.score - y.score);
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
