import type { LocalEntity } from '../../sync/local';
import { clearArticles, clearDrafts, deleteArticle, deleteDraft, getDraft, putArticle, putDraft } from './store';

/** A published article: the offline knowledge base and its index. */
export const articleEntity: LocalEntity<'article'> = {
  project: (db, id, state) => (state ? putArticle(db, state) : deleteArticle(db, id)),
  clear: clearArticles,
  notify: (events, ids) => events.emit('kb.changed', { ids }),
};

/** An article as its editors work on it (only editors' workstations hold these). */
export const articleDraftEntity: LocalEntity<'articleDraft'> = {
  project: (db, id, state) => (state ? putDraft(db, state) : deleteDraft(db, id)),
  clear: clearDrafts,
  notify: (events, ids) => events.emit('kb.changed', { ids }),
  label: (db, id) => getDraft(db, id)?.content.title ?? null,
  revision: (db, id) => getDraft(db, id)?.version,
};
