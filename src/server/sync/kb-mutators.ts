import type { MutationName } from '../../shared/sync/mutations';
import { ArticleContent, articleId } from '../../shared/domain/article';
import { findArticle, writeArticle, type StoredArticle } from '../store/articles';
import { authorize, MutationRejected, parseArgs, type MutationContext, type Mutator } from './mutation-base';

// The knowledge editors' mutations. Every one names the version it was made on: when another
// editor saved since, it is refused as a conflict carrying the article as it is now, so the
// editor sees both versions and nothing is overwritten silently.

async function current(ctx: MutationContext, id: string, expectedVersion: number): Promise<StoredArticle> {
  const found = await findArticle(ctx.q, id);
  if (!found) throw new MutationRejected('not_found', `article ${id} does not exist`);
  if (found.draft.version !== expectedVersion) {
    throw new MutationRejected('conflict', `article ${id} was changed by someone else (version ${expectedVersion} → ${found.draft.version})`, found.draft);
  }
  return found;
}

const saveArticle: Mutator = async (ctx, raw) => {
  const { id, content, baseVersion } = parseArgs('saveArticle', raw);
  authorize(ctx, 'kb.edit');
  if (id !== articleId(content.key, content.language)) throw new MutationRejected('invalid_args', `article ${id} must be ${articleId(content.key, content.language)}`);
  const found = await findArticle(ctx.q, id);
  if (!found && baseVersion !== 0) throw new MutationRejected('not_found', `article ${id} does not exist`);
  if (found && found.draft.version !== baseVersion) {
    throw new MutationRejected('conflict', `article ${id} was changed by someone else (version ${baseVersion} → ${found.draft.version})`, found.draft);
  }
  const version = baseVersion + 1;
  const next: StoredArticle = {
    draft: {
      id,
      key: content.key,
      language: content.language,
      // A retired article stays retired until published again; a published one has a newer draft.
      status: found?.draft.status === 'retired' ? 'retired' : 'draft',
      version,
      publishedVersion: found?.draft.publishedVersion ?? null,
      content,
      updatedBy: ctx.user.sub,
      updatedAt: ctx.now,
    },
    published: found?.published ?? null,
  };
  await writeArticle(ctx.q, ctx.rec, next, { version, content, author: ctx.user.sub, at: ctx.now, event: 'saved' }, !found);
};

const publishArticle: Mutator = async (ctx, raw) => {
  const { id, expectedVersion } = parseArgs('publishArticle', raw);
  authorize(ctx, 'kb.edit');
  const found = await current(ctx, id, expectedVersion);
  const { draft } = found;
  await writeArticle(
    ctx.q,
    ctx.rec,
    {
      draft: { ...draft, status: 'published', publishedVersion: draft.version, updatedBy: ctx.user.sub, updatedAt: ctx.now },
      published: { ...draft.content, id, version: draft.version, publishedAt: ctx.now, publishedBy: ctx.user.sub },
    },
    null,
    false,
  );
  await ctx.q.run("UPDATE article_versions SET event = 'published' WHERE article_id = ? AND version = ?", [id, draft.version]);
};

const retireArticle: Mutator = async (ctx, raw) => {
  const { id, expectedVersion } = parseArgs('retireArticle', raw);
  authorize(ctx, 'kb.edit');
  const found = await current(ctx, id, expectedVersion);
  await writeArticle(
    ctx.q,
    ctx.rec,
    { draft: { ...found.draft, status: 'retired', publishedVersion: null, updatedBy: ctx.user.sub, updatedAt: ctx.now }, published: null },
    null,
    false,
  );
};

const restoreArticle: Mutator = async (ctx, raw) => {
  const { id, fromVersion, expectedVersion } = parseArgs('restoreArticle', raw);
  authorize(ctx, 'kb.edit');
  const found = await current(ctx, id, expectedVersion);
  const old = await ctx.q.get<{ content: string }>('SELECT content FROM article_versions WHERE article_id = ? AND version = ?', [id, fromVersion]);
  if (!old) throw new MutationRejected('not_found', `article ${id} has no version ${fromVersion}`);
  const content = ArticleContent.parse(JSON.parse(old.content));
  const version = expectedVersion + 1;
  await writeArticle(
    ctx.q,
    ctx.rec,
    { draft: { ...found.draft, status: found.draft.status === 'retired' ? 'retired' : 'draft', version, content, updatedBy: ctx.user.sub, updatedAt: ctx.now }, published: found.published },
    { version, content, author: ctx.user.sub, at: ctx.now, event: `restored:${fromVersion}` },
    false,
  );
};

export const kbMutators = { saveArticle, publishArticle, retireArticle, restoreArticle } satisfies Partial<Record<MutationName, Mutator>>;
