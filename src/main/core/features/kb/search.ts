import type { ArticleRecord } from '../../../../shared/domain/article';
import type { ArticleHit } from '../../../../shared/contract/contract';
import { highlightTerms, INITIALS_PREFIX, kbQueryTerms } from '../../../../shared/search/kb';
import { prep, type LocalDb } from '../../store/db';
import { DOCS_TERM, IMPACT_SCALE } from '../../store/article-index';
import { storedArticle } from './store';

/**
 * The most postings of one term a query reads, best impact first (for a term as rare as a term can
 * be; fewer as the term is commoner or weighs less). Every article that holds a term is read while
 * it has fewer; beyond, the articles where the term weighs least (in the body, once, among many
 * words) are left out — they could only add a little to an article's score, and reading them all
 * is what made a big base slow.
 */
export const TOP_PER_TERM = 400;
/** The fewest postings a term reads. */
const TOP_AT_LEAST = 50;
/** How many of the best-scored articles are checked against the filters and the category tier. */
const CANDIDATES = 300;
/** An article in the other language than the query's script counts this share of its score. */
const OTHER_LANGUAGE = 0.3;
/** A piece of the query this long (or longer) that is a whole tag counts fully; shorter ones in proportion. */
const WHOLE_FULL = 6;
/** A word the query's last Latin word starts, beside the word itself, counts this much. */
const PREFIX_WEIGHT = 0.7;
/** The most words a prefix stands for (the most common ones). */
const PREFIX_WORDS = 6;

/** Articles and their scores for a query: Σ over its terms of weight × IDF × impact (BM25F). */
export function scoreArticles(db: LocalDb, query: string): Map<number, number> {
  const q = kbQueryTerms(query);
  const scores = new Map<number, number>();
  const termOf = prep(db, 'SELECT id, df FROM article_terms WHERE term = ? AND df > 0').raw(true);
  const n = ((termOf.get(DOCS_TERM) as [number, number] | undefined) ?? [0, 0])[1];
  if (n === 0) return scores;
  const maxIdf = Math.log(1 + (n - 0.5) / 1.5);
  const postings = prep(db, 'SELECT doc, impact FROM article_postings WHERE term = ? ORDER BY impact DESC LIMIT ?').raw(true);
  const add = (found: [number, number] | undefined, weight: number) => {
    if (!found) return;
    const [id, df] = found;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    const factor = (weight * idf) / IMPACT_SCALE;
    // As many postings as the term can weigh: a rare term of the query's own reads up to
    // TOP_PER_TERM, a common one or a thesaurus expansion fewer (its best ones still count).
    const top = Math.max(TOP_AT_LEAST, Math.round((TOP_PER_TERM * Math.min(1, weight) * idf) / maxIdf));
    for (const [doc, impact] of postings.all(id, top) as [number, number][]) scores.set(doc, (scores.get(doc) ?? 0) + factor * impact);
  };
  for (const t of q.terms) {
    if (t.prefix) {
      const words = prep(db, 'SELECT term, id, df FROM article_terms WHERE term >= ? AND term < ? AND df > 0 ORDER BY df DESC LIMIT ?').raw(true).all(t.text, `${t.text}\uffff`, PREFIX_WORDS) as [string, number, number][];
      for (const [w, id, df] of words) add([id, df], w === t.text ? t.weight : t.weight * PREFIX_WEIGHT);
      continue;
    }
    add(termOf.get(t.text) as [number, number] | undefined, t.weight);
  }
  // A piece of the query that is a whole tag counts as much more as it is longer.
  for (const w of q.wholes) add(termOf.get(w.text) as [number, number] | undefined, Math.min(w.length, WHOLE_FULL) / WHOLE_FULL);
  if (q.initials) add(termOf.get(INITIALS_PREFIX + q.initials) as [number, number] | undefined, 1);
  return scores;
}

/** The `count` best-scored articles, best first (ties by rowid), without sorting them all. */
function best(scores: Map<number, number>, count: number): [number, number][] {
  let threshold = -Infinity;
  if (scores.size > count) {
    const values = Float64Array.from(scores.values()).sort();
    threshold = values[values.length - count] ?? -Infinity;
  }
  const out: [number, number][] = [];
  for (const [doc, score] of scores) if (score >= threshold) out.push([doc, score]);
  return out.sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, count);
}

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
 * Ranked articles for a query: BM25F over the weighted fields (title above tags, answer script and
 * body), read from the impact-ordered index; articles of the case's category (when given) before
 * the others; filtered by language and validity; each with a snippet around what matched.
 */
export function searchArticles(db: LocalDb, query: string, opts: KbSearchOptions): ArticleHit[] {
  const scores = scoreArticles(db, query);
  if (scores.size === 0) return [];
  const today = beijingDate(opts.now);
  const ranked = best(scores, CANDIDATES);
  const meta = prep(db, 'SELECT id, language, valid_from AS validFrom, valid_to AS validTo FROM articles WHERE rowid = ?');
  const categoriesOf = prep(db, 'SELECT category_code FROM article_categories WHERE article_id = ?').pluck();
  const inCategory = (id: string, code: string) =>
    (categoriesOf.all(id) as string[]).some((c) => c === code || code.startsWith(`${c}.`) || c.startsWith(`${code}.`));
  // The query's script says the language the operator is answering in: the other language's
  // articles count less (still found when nothing else is).
  const prefer = /[\u3400-\u9fff]/u.test(query) ? 'zh' : /[a-z]/iu.test(query) ? 'en' : null;
  const chosen: { rowid: number; score: number; tier: number }[] = [];
  // The best first-tier scores so far (descending, at most `limit`): once a candidate's score
  // is below the last of them, no later candidate can enter the results.
  const firstTier: number[] = [];
  for (const [rowid, raw] of ranked) {
    if (firstTier.length >= opts.limit && raw <= (firstTier[opts.limit - 1] ?? 0)) break;
    const m = meta.get(rowid) as { id: string; language: string; validFrom: string | null; validTo: string | null } | undefined;
    if (!m) continue;
    if (opts.language && m.language !== opts.language) continue;
    if (opts.validOnly && !isValid(m, today)) continue;
    const tier = opts.categoryCode !== undefined && !inCategory(m.id, opts.categoryCode) ? 1 : 0;
    const score = prefer !== null && m.language !== prefer ? raw * OTHER_LANGUAGE : raw;
    chosen.push({ rowid, score, tier });
    if (tier === 0) {
      firstTier.push(score);
      firstTier.sort((x, y) => y - x);
      if (firstTier.length > opts.limit) firstTier.pop();
    }
  }
  chosen.sort((x, y) => x.tier - y.tier || y.score - x.score);
  const hits: { a: ArticleRecord; score: number }[] = [];
  for (const c of chosen.slice(0, opts.limit)) {
    const a = storedArticle(db, c.rowid);
    if (a) hits.push({ a, score: c.score });
  }
  return hits.map(({ a, score }) => ({
    id: a.id,
    key: a.key,
    language: a.language,
    title: a.title,
    categories: a.categories,
    answerScript: a.answerScript,
    version: a.version,
    expired: !isValid(a, today),
    score,
    snippet: snippetOf(a, query),
  }));
}
