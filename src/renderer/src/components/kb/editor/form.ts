import type { ArticleContent, ArticleDraftRecord, ArticleLanguage } from '../../../../../shared/domain/article';

/** The editor's form: lists as the editor types them (separated by commas or 、), dates as typed. */
export interface ArticleFormValues {
  key: string;
  language: ArticleLanguage;
  title: string;
  answerScript: string;
  body: string;
  categories: string;
  tags: string;
  units: string;
  validFrom: string;
  validTo: string;
}

export const EMPTY_FORM: ArticleFormValues = {
  key: '',
  language: 'zh',
  title: '',
  answerScript: '',
  body: '',
  categories: '',
  tags: '',
  units: '',
  validFrom: '',
  validTo: '',
};

/** Splits a typed list on commas (half- and full-width), 、, semicolons and new lines; blanks and repeats dropped. */
export function splitList(text: string): string[] {
  const parts = text
    .split(/[,，、;；\n]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return [...new Set(parts)];
}

export function formOf(content: ArticleContent): ArticleFormValues {
  return {
    key: content.key,
    language: content.language,
    title: content.title,
    answerScript: content.answerScript,
    body: content.body,
    categories: content.categories.join(', '),
    tags: content.tags.join(', '),
    units: content.units.join(', '),
    validFrom: content.validFrom ?? '',
    validTo: content.validTo ?? '',
  };
}

/** The content the form says (the sources of the version it was opened from are kept as they were). */
export function contentOf(values: ArticleFormValues, base: ArticleContent | null): ArticleContent {
  return {
    key: values.key.trim(),
    language: values.language,
    title: values.title.trim(),
    answerScript: values.answerScript.trim(),
    body: values.body.trim(),
    categories: splitList(values.categories),
    tags: splitList(values.tags),
    units: splitList(values.units),
    validFrom: values.validFrom.trim() === '' ? null : values.validFrom.trim(),
    validTo: values.validTo.trim() === '' ? null : values.validTo.trim(),
    sources: base?.sources ?? [],
  };
}

const FIELD_ORDER: readonly (keyof ArticleContent)[] = ['key', 'language', 'title', 'answerScript', 'body', 'categories', 'tags', 'units', 'validFrom', 'validTo', 'sources'];

/** Whether two contents say the same (what a save would change), whatever order their fields came in. */
export function sameContent(a: ArticleContent, b: ArticleContent): boolean {
  return FIELD_ORDER.every((f) => JSON.stringify(a[f]) === JSON.stringify(b[f]));
}

/** A new article's key from its title when it is English; else the editor types one. */
export function keyFromTitle(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

/** What the list says of an article: its status, and a newer draft over a published version. */
export function statusOf(d: ArticleDraftRecord): 'draft' | 'published' | 'retired' | 'changed' {
  if (d.status === 'draft' && d.publishedVersion !== null) return 'changed';
  return d.status;
}
