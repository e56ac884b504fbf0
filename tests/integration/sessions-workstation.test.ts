import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkstationCore } from '../../src/main/core/core';
import type { Database } from '../../src/server/db/driver';
import type { SyncStatus } from '../../src/shared/contract/contract';
import { call } from '../helpers/core';
import { BACKENDS } from '../helpers/backends';
import { Cleanup } from '../helpers/cleanup';
import { start, type ServerProcess } from '../helpers/server-process';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { call as http, login } from '../helpers/session-http';

// The workstation core against a server whose access tokens live two seconds: it hands its socket
// fresh tokens (no reconnect), and it leaves a session the server ended without logging in again.
const ACCESS_TTL_MS = 4000;

// SQLite only: storage is not what this file is about (tests/integration/sessions.test.ts runs
// the server's session rules on both backends), and each run takes a workstation's first sync.
describe.each(BACKENDS.slice(0, 1))('a workstation’s session against the server on $name', (backend) => {
  const cleanup = new Cleanup();
  let server: ServerProcess;
  let db: Database;
  let root: string;

  beforeAll(async () => {
    const storage = await backend.fresh();
    cleanup.add(() => storage.dispose());
    // A server process of its own: the workstation's first sync does not hold up its event loop.
    server = await start(0, storage.dataDir, { databaseUrl: storage.databaseUrl, env: { HOTLINE_ACCESS_TTL_MS: String(ACCESS_TTL_MS) } });
    cleanup.add(() => server.stop());
    db = storage.open();
    cleanup.add(() => db.close());
    root = makeTempDir('hotline-ws-session-');
    cleanup.add(() => removeDir(root));
  });
  afterAll(() => cleanup.run());

  const core = (name: string) => {
    const c = new WorkstationCore({ dataDir: path.join(root, name), serverUrl: server.url, mode: 'browser', version: 'test' });
    cleanup.add(() => c.close());
    return c;
  };
  /**
   * Until the first sync of a fresh workstation (reference data, the knowledge base) is over: it
   * holds this process's event loop for seconds on a busy machine, timers included.
   */
  const settled = async (ws: WorkstationCore) => {
    let last = -1;
    await waitFor(
      async () => {
        const s = await call(ws, 'sync.status', {});
        const quiet = s.online && !s.syncing && s.lastSyncAt !== null && s.lastSyncAt === last && (await call(ws, 'reference.categories', {})).length > 0;
        last = s.lastSyncAt ?? -1;
        return quiet;
      },
      60_000,
      { intervalMs: 1000 },
    );
  };
  const openSessions = async (username: string) =>
    Number(
      (await db.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = ? AND s.ended_at IS NULL', [username]))?.n,
    );

  it('keeps one socket through several token expiries (reauth over the socket) and goes on pushing', async () => {
    const ws = core('ws-reauth');
    const statuses: SyncStatus[] = [];
    ws.events.on('sync.status', (s) => statuses.push(s));
    await call(ws, 'session.login', { username: 'op1', password: 'hotline123' });
    await settled(ws);
    const from = statuses.length;
    // Three token lifetimes.
    await new Promise((r) => setTimeout(r, ACCESS_TTL_MS * 3));
    const created = await call(ws, 'cases.create', {
      callerPhone: '13800138000',
      callerName: '',
      categoryCode: 'noise.residential',
      address: '朝阳区建国路 88 号',
      description: '夜间施工噪音',
    });
    await waitFor(async () => !(await call(ws, 'cases.get', { caseId: created.id })).pending, 5000, { message: 'the case confirmed' });
    expect(statuses.slice(from).filter((s) => !s.online)).toEqual([]);
    expect(statuses.slice(from).some((s) => s.error?.includes('token_expired'))).toBe(false);
    // Every refresh rotated the one session's refresh token: still exactly one session open.
    expect(await openSessions('op1')).toBe(1);
  });

  it('an admin ending the user’s sessions logs the workstation out within 2 s, and it does not log in again by itself', async () => {
    const ws = core('ws-ended');
    const sessions: unknown[] = [];
    ws.events.on('session.changed', (s) => sessions.push(s));
    await call(ws, 'session.login', { username: 'op2', password: 'hotline123' });
    await settled(ws);
    const admin = await login(server.url, 'admin');
    const op2 = (await db.get<{ id: string }>("SELECT id FROM users WHERE username = 'op2'"))?.id ?? '';
    const started = Date.now();
    expect((await http(`${server.url}/api/admin/users/${op2}/sessions/end`, { method: 'POST', token: admin.accessToken })).status).toBe(200);
    await waitFor(async () => (await call(ws, 'session.current', {})) === null, 2000, { intervalMs: 20 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(sessions.at(-1)).toBeNull();
    // The password it held is gone with the session: no new session appears on its own.
    await new Promise((r) => setTimeout(r, ACCESS_TTL_MS * 2));
    expect(await openSessions('op2')).toBe(0);
    expect(await call(ws, 'session.current', {})).toBeNull();
  });

  it('logging out ends the session on the server', async () => {
    const ws = core('ws-logout');
    await call(ws, 'session.login', { username: 'lead1', password: 'hotline123' });
    expect(await openSessions('lead1')).toBe(1);
    await call(ws, 'session.logout', {});
    expect(await openSessions('lead1')).toBe(0);
    const row = await db.get<{ end_reason: string }>("SELECT s.end_reason FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'lead1'");
    expect(row?.end_reason).toBe('logout');
  });
});
