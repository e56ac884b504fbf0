import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/app';
import { createLogger } from '../../src/server/log';
import { TokenKeyStore } from '../../src/server/auth/token-keys';
import { AdminChangeResponse } from '../../src/shared/admin/api';
import { createPgDatabase } from '../helpers/backends';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { call, codeOf, emit, login, openSocket, type TestSocket } from '../helpers/session-http';

// Two server nodes on one PostgreSQL with the Redis adapter: ending a session on one node closes
// its sockets on the other within two seconds.
const PG = process.env.TEST_DATABASE_URL ?? '';
const REDIS = process.env.TEST_REDIS_URL ?? '';
const why = !PG ? 'TEST_DATABASE_URL is not set' : !REDIS ? 'TEST_REDIS_URL is not set' : '';
if (why) console.log(`multi-node session tests skipped: ${why}`);

describe.skipIf(why !== '')('sessions across two server nodes (PostgreSQL + Redis)', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  const nodes: RunningServer[] = [];
  const dirs: string[] = [];
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    db = await createPgDatabase();
    // One deployment: the nodes share the token keys (one keys file), as docs/security.md asks.
    const keysDir = makeTempDir('hotline-keys-');
    dirs.push(keysDir);
    const keysFile = path.join(keysDir, 'token-keys.json');
    for (let i = 0; i < 2; i += 1) {
      const dir = makeTempDir('hotline-node-');
      dirs.push(dir);
      nodes.push(await startServer({ port: 0, dataDir: dir, databaseUrl: db.url, redisUrl: REDIS, logger: createLogger({}, 'error'), tokenKeys: new TokenKeyStore(keysFile, undefined) }));
    }
  }, 60_000);
  afterAll(async () => {
    for (const t of sockets) t.socket.disconnect();
    for (const n of nodes) await n.close();
    await db.drop();
    dirs.forEach(removeDir);
  });

  async function account(n1: RunningServer): Promise<{ id: string; username: string; password: string }> {
    const admin = await login(n1.url, 'admin');
    const username = `m${crypto.randomBytes(4).toString('hex')}`;
    const made = await call(`${n1.url}/api/admin/users`, { token: admin.accessToken, body: { username, displayName: 'Multi', role: 'operator', team: 'team-a', password: 'first-password' } });
    const first = await login(n1.url, username, 'first-password');
    await call(`${n1.url}/api/password`, { token: first.accessToken, body: { currentPassword: 'first-password', newPassword: 'second-password' } });
    return { id: AdminChangeResponse.parse(made.body).user.id, username, password: 'second-password' };
  }

  it('deactivation on node 1 closes the user’s live socket on node 2 within 2 s', async () => {
    const [n1, n2] = nodes as [RunningServer, RunningServer];
    const u = await account(n1);
    const me = await login(n2.url, u.username, u.password);
    const t = await openSocket(n2.url, me.accessToken);
    sockets.push(t);
    expect((await emit(t, 'pull', { cursors: {} })).ok).toBe(true);
    const admin = await login(n1.url, 'admin');
    const started = Date.now();
    const res = await call(`${n1.url}/api/admin/users/${u.id}/active`, { token: admin.accessToken, body: { active: false } });
    expect(res.status).toBe(200);
    await waitFor(() => t.closedAt !== null, 2000, { intervalMs: 10, message: 'the socket on node 2 was not closed within 2 s' });
    const ms = (t.closedAt ?? Infinity) - started;
    console.log(`socket on node 2 closed ${ms} ms after the deactivation request to node 1`);
    expect(ms).toBeLessThan(2000);
    expect(t.ended).toEqual([{ code: 'session_ended', reason: 'deactivated' }]);
    // And node 2 refuses the session's refresh as well.
    expect(codeOf(await call(`${n2.url}/api/refresh`, { body: { refreshToken: me.refreshToken } }))).toBe('session_ended');
  });

  it('a logout through node 2 closes the same session’s socket on node 1', async () => {
    const [n1, n2] = nodes as [RunningServer, RunningServer];
    const me = await login(n1.url, 'op3');
    const t = await openSocket(n1.url, me.accessToken);
    sockets.push(t);
    const started = Date.now();
    expect((await call(`${n2.url}/api/logout`, { method: 'POST', token: me.accessToken })).status).toBe(200);
    await waitFor(() => t.closedAt !== null, 2000, { intervalMs: 10 });
    expect((t.closedAt ?? Infinity) - started).toBeLessThan(2000);
    expect(t.ended[0]?.code).toBe('session_ended');
  });
});
