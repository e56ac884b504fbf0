import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkstationCore } from '../../src/main/core/core';
import type { CaseView } from '../../src/shared/domain/case';
import { call } from '../helpers/core';
import { start, type ServerProcess } from '../helpers/server-process';
import { BACKENDS, type FreshStorage } from '../helpers/backends';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { Cleanup } from '../helpers/cleanup';

/**
 * Two workstations of one team against a real server process: a case made on A reaches B, also
 * when A made it while the server was down and the server came back on the same port and data.
 */
describe.each(BACKENDS)('one case from workstation A to workstation B through a real server on $name', (backend) => {
  const cleanup = new Cleanup();
  let root: string;
  let storage: FreshStorage;
  let server: ServerProcess;
  let a: WorkstationCore;
  let b: WorkstationCore;

  const draft = (description: string) => ({
    callerPhone: '13800138000',
    callerName: '王先生',
    categoryCode: 'noise.residential',
    address: '朝阳区建国路 88 号',
    description,
  });

  const teamCases = (core: WorkstationCore) => call(core, 'cases.list', { scope: 'team' });
  const findIn = async (core: WorkstationCore, number: string): Promise<CaseView | undefined> =>
    (await teamCases(core)).find((c) => c.number === number);

  beforeAll(async () => {
    root = makeTempDir('hotline-sync-');
    cleanup.add(() => removeDir(root));
    storage = await backend.fresh();
    cleanup.add(() => storage.dispose());
    server = await start(0, storage.dataDir, { databaseUrl: storage.databaseUrl });
    // Whichever server process is current at the end (the test restarts it).
    cleanup.add(() => server.stop());
    const core = (name: string) => {
      const c = new WorkstationCore({ dataDir: path.join(root, name), serverUrl: server.url, mode: 'browser', version: 'test' });
      cleanup.add(() => c.close());
      return c;
    };
    a = core('ws-a');
    b = core('ws-b');
    const sa = await call(a, 'session.login', { username: 'op1', password: 'hotline123' });
    const sb = await call(b, 'session.login', { username: 'op2', password: 'hotline123' });
    expect(sa.user.team).toBe('team-a');
    expect(sb.user.team).toBe('team-a');
    expect(sa.station).not.toBe(sb.station);
    await waitFor(async () => (await call(a, 'reference.categories', {})).length > 0, 10_000, { message: 'categories on A' });
    await waitFor(async () => (await call(b, 'reference.categories', {})).length > 0, 10_000, { message: 'categories on B' });
  });

  afterAll(() => cleanup.run());

  it('refuses a wrong password on the workstation too', async () => {
    const probe = new WorkstationCore({ dataDir: path.join(root, 'ws-probe'), serverUrl: server.url, mode: 'browser', version: 'test' });
    try {
      const res = await probe.invoke('session.login', { username: 'op1', password: 'wrong-password' });
      expect(res).toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
      expect(await probe.invoke('cases.list', { scope: 'team' })).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    } finally {
      await probe.close();
    }
  });

  it('a case created on A appears on B within 5 s, and A has nothing pending', async () => {
    const created = await call(a, 'cases.create', draft('楼下工地夜间施工噪音扰民'));
    const stationA = (await call(a, 'session.current', {}))?.station ?? '';
    expect(created.number.startsWith(`${stationA}-`)).toBe(true);
    expect(created.pending).toBe(true);

    const onB = await waitFor(() => findIn(b, created.number), 5000, { message: 'case on B' });
    expect(onB).toMatchObject({ id: created.id, description: '楼下工地夜间施工噪音扰民', pending: false, team: 'team-a' });
    // Registered by A's operator, who holds it at revision 1; on B it is a team case, not B's own.
    const opA = (await call(a, 'session.current', {}))?.user.id;
    expect(onB).toMatchObject({ createdBy: opA, assignee: opA, rev: 1 });
    expect((await call(b, 'cases.list', { scope: 'mine' })).map((c) => c.id)).not.toContain(created.id);
    expect((await call(a, 'cases.list', { scope: 'mine' })).map((c) => c.id)).toContain(created.id);

    await waitFor(async () => (await call(a, 'sync.status', {})).pending === 0, 5000, { message: 'A pending 0' });
    expect((await findIn(a, created.number))?.pending).toBe(false);
  });

  it('a case created on A while the server is down reaches B after the server restarts on the same port', async () => {
    const port = server.port;
    expect(await server.stop('SIGTERM')).toBe(0);
    await waitFor(async () => !(await call(a, 'sync.status', {})).online, 5000, { message: 'A sees the server gone' });

    const offline = await call(a, 'cases.create', draft('小区供暖不热，室温 15 度'));
    expect(offline.pending).toBe(true);
    const status = await call(a, 'sync.status', {});
    expect(status).toMatchObject({ online: false, pending: 1 });
    expect(await findIn(b, offline.number)).toBeUndefined();

    server = await start(port, storage.dataDir, { databaseUrl: storage.databaseUrl });
    expect(server.port).toBe(port);

    const onB = await waitFor(() => findIn(b, offline.number), 20_000, { message: 'offline case on B after restart' });
    expect(onB).toMatchObject({ id: offline.id, pending: false });
    await waitFor(async () => (await call(a, 'sync.status', {})).pending === 0, 10_000, { message: 'A pending 0 after restart' });
    expect(await call(a, 'sync.status', {})).toMatchObject({ online: true, pending: 0 });

    // At quiescence both workstations show the same confirmed team cases.
    const summary = (cases: CaseView[]) => cases.map((c) => [c.number, c.pending]).sort();
    await waitFor(async () => JSON.stringify(summary(await teamCases(a))) === JSON.stringify(summary(await teamCases(b))), 5000, {
      message: 'A and B agree',
    });
    expect((await teamCases(a)).length).toBe(2);
  });

  it('nothing is lost when the server crashes right after a case is created', async () => {
    const port = server.port;
    const created = await call(a, 'cases.create', draft('路灯不亮，夜间行人摔倒'));
    // Crash at once: the push may or may not have been committed; either way it must arrive once.
    await server.kill();
    await waitFor(async () => !(await call(a, 'sync.status', {})).online, 5000, { message: 'A sees the crash' });
    server = await start(port, storage.dataDir, { databaseUrl: storage.databaseUrl });

    const onB = await waitFor(() => findIn(b, created.number), 20_000, { message: 'case on B after crash' });
    expect(onB).toMatchObject({ id: created.id, pending: false });
    await waitFor(async () => (await call(a, 'sync.status', {})).pending === 0, 10_000, { message: 'A pending 0 after crash' });
    const numbers = (await teamCases(b)).map((c) => c.number);
    expect(numbers.filter((n) => n === created.number)).toHaveLength(1);
    expect(numbers).toHaveLength(3);
  });
});
