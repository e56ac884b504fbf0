import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkstationCore } from '../../src/main/core/core';
import { call } from '../helpers/core';
import { start } from '../helpers/server-process';
import { BACKENDS } from '../helpers/backends';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { Cleanup } from '../helpers/cleanup';

const backend = BACKENDS[0];

/**
 * A workstation of the older version (plain store) queues a case while the server is down and is
 * closed; the new version opens the same data dir with a key: the store becomes a SQLCipher file
 * and the queued case is still sent.
 */
describe('an older, unencrypted workstation store upgraded with its unsent outbox', () => {
  const cleanup = new Cleanup();
  afterAll(() => cleanup.run());

  it('encrypts the store in place and still sends the case queued before', async () => {
    if (!backend) throw new Error('no backend');
    const root = makeTempDir('hotline-upgrade-');
    cleanup.add(() => removeDir(root));
    const storage = await backend.fresh();
    cleanup.add(() => storage.dispose());
    let server = await start(0, storage.dataDir, { databaseUrl: storage.databaseUrl });
    cleanup.add(() => server.stop());
    const dataDir = path.join(root, 'ws');
    const file = path.join(dataDir, 'workstation.sqlite');

    const old = new WorkstationCore({ dataDir, serverUrl: server.url, mode: 'browser', version: 'old' });
    await call(old, 'session.login', { username: 'op1', password: 'hotline123' });
    await waitFor(async () => (await call(old, 'reference.categories', {})).length > 0, 15_000, { message: 'categories' });
    const port = server.port;
    await server.stop('SIGTERM');
    await waitFor(async () => !(await call(old, 'sync.status', {})).online, 5000, { message: 'offline' });
    const queued = await call(old, 'cases.create', {
      callerPhone: '13800138000',
      callerName: '王先生',
      categoryCode: 'noise.residential',
      address: '朝阳区建国路 88 号',
      description: '升级前离线登记的工单',
    });
    expect((await call(old, 'sync.status', {})).pending).toBe(1);
    await old.close();
    expect(fs.readFileSync(file).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');

    server = await start(port, storage.dataDir, { databaseUrl: storage.databaseUrl });
    cleanup.add(() => server.stop());
    const key = crypto.randomBytes(32);
    const upgraded = new WorkstationCore({ dataDir, serverUrl: server.url, mode: 'browser', version: 'new', storeKey: key });
    cleanup.add(() => upgraded.close());
    expect(fs.readFileSync(file).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await call(upgraded, 'session.login', { username: 'op1', password: 'hotline123' });
    await waitFor(async () => (await call(upgraded, 'sync.status', {})).pending === 0, 20_000, { message: 'the queued case sent' });
    const mine = await call(upgraded, 'cases.list', { scope: 'mine' });
    expect(mine.find((c) => c.id === queued.id)).toMatchObject({ number: queued.number, pending: false });
  }, 120_000);
});
