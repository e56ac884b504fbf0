import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationCore } from '../../src/main/core/core';
import type { RunningServer } from '../../src/server/app';
import type { ArticleContentInput } from '../../src/shared/domain/article';
import { BACKENDS } from '../helpers/backends';
import { KB_SEED_AUTHOR, loadKbSeed } from '../../src/server/reference/kb-seed';
import { DEFAULT_RESOURCES_DIR, shippedReferenceSet } from '../../src/server/reference/reference-set';
import { Cleanup } from '../helpers/cleanup';
import { call } from '../helpers/core';
import { startTestServer } from '../helpers/test-server';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { closeWhenIdle, openCore, waitSynced } from '../helpers/workstations';

const draft = (title: string, extra: Partial<ArticleContentInput> = {}): ArticleContentInput => ({
  key: 'test-bike-parking',
  language: 'zh',
  title,
  body: '共享单车乱停放影响通行的，可拍照后通过企业客服或 12345 反映，由属地街道协调企业清理。',
  answerScript: '您好，共享单车乱停放的问题我们会转给属地街道和运营企业处理。',
  categories: ['transport.shared_bikes'],
  tags: ['单车', '乱停'],
  ...extra,
});

/**
 * The knowledge base end to end: editors write, version, publish and retire on their workstations;
 * every workstation receives the published base by sync and searches it offline; two editors on
 * one article: the second is told, and nothing is overwritten.
 */
describe.each(BACKENDS)('knowledge base on $name', (backend) => {
  const cleanup = new Cleanup();
  let root: string;
  let server: RunningServer;
  let editor: WorkstationCore;
  let second: WorkstationCore;
  let op: WorkstationCore;

  const login = async (dir: string, username: string) => {
    const core = openCore(path.join(root, dir), server.url);
    cleanup.add(() => closeWhenIdle(core));
    await call(core, 'session.login', { username, password: 'hotline123' });
    await waitFor(async () => (await call(core, 'reference.categories', {})).length > 0, 20_000, { message: `${username} synced` });
    return core;
  };
  const searchIds = async (core: WorkstationCore, q: string) => (await call(core, 'kb.search', { q, limit: 10 })).map((h) => h.id);

  beforeAll(async () => {
    root = makeTempDir('hotline-kb-');
    cleanup.add(() => removeDir(root));
    server = (await startTestServer(backend, cleanup)).server;
    editor = await login('editor', 'editor1');
    second = await login('admin', 'admin');
    op = await login('op', 'op1');
  });
  afterAll(() => cleanup.run());

  it('an operator may not edit the knowledge base, nor see drafts', async () => {
    const res = await op.invoke('kb.save', { content: draft('运营商的文章'), baseVersion: 0 });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('forbidden');
    expect((await op.invoke('kb.drafts', {})).ok).toBe(false);
  });

  it('a draft is the editors’ only; published, it reaches every workstation and is found offline', async () => {
    const saved = await call(editor, 'kb.save', { content: draft('共享单车乱停放怎么办'), baseVersion: 0 });
    expect(saved).toMatchObject({ id: 'test-bike-parking:zh', status: 'draft', version: 1, publishedVersion: null });
    await waitSynced(editor, 20_000);
    await waitFor(async () => (await call(second, 'kb.drafts', {})).some((d) => d.id === saved.id), 20_000, { message: 'the other editor sees the draft' });
    expect(await searchIds(op, '单车')).not.toContain(saved.id);
    await call(editor, 'kb.publish', { id: saved.id, expectedVersion: 1 });
    await waitFor(async () => (await searchIds(op, '自行车乱停 单车')).includes(saved.id), 20_000, { message: 'published article on the operator’s workstation' });
    expect(await call(op, 'kb.get', { id: saved.id })).toMatchObject({ title: '共享单车乱停放怎么办', version: 1 });
    expect((await call(op, 'kb.mine', {})).recent.map((a) => a.id)).toEqual([saved.id]);
  });

  it('two editors on one article: the second save is refused with the first one’s version, nothing overwritten', async () => {
    await waitFor(async () => (await call(second, 'kb.drafts', {})).find((d) => d.id === 'test-bike-parking:zh')?.status === 'published', 20_000, {
      message: 'second editor up to date',
    });
    // Both start from version 1; the first saves, the second (offline from the first's change) saves too.
    await call(editor, 'kb.save', { content: draft('共享单车乱停放如何反映'), baseVersion: 1 });
    await call(second, 'kb.save', { content: draft('单车乱停'), baseVersion: 1 });
    const rejection = await waitFor(async () => (await call(second, 'sync.rejections', {})).find((r) => r.code === 'conflict'), 20_000, { message: 'conflict reported' });
    expect(rejection.message).toContain('changed by someone else');
    await waitSynced(second, 20_000);
    const seen = await waitFor(async () => (await call(second, 'kb.drafts', {})).find((d) => d.id === 'test-bike-parking:zh' && d.version === 2), 20_000, { message: 'first save' });
    expect(seen.content.title).toBe('共享单车乱停放如何反映');
    // Operators still read the published version 1 until version 2 is published.
    expect((await call(op, 'kb.get', { id: 'test-bike-parking:zh' })).version).toBe(1);
  });

  it('keeps every version with who and when; an earlier one can be restored and published', async () => {
    const history = await call(editor, 'kb.history', { id: 'test-bike-parking:zh' });
    expect(history.map((v) => [v.version, v.event, v.content.title])).toEqual([
      [2, 'saved', '共享单车乱停放如何反映'],
      [1, 'published', '共享单车乱停放怎么办'],
    ]);
    await call(editor, 'kb.restore', { id: 'test-bike-parking:zh', fromVersion: 1, expectedVersion: 2 });
    await waitSynced(editor, 20_000);
    const restored = await waitFor(async () => (await call(editor, 'kb.drafts', {})).find((d) => d.id === 'test-bike-parking:zh' && d.version === 3), 20_000, { message: 'restored' });
    expect(restored.content.title).toBe('共享单车乱停放怎么办');
    expect((await call(editor, 'kb.history', { id: 'test-bike-parking:zh' }))[0]).toMatchObject({ version: 3, event: 'restored:1' });
  });

  it('a retired article leaves every workstation', async () => {
    await call(editor, 'kb.retire', { id: 'test-bike-parking:zh', expectedVersion: 3 });
    await waitFor(async () => !(await searchIds(op, '单车')).includes('test-bike-parking:zh'), 20_000, { message: 'retired on the operator’s workstation' });
    expect((await op.invoke('kb.get', { id: 'test-bike-parking:zh' })).ok).toBe(false);
  });

  it('the shipped knowledge base is published in the store and found on every workstation', async () => {
    const seed = loadKbSeed(DEFAULT_RESOURCES_DIR, shippedReferenceSet());
    const stored = await server.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM articles WHERE status = 'published' AND updated_by = ?", [KB_SEED_AUTHOR]);
    expect(Number(stored?.n)).toBe(seed.length);
    const sample = seed.filter((_, i) => i % 25 === 0);
    for (const a of sample) expect(await searchIds(op, a.title)).toContain(`${a.key}:${a.language}`);
  });
});
