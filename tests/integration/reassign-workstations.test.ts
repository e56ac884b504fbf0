import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkstationCore } from '../../src/main/core/core';
import { startServer, type RunningServer } from '../../src/server/app';
import { createLogger } from '../../src/server/log';
import { findCase } from '../../src/server/store/cases';
import type { CaseView } from '../../src/shared/domain/case';
import { call } from '../helpers/core';
import { BACKENDS, type FreshStorage } from '../helpers/backends';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { Cleanup } from '../helpers/cleanup';

/**
 * Reassignment end to end through workstation cores: a lead hands a case on, the operators see
 * it; two leads who both saw revision N reassign it while the server is down: one wins, the other
 * is told (a redoable conflict), the view rolls back to the winner's, and a redo applies on top.
 */
describe.each(BACKENDS)('reassigning a case between workstations on $name', (backend) => {
  const cleanup = new Cleanup();
  let root: string;
  let storage: FreshStorage;
  let server: RunningServer;
  let port: number;
  let op: WorkstationCore;
  let lead1: WorkstationCore;
  let lead2: WorkstationCore;
  const ids: Record<string, string> = {};
  let theCase: CaseView;

  const serve = async (p = 0) => {
    server = await startServer({ port: p, dataDir: storage.dataDir, databaseUrl: storage.databaseUrl, logger: createLogger({}, 'error') });
    port = server.port;
  };
  const find = async (core: WorkstationCore, id: string) => (await call(core, 'cases.list', { scope: 'team' })).find((c) => c.id === id);
  const settled = (core: WorkstationCore, name: string) =>
    waitFor(async () => {
      const s = await call(core, 'sync.status', {});
      return s.online && s.pending === 0 && !s.syncing;
    }, 15_000, { message: `${name} settled` });

  beforeAll(async () => {
    root = makeTempDir('hotline-reassign-');
    cleanup.add(() => removeDir(root));
    storage = await backend.fresh();
    cleanup.add(() => storage.dispose());
    await serve();
    cleanup.add(() => server.close());
    for (const u of ['op1', 'op2', 'lead1', 'lead2', 'trainer1']) {
      const row = await server.db.get<{ id: string }>('SELECT id FROM users WHERE username = ?', [u]);
      ids[u] = row?.id ?? '';
    }
    const core = (name: string) => {
      const c = new WorkstationCore({ dataDir: path.join(root, name), serverUrl: server.url, mode: 'browser', version: 'test', ackTimeoutMs: 3000 });
      cleanup.add(() => c.close());
      return c;
    };
    op = core('ws-op1');
    lead1 = core('ws-lead1');
    lead2 = core('ws-lead2');
    await call(op, 'session.login', { username: 'op1', password: 'hotline123' });
    await call(lead1, 'session.login', { username: 'lead1', password: 'hotline123' });
    await call(lead2, 'session.login', { username: 'lead2', password: 'hotline123' });
    for (const c of [op, lead1, lead2]) await waitFor(async () => (await call(c, 'reference.categories', {})).length > 0, 10_000);

    theCase = await call(op, 'cases.create', {
      callerPhone: '13800138000',
      callerName: '',
      categoryCode: 'noise.residential',
      address: '朝阳区建国路 88 号',
      description: '楼下工地夜间施工噪音扰民',
    });
    expect(theCase).toMatchObject({ assignee: ids.op1, rev: 1, pending: true });
    for (const c of [lead1, lead2]) await waitFor(async () => (await find(c, theCase.id))?.pending === false, 10_000, { message: 'case on the leads' });
  }, 90_000);

  afterAll(() => cleanup.run());

  it('refuses an operator, an unknown case and a holder who cannot take cases before anything is queued', async () => {
    expect(await op.invoke('cases.reassign', { caseId: theCase.id, toUserId: ids.op2 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await lead1.invoke('cases.reassign', { caseId: '6f9d7c1e-7a57-4b0e-9a38-6d1c2f0a9b11', toUserId: ids.op2 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    for (const target of [ids.trainer1 ?? '', 'no-such-user']) {
      expect(await lead1.invoke('cases.reassign', { caseId: theCase.id, toUserId: target })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', fields: { toUserId: 'cannot_take_cases' } },
      });
    }
    expect((await call(lead1, 'sync.status', {})).pending).toBe(0);
  });

  it('a lead hands the case on: at once on the lead’s view, then confirmed everywhere', async () => {
    const shown = await call(lead1, 'cases.reassign', { caseId: theCase.id, toUserId: ids.op2 ?? '' });
    expect(shown).toMatchObject({ assignee: ids.op2, rev: 2, pending: true });
    await settled(lead1, 'lead1');
    expect(await findCase(server.db, theCase.id)).toMatchObject({ assignee: ids.op2, rev: 2 });
    for (const c of [op, lead1, lead2]) {
      await waitFor(async () => {
        const v = await find(c, theCase.id);
        return v !== undefined && v.assignee === ids.op2 && v.rev === 2 && !v.pending;
      }, 5000, { message: 'reassignment seen everywhere' });
    }
    // Still the registrant's case in "mine".
    expect((await call(op, 'cases.list', { scope: 'mine' })).map((c) => c.id)).toContain(theCase.id);
  });

  it('two leads reassigning the same revision offline: one wins, the other gets a redoable conflict, and redo applies', async () => {
    await server.close();
    for (const c of [lead1, lead2]) await waitFor(async () => !(await call(c, 'sync.status', {})).online, 10_000, { message: 'leads offline' });

    expect(await call(lead1, 'cases.reassign', { caseId: theCase.id, toUserId: ids.op1 ?? '' })).toMatchObject({ assignee: ids.op1, rev: 3, pending: true });
    expect(await call(lead2, 'cases.reassign', { caseId: theCase.id, toUserId: ids.lead2 ?? '' })).toMatchObject({ assignee: ids.lead2, rev: 3, pending: true });

    await serve(port);
    await settled(lead1, 'lead1');
    await settled(lead2, 'lead2');

    const rejections = { lead1: await call(lead1, 'sync.rejections', {}), lead2: await call(lead2, 'sync.rejections', {}) };
    const losers = (['lead1', 'lead2'] as const).filter((k) => rejections[k].length > 0);
    expect(losers).toHaveLength(1);
    const loserName = losers[0] ?? 'lead1';
    const winnerName = loserName === 'lead1' ? 'lead2' : 'lead1';
    const loser = loserName === 'lead1' ? lead1 : lead2;
    const winnerTarget = winnerName === 'lead1' ? ids.op1 : ids.lead2;
    const loserTarget = loserName === 'lead1' ? ids.op1 : ids.lead2;
    const [rejection] = rejections[loserName];
    expect(rejection).toMatchObject({ name: 'reassignCase', code: 'conflict', redoable: true, caseNumber: theCase.number });

    // The loser's view is the server's: the winner's holder, revision 3, nothing pending.
    expect(await findCase(server.db, theCase.id)).toMatchObject({ assignee: winnerTarget, rev: 3 });
    await waitFor(async () => {
      const v = await find(loser, theCase.id);
      return v !== undefined && v.assignee === winnerTarget && v.rev === 3 && !v.pending;
    }, 5000, { message: 'loser rolled back to the winner’s state' });

    // Redo: the same action on the case as it is now.
    expect(await call(loser, 'sync.redo', { mutationId: rejection?.mutationId ?? '' })).toBeNull();
    expect(await call(loser, 'sync.rejections', {})).toEqual([]);
    expect(await find(loser, theCase.id)).toMatchObject({ assignee: loserTarget, rev: 4, pending: true });
    await settled(loser, loserName);
    expect(await findCase(server.db, theCase.id)).toMatchObject({ assignee: loserTarget, rev: 4 });
    // At quiescence every workstation agrees with the server.
    for (const c of [op, lead1, lead2]) {
      await waitFor(async () => {
        const v = await find(c, theCase.id);
        return v !== undefined && v.assignee === loserTarget && v.rev === 4 && !v.pending;
      }, 5000, { message: 'all agree after the redo' });
    }
    // A redo that is gone cannot be repeated.
    expect(await loser.invoke('sync.redo', { mutationId: rejection?.mutationId ?? '' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
