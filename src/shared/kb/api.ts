import { z } from 'zod';
import { ArticleVersion } from '../domain/article';

/** `GET <prefix><id>/versions`: an article's history, for its editors (needs the server). */
export const KB_HISTORY_PREFIX = '/api/kb/articles/';

export const ArticleHistory = z.object({ id: z.string(), versions: z.array(ArticleVersion) });
export type ArticleHistory = z.infer<typeof ArticleHistory>;
