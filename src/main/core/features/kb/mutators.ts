import { MutationArgs, type MutationName } from '../../../../shared/sync/mutations';
import type { LocalMutator } from '../../sync/local';
import { deleteArticle, getDraft, putArticle, putDraft } from './store';

// The editors' changes as they show at once on their workstation; the server decides (and a
// conflict rolls them back, with the other editor's version kept for the editor to see).

export const kbMutators: Pick<Record<MutationName, LocalMutator>, 'saveArticle' | 'publishArticle' | 'retireArticle' | 'restoreArticle'> = {
  saveArticle(db, actor, raw, at) {
    const { id, content, baseVersion } = MutationArgs.saveArticle.parse(raw);
    const before = getDraft(db, id);
    if (before && before.version !== baseVersion) return;
    putDraft(db, {
      id,
      key: content.key,
      language: content.language,
      status: before?.status === 'retired' ? 'retired' : 'draft',
      version: baseVersion + 1,
      publishedVersion: before?.publishedVersion ?? null,
      content,
      updatedBy: actor.userId,
      updatedAt: at,
    });
  },
  publishArticle(db, actor, raw, at) {
    const { id, expectedVersion } = MutationArgs.publishArticle.parse(raw);
    const d = getDraft(db, id);
    if (d?.version !== expectedVersion) return;
    putDraft(db, { ...d, status: 'published', publishedVersion: d.version, updatedBy: actor.userId, updatedAt: at });
    putArticle(db, { ...d.content, id, version: d.version, publishedAt: at, publishedBy: actor.userId });
  },
  retireArticle(db, actor, raw, at) {
    const { id, expectedVersion } = MutationArgs.retireArticle.parse(raw);
    const d = getDraft(db, id);
    if (d?.version !== expectedVersion) return;
    putDraft(db, { ...d, status: 'retired', publishedVersion: null, updatedBy: actor.userId, updatedAt: at });
    deleteArticle(db, id);
  },
  // The earlier version's text is on the server: the restored version arrives with the confirmation.
  restoreArticle: () => undefined,
};
