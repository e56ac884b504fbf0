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

/** A published article, as every workstation holds it (the `kb` scope). */
export const ArticleRecord = ArticleContent.extend({
  id: z.string().min(3).max(90),
  /** The version that is published. */
  version: z.number().int().positive(),
  publishedAt: z.number().int(),
  publishedBy: z.string(),
});
export type ArticleRecord = z.infer<typeof ArticleRecord>;

export const ArticleStatus = z.enum(['draft', 'published', 'retired']);
export type ArticleStatus = z.infer<typeof ArticleStatus>;

/**
 * An article as its editors see it (the `kb-edit` scope): the latest version (`version`, which
 * may be a draft newer than what is published), and which version is live.
 */
export const ArticleDraftRecord = z.object({
  id: z.string().min(3).max(90),
  key: z.string(),
  language: ArticleLanguage,
  status: ArticleStatus,
  /** The latest version; every save makes a new one. */
  version: z.number().int().positive(),
  /** The version operators see now; null when none is (never published, or retired). */
  publishedVersion: z.number().int().positive().nullable(),
  content: ArticleContent,
  updatedBy: z.string(),
  updatedAt: z.number().int(),
});
export type ArticleDraftRecord = z.infer<typeof ArticleDraftRecord>;

/** One version of an article in its history: who wrote it, when, and what it said. */
export const ArticleVersion = z.object({
  version: z.number().int().positive(),
  content: ArticleContent,
  author: z.string(),
  at: z.number().int(),
  /** What happened with it: saved, published, retired, restored (from which version). */
  event: z.string().max(40),
});
export type ArticleVersion = z.infer<typeof ArticleVersion>;
