import { articleId, type ArticleContent, type ArticleDraftRecord, type ArticleRecord } from '../../../../shared/domain/article';
import { ArticleHistory, KB_HISTORY_PREFIX } from '../../../../shared/kb/api';
import { AppFailure } from '../../../../shared/result';
import type { Feature } from '../../feature';
import type { CoreContext } from '../../context';
import { getJson, type HttpSession } from '../session/http-session';
import type { SyncService } from '../sync';
import { searchArticles } from './search';
import { getArticle, getDraft, listDrafts, noteUse, usage } from './store';

export { getArticle } from './store';

/**
 * kb.*: the knowledge base on this workstation — search and suggestions offline, an article whole,
 * an operator's recent and most used; and for its editors, saving versions, publishing, retiring,
 * restoring (queued like every change; a second editor's save since is refused as a conflict).
 */
export function kbFeature(ctx: CoreContext, deps: { http: HttpSession; sync: SyncService }): Feature {
  const draft = (id: string): ArticleDraftRecord => {
    const d = getDraft(ctx.store(), id);
    if (!d) throw new AppFailure('not_found', `article ${id} is not on this workstation`);
    return d;
  };
  const articlesOf = (ids: readonly string[]): ArticleRecord[] => ids.map((id) => getArticle(ctx.store(), id)).filter((a): a is ArticleRecord => a !== undefined);

  const history = async (id: string) => {
    ctx.authorize('kb.edit');
    let body: unknown;
    try {
      const token = await deps.http.accessToken(deps.sync.clockOffsetMs);
      body = await getJson(`${deps.http.serverUrl}${KB_HISTORY_PREFIX}${encodeURIComponent(id)}/versions`, token);
    } catch (error) {
      if (error instanceof AppFailure && error.code === 'server_unreachable') {
        throw new AppFailure('server_unreachable', `an article's history is kept by the central server, which cannot be reached now (${error.message})`);
      }
      throw error;
    }
    const parsed = ArticleHistory.safeParse(body);
    if (!parsed.success) throw new AppFailure('internal', 'the server sent a history in an unexpected shape');
    return parsed.data.versions;
  };

  return {
    name: 'kb',
    handlers: {
      'kb.search': (input) => {
        ctx.requireAccount();
        return searchArticles(ctx.store(), input.q, { limit: input.limit, language: input.language, categoryCode: input.categoryCode, now: Date.now() });
      },
      'kb.suggest': (input) => {
        ctx.requireAccount();
        return searchArticles(ctx.store(), input.text, { limit: input.limit, language: input.language, categoryCode: input.categoryCode, validOnly: true, now: Date.now() });
      },
      'kb.get': (input) => {
        const account = ctx.requireAccount();
        const a = getArticle(ctx.store(), input.id);
        if (!a) throw new AppFailure('not_found', `article ${input.id} is not in the knowledge base`);
        noteUse(ctx.store(), account.id, a.id, Date.now());
        return a;
      },
      'kb.mine': () => {
        const account = ctx.requireAccount();
        return { recent: articlesOf(usage(ctx.store(), account.id, 'recent', 8)), most: articlesOf(usage(ctx.store(), account.id, 'most', 8)) };
      },
      'kb.drafts': () => {
        ctx.authorize('kb.edit');
        return listDrafts(ctx.store());
      },
      'kb.save': (input) => {
        ctx.authorize('kb.edit');
        const content: ArticleContent = input.content;
        const id = articleId(content.key, content.language);
        const before = getDraft(ctx.store(), id);
        if (input.baseVersion === 0 && before) throw new AppFailure('conflict', `article ${id} exists already (version ${before.version})`);
        if (before && before.version !== input.baseVersion) throw new AppFailure('conflict', `article ${id} was changed since (version ${input.baseVersion} → ${before.version})`);
        ctx.enqueue('saveArticle', () => ({ id, content, baseVersion: input.baseVersion }));
        return draft(id);
      },
      'kb.publish': (input) => {
        ctx.authorize('kb.edit');
        ctx.enqueue('publishArticle', () => ({ id: input.id, expectedVersion: input.expectedVersion }));
        return draft(input.id);
      },
      'kb.retire': (input) => {
        ctx.authorize('kb.edit');
        ctx.enqueue('retireArticle', () => ({ id: input.id, expectedVersion: input.expectedVersion }));
        return draft(input.id);
      },
      'kb.restore': (input) => {
        ctx.authorize('kb.edit');
        ctx.enqueue('restoreArticle', () => ({ id: input.id, fromVersion: input.fromVersion, expectedVersion: input.expectedVersion }));
        return draft(input.id);
      },
      'kb.history': (input) => history(input.id),
    },
  };
}
