import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type { RunningServer } from '../../src/server/app';
import { PROTOCOL_VERSION } from '../../src/shared/sync/protocol';
import { BACKENDS, type FreshStorage } from '../helpers/backends';
import { Cleanup } from '../helpers/cleanup';
import { startTestServer, tokenSignerOf } from '../helpers/test-server';
import { readApiKeys } from '../helpers/api-keys';
import { call, login } from '../helpers/session-http';
import { CREDENTIALS, MATRIX, type Credential, type Target } from './authz/matrix';

// Every cell of the authorization matrix (tests/integration/authz/matrix.ts), on each backend.
describe.each(BACKENDS)('authorization matrix on $name', (backend) => {
  const cleanup = new Cleanup();
  let server: RunningServer;
  let storage: FreshStorage;
  const tokens = new Map<Credential, string | null>();
  const fill: Record<string, string> = {};

  beforeAll(async () => {
    ({ server, storage } = await startTestServer(backend, cleanup));
    const base = server.url;
    for (const [credential, username] of [['operator', 'op1'], ['lead', 'lead1'], ['trainer', 'trainer1'], ['editor', 'editor1'], ['admin', 'admin']] as const) {
      tokens.set(credential, (await login(base, username)).accessToken);
    }
    const keys = readApiKeys(storage.dataDir);
    const unitKeyId = Object.keys(keys).find((k) => k !== 'o311_demo');
    tokens.set('unitKey', unitKeyId ? (keys[unitKeyId] ?? null) : null);
    tokens.set('open311Key', keys['o311_demo'] ?? null);
    tokens.set('none', null);
    // Authentic, of an open session, but past its time.
    const lead2 = await login(base, 'lead2');
    const signer = await tokenSignerOf(server);
    const claims = signer.verify(lead2.accessToken, 'access');
    if (!claims) throw new Error('lead2 token unreadable');
    const { iat: _i, exp: _e, ...rest } = claims;
    tokens.set('expired', signer.sign(rest, Date.now() - 60 * 60_000));
    // Authentic and unexpired, of a session that was logged out.
    const gone = await login(base, 'op2');
    expect((await call(`${base}/api/logout`, { method: 'POST', token: gone.accessToken })).status).toBe(200);
    tokens.set('revoked', gone.accessToken);
    // An account an admin just made: nothing but the password change until it is changed.
    const username = `mx${crypto.randomBytes(3).toString('hex')}`;
    await call(`${base}/api/admin/users`, { token: tokens.get('admin') ?? '', body: { username, displayName: 'Matrix', role: 'operator', team: 'team-a', password: 'temporary-1' } });
    tokens.set('mustChange', (await login(base, username, 'temporary-1')).accessToken);
    const article = await server.db.get<{ id: string }>('SELECT id FROM articles ORDER BY id LIMIT 1');
    fill['article'] = encodeURIComponent(article?.id ?? 'missing');
    fill['user'] = (await server.db.get<{ id: string }>("SELECT id FROM users WHERE username = 'op3'"))?.id ?? '';
    fill['nobody'] = crypto.randomUUID();
  }, 120_000);
  afterAll(() => cleanup.run());

  it('covers every credential in every row, and names an article and users to act on', () => {
    expect(CREDENTIALS.every((c) => tokens.has(c))).toBe(true);
    expect(tokens.get('unitKey')).toBeTruthy();
    expect(fill['article']).not.toBe('missing');
    for (const row of MATRIX) for (const c of row.allowed) expect(CREDENTIALS).toContain(c);
  });

  const cells = MATRIX.flatMap((target) => CREDENTIALS.map((credential) => [target.name, credential, target.allowed.includes(credential), target] as const));

  async function attempt(target: Target, token: string | null): Promise<{ allowed: boolean; detail: string }> {
    if (target.method === 'SOCKET') {
      const socket = io(server.url, { transports: ['websocket'], reconnection: false, auth: { token: token ?? '', clientId: crypto.randomUUID(), protocolVersion: PROTOCOL_VERSION } });
      try {
        return await new Promise((resolve) => {
          socket.once('connect', () => resolve({ allowed: true, detail: 'connected' }));
          socket.once('connect_error', (e) => resolve({ allowed: false, detail: e.message }));
        });
      } finally {
        socket.disconnect();
      }
    }
    const path = target.path.replace(/\{(\w+)\}/g, (_m, k: string) => fill[k] ?? '');
    const reply = await call(`${server.url}${path}`, { method: target.method, ...(token ? { token } : {}), ...(target.body === undefined ? {} : { body: target.body }) });
    return { allowed: reply.status !== 401 && reply.status !== 403, detail: `${reply.status} ${JSON.stringify(reply.body).slice(0, 120)}` };
  }

  it.each(cells)('%s × %s → allowed: %s', async (_name, credential, allowed, target) => {
    const result = await attempt(target, tokens.get(credential) ?? null);
    expect(result.allowed, result.detail).toBe(allowed);
  });
});
