import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationCore } from '../../src/main/core/core';
import { BACKENDS } from '../helpers/backends';
import { Cleanup } from '../helpers/cleanup';
import { call } from '../helpers/core';
import { startTestServer } from '../helpers/test-server';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { caseDraft, closeWhenIdle, loginReady, openCore } from '../helpers/workstations';

const backend = BACKENDS[0];

/**
 * A consultation answered on the call from a knowledge-base article: the article goes with the
 * direct answer, is recorded on the case's timeline, is checked by the server, and reaches the
 * other workstations of the team with the case.
 */
describe.runIf(backend)('direct answer with the article linked', () => {
  const cleanup = new Cleanup();
  let root: string;
  let op: WorkstationCore;
  let lead: WorkstationCore;

  beforeAll(async () => {
    if (!backend) return;
    root = makeTempDir('hotline-kb-answer-');
    cleanup.add(() => removeDir(root));
    const serverUrl = (await startTestServer(backend, cleanup)).server.url;
    op = openCore(path.join(root, 'op'), serverUrl);
    lead = openCore(path.join(root, 'lead'), serverUrl);
    cleanup.add(() => closeWhenIdle(op));
    cleanup.add(() => closeWhenIdle(lead));
    await loginReady(op, 'op1');
    await loginReady(lead, 'lead1');
    await waitFor(async () => (await call(op, 'kb.search', { q: '暖气不热', limit: 5 })).length > 0, 20_000, { message: 'kb on the workstation' });
  });
  afterAll(() => cleanup.run());

  const consultation = (i: number, tag: string) => ({ ...caseDraft(i, tag), categoryCode: 'utility.heating_fee_query', contactType: 'consultation' as const });

  it('records the article on the case, confirmed by the server and seen by the team', async () => {
    const hit = (await call(op, 'kb.search', { q: '暖气费怎么交', limit: 5 }))[0];
    expect(hit).toBeDefined();
    if (!hit) return;
    const article = { id: hit.id, version: hit.version, title: hit.title };
    const c = await call(op, 'cases.create', { ...consultation(1, 'kb'), then: { action: 'answer', answer: hit.answerScript, article } });
    expect(c.status).toBe('answered');
    expect(c.timeline.at(-1)).toMatchObject({ kind: 'answer', data: { article } });
    const confirmed = await waitFor(
      async () => {
        const v = await call(op, 'cases.get', { caseId: c.id });
        return v.pending ? undefined : v;
      },
      20_000,
      { message: 'confirmed' },
    );
    expect(confirmed.timeline.find((e) => e.kind === 'answer')?.data).toEqual({ article });
    const seen = await waitFor(async () => (await lead.invoke('cases.get', { caseId: c.id })).ok || undefined, 20_000, { message: 'on the lead’s workstation' });
    expect(seen).toBe(true);
    expect((await call(lead, 'cases.get', { caseId: c.id })).timeline.find((e) => e.kind === 'answer')?.data).toEqual({ article });
  });

  it('an answer without an article is as before: no article on the timeline', async () => {
    const c = await call(op, 'cases.create', { ...consultation(2, 'plain'), then: { action: 'answer', answer: '供暖费按建筑面积计收。' } });
    expect(c.timeline.at(-1)?.data).toEqual({});
  });

  it('the server refuses an answer that names an article the knowledge base never held', async () => {
    const c = await call(op, 'cases.create', {
      ...consultation(3, 'forged'),
      then: { action: 'answer', answer: '供暖费按建筑面积计收。', article: { id: 'no-such-article:zh', version: 1, title: '没有这篇' } },
    });
    const rejection = await waitFor(async () => (await call(op, 'sync.rejections', {})).find((r) => r.name === 'answerCase' && r.code === 'not_found'), 20_000, {
      message: 'refused',
    });
    expect(rejection.message).toContain('no-such-article:zh');
    // The case itself is kept, registered, without the answer.
    const after = await waitFor(async () => {
      const v = await call(op, 'cases.get', { caseId: c.id });
      return v.pending ? undefined : v;
    }, 20_000, { message: 'rebased' });
    expect(after.status).toBe('registered');
  });
});
