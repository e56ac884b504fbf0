import { z } from 'zod';

/** The languages the knowledge base is written in: Chinese, and English for the most common questions. */
export const ArticleLanguage = z.enum(['zh', 'en']);
export type ArticleLanguage = z.infer<typeof ArticleLanguage>;

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date_format');

/** Where a fact came from: the article's text is the project's own; the facts are credited. */
export const ArticleSource = z.object({ title: z.string().min(2).max(200), url: z.url().optional(), publisher: z.string().max(100).optional() }).strict();

/**
 * What an editor writes: an answer an operator gives on the call. `body` is Markdown, rendered
 * safely (no script, no remote content, no raw HTML); `answerScript` is the words to say.
 */
export const ArticleContent = z
  .object({
    /** Stable across versions and languages of one article: `heating-temperature`. */
    key: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'article_key_format').max(80),
    language: ArticleLanguage,
    title: z.string().trim().min(2).max(120),
    body: z.string().trim().min(10).max(20_000),
    answerScript: z.string().trim().min(10).max(2000),
    /** Category codes of the taxonomy (leaves or parents). */
    categories: z.array(z.string().min(1).max(40)).min(1).max(10),
    tags: z.array(z.string().trim().min(1).max(30)).max(20).default([]),
    /** Units that handle the matter (ids of resources/reference/units.json). */
    units: z.array(z.string().min(1).max(80)).max(10).default([]),
    /** Dates (Beijing) between which it applies; an expired article is not suggested. */
    validFrom: IsoDate.nullable().default(null),
    validTo: IsoDate.nullable().default(null),
    sources: z.array(ArticleSource).max(10).default([]),
  })
  .strict();
export type ArticleContent = z.infer<typeof ArticleContent>;
export type ArticleContentInput = z.input<typeof ArticleContent>;

/** The seed files in resources/kb/: articles written for this project. */
export const ArticleSeedFile = z.object({ $comment: z.string().optional(), articles: z.array(ArticleContent).min(1) }).strict();
export type ArticleSeedFile = z.infer<typeof ArticleSeedFile>;

/** The id of one language version of an article. */
export function articleId(key: string, language: ArticleLanguage): string {
  return `${key}:${language}`;
}
