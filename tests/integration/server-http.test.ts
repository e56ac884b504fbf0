import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { startServer, type RunningServer } from '../../src/server/app';
import { createLogger } from '../../src/server/log';
import { TokenSigner } from '../../src/server/auth/token';
import { LoginResponse } from '../../src/shared/sync/auth';
import { StationCode } from '../../src/shared/domain/case';
import { PROTOCOL_VERSION, PullResponse, PushResponse, type Mutation } from '../../src/shared/sync/protocol';
import { BACKENDS, type FreshStorage } from '../helpers/backends';
import { waitFor } from '../helpers/wait';
import { Cleanup } from '../helpers/cleanup';

interface HttpReply {
  status: number;
  body: unknown;
}

async function post(url: string, body: unknown, contentType = 'application/json'): Promise<HttpReply> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: await res.json().catch(() => null) };
}

function errorCode(reply: HttpReply): string | undefined {
  return (reply.body as { error?: { code?: string } } | null)?.error?.code;
}

describe.each(BACKENDS)('central server over HTTP and socket.io on $name', (backend) => {
  let storage: FreshStorage;
  let server: RunningServer;
  let signer: TokenSigner;
  const sockets: Socket[] = [];
  const cleanup = new Cleanup();

  beforeAll(async () => {
    storage = await backend.fresh();
    cleanup.add(() => storage.dispose());
    server = await startServer({ port: 0, dataDir: storage.dataDir, databaseUrl: storage.databaseUrl, logger: createLogger({}, 'error') });
    cleanup.add(() => server.close());
    const secret = await server.db.get<{ value: string }>('SELECT value FROM server_meta WHERE key = ?', ['token_secret']);
    signer = new TokenSigner(Buffer.from(secret?.value ?? '', 'base64'));
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => cleanup.run());

  async function login(username: string, stationKey: string = crypto.randomUUID()): Promise<LoginResponse> {
    const reply = await post(`${server.url}/api/login`, { username, password: 'hotline123', stationKey });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return LoginResponse.parse(reply.body);
  }

  function connect(auth: Record<string, unknown>): Socket {
    const socket = io(server.url, { transports: ['websocket'], auth, reconnection: false, forceNew: true });
    sockets.push(socket);
    return socket;
  }

  /** Resolves with the connect_error message; fails if the handshake is accepted. */
  function handshakeError(auth: Record<string, unknown>): Promise<string> {
    const socket = connect(auth);
    return new Promise((resolve, reject) => {
      socket.once('connect_error', (err) => resolve(err.message));
      socket.once('connect', () => reject(new Error('handshake was accepted')));
    });
  }

  function connected(auth: Record<string, unknown>): Promise<Socket> {
    const socket = connect(auth);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (err) => reject(err));
    });
  }

  it('reports health with the storage in use', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; storage: string; version: number };
    expect(body).toMatchObject({ ok: true, storage: backend.name });
    // The seeded categories are in the change log.
    expect(body.version).toBeGreaterThan(0);
  });

  it('answers 404 for unknown paths', async () => {
    const res = await fetch(`${server.url}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('logs a seeded user in with signed tokens and a station code', async () => {
    const stationKey = crypto.randomUUID();
    const res = await login('op1', stationKey);
    expect(res.user).toMatchObject({ username: 'op1', role: 'operator', team: 'team-a', displayName: '王芳' });
    expect(StationCode.safeParse(res.station).success).toBe(true);
    expect(Math.abs(res.serverTime - Date.now())).toBeLessThan(60_000);
    expect(signer.verify(res.accessToken, 'access')).toMatchObject({ sub: res.user.id, team: 'team-a', station: res.station, kind: 'access' });
    expect(signer.verify(res.refreshToken, 'refresh')).toMatchObject({ sub: res.user.id, kind: 'refresh' });
    // The same install keeps its station code; another install gets another one.
    expect((await login('op2', stationKey)).station).toBe(res.station);
    expect((await login('op1')).station).not.toBe(res.station);
  });

  it('refuses a wrong password with 401 invalid_credentials', async () => {
    const reply = await post(`${server.url}/api/login`, { username: 'op1', password: 'hotline124', stationKey: crypto.randomUUID() });
    expect(reply.status).toBe(401);
    expect(errorCode(reply)).toBe('invalid_credentials');
    expect(JSON.stringify(reply.body)).not.toContain('Token');
  });

  it('refuses an unknown user exactly like a wrong password', async () => {
    const unknown = await post(`${server.url}/api/login`, { username: 'nobody', password: 'hotline123', stationKey: crypto.randomUUID() });
    const wrong = await post(`${server.url}/api/login`, { username: 'op1', password: 'nope', stationKey: crypto.randomUUID() });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it.each([
    ['a missing station key', { username: 'op1', password: 'hotline123' }],
    ['a station key that is not a uuid', { username: 'op1', password: 'hotline123', stationKey: 'desk-7' }],
    ['an empty password', { username: 'op1', password: '', stationKey: '7d444840-9dc0-11d1-b245-5ffdce74fad2' }],
    ['an array', ['op1', 'hotline123']],
  ])('answers 400 invalid_input to %s', async (_label, body) => {
    const reply = await post(`${server.url}/api/login`, body);
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('invalid_input');
  });

  it('answers 400 invalid_json to a body that is not JSON', async () => {
    const reply = await post(`${server.url}/api/login`, '{"username": ');
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('invalid_json');
  });

  it('answers 415 to a non-JSON content type', async () => {
    const reply = await post(`${server.url}/api/login`, 'username=op1&password=hotline123', 'application/x-www-form-urlencoded');
    expect(reply.status).toBe(415);
    expect(errorCode(reply)).toBe('unsupported_media_type');
  });

  it('answers 405 to GET on the login endpoint', async () => {
    const res = await fetch(`${server.url}/api/login`);
    expect(res.status).toBe(405);
  });

  it('refreshes with a refresh token but not with an access token', async () => {
    const session = await login('op1');
    const ok = await post(`${server.url}/api/refresh`, { refreshToken: session.refreshToken });
    expect(ok.status).toBe(200);
    const refreshed = LoginResponse.parse(ok.body);
    expect(refreshed.user.id).toBe(session.user.id);
    expect(refreshed.station).toBe(session.station);
    expect(signer.verify(refreshed.accessToken, 'access')).toMatchObject({ sub: session.user.id });

    const withAccess = await post(`${server.url}/api/refresh`, { refreshToken: session.accessToken });
    expect(withAccess.status).toBe(401);
    expect(errorCode(withAccess)).toBe('unauthenticated');
    const garbage = await post(`${server.url}/api/refresh`, { refreshToken: 'x.y' });
    expect(garbage.status).toBe(401);
    expect((await post(`${server.url}/api/refresh`, {})).status).toBe(400);
  });

  describe('socket.io handshake', () => {
    it('refuses a connection without a token', async () => {
      expect(await handshakeError({ clientId: crypto.randomUUID(), protocolVersion: PROTOCOL_VERSION })).toMatch(/^unauthenticated/);
      expect(await handshakeError({})).toMatch(/^unauthenticated/);
    });

    it('refuses a bad or wrong-kind token', async () => {
      const session = await login('op1');
      const base = { clientId: crypto.randomUUID(), protocolVersion: PROTOCOL_VERSION };
      expect(await handshakeError({ ...base, token: 'not-a-token' })).toMatch(/^unauthenticated/);
      expect(await handshakeError({ ...base, token: session.refreshToken })).toMatch(/^unauthenticated/);
      const forged = `${session.accessToken.split('.')[0] ?? ''}.${Buffer.from('forged').toString('base64url')}`;
      expect(await handshakeError({ ...base, token: forged })).toMatch(/^unauthenticated/);
    });

    it('refuses an outdated or future protocol version', async () => {
      const session = await login('op1');
      const base = { token: session.accessToken, clientId: crypto.randomUUID() };
      expect(await handshakeError({ ...base, protocolVersion: 0 })).toMatch(/^outdated_client/);
      expect(await handshakeError({ ...base, protocolVersion: PROTOCOL_VERSION + 1 })).toMatch(/^outdated_client/);
    });

    it('refuses a client id that belongs to another user', async () => {
      const op1 = await login('op1');
      const op2 = await login('op2');
      const clientId = crypto.randomUUID();
      const first = await connected({ token: op1.accessToken, clientId, protocolVersion: PROTOCOL_VERSION });
      first.disconnect();
      expect(await handshakeError({ token: op2.accessToken, clientId, protocolVersion: PROTOCOL_VERSION })).toMatch(/^forbidden/);
    });
  });

  describe('sync over the socket', () => {
    it('pulls reference data, pushes a case and pokes the team, which pulls it; another team does not see it', async () => {
      const op1 = await login('op1');
      const op2 = await login('op2');
      const op3 = await login('op3');
      const c1 = crypto.randomUUID();
      const s1 = await connected({ token: op1.accessToken, clientId: c1, protocolVersion: PROTOCOL_VERSION });
      const s2 = await connected({ token: op2.accessToken, clientId: crypto.randomUUID(), protocolVersion: PROTOCOL_VERSION });
      const s3 = await connected({ token: op3.accessToken, clientId: crypto.randomUUID(), protocolVersion: PROTOCOL_VERSION });

      const first = PullResponse.parse(await s1.timeout(5000).emitWithAck('pull', { cursor: 0 }));
      if (!first.ok) throw new Error(first.error.message);
      expect(first.changes.length).toBeGreaterThan(0);
      expect(first.changes.every((c) => c.entity === 'category')).toBe(true);
      expect(first.lastSeq).toBe(0);
      expect(first.more).toBe(false);
      expect(first.cursor).toBe(first.changes[first.changes.length - 1]?.version);

      const paged = PullResponse.parse(await s1.timeout(5000).emitWithAck('pull', { cursor: 0, limit: 2 }));
      if (!paged.ok) throw new Error(paged.error.message);
      expect(paged.changes).toHaveLength(2);
      expect(paged.more).toBe(true);

      const pokes: unknown[] = [];
      s2.on('poke', (p: unknown) => pokes.push(p));
      const caseId = crypto.randomUUID();
      const mutation: Mutation = {
        clientId: c1,
        seq: 1,
        id: crypto.randomUUID(),
        name: 'createCase',
        at: Date.now(),
        args: {
          id: caseId,
          number: `${op1.station}-000001`,
          createdAt: Date.now(),
          callerPhone: '13800138000',
          callerName: '',
          categoryCode: 'urban.noise',
          address: '朝阳区建国路 88 号',
          description: '夜间施工噪音扰民',
        },
      };
      const pushed = PushResponse.parse(await s1.timeout(5000).emitWithAck('push', { clientId: c1, mutations: [mutation] }));
      expect(pushed).toEqual({ ok: true, lastSeq: 1, outcomes: [{ seq: 1, id: mutation.id, status: 'applied' }] });

      await waitFor(() => pokes.length > 0, 5000, { message: 'poke to op2' });
      const teamPull = PullResponse.parse(await s2.timeout(5000).emitWithAck('pull', { cursor: first.cursor }));
      if (!teamPull.ok) throw new Error(teamPull.error.message);
      expect(teamPull.changes.map((c) => c.id)).toEqual([caseId]);
      expect(teamPull.changes[0]?.data).toMatchObject({ number: `${op1.station}-000001`, team: 'team-a', createdBy: op1.user.id });

      const ownPull = PullResponse.parse(await s1.timeout(5000).emitWithAck('pull', { cursor: first.cursor }));
      expect(ownPull.ok && ownPull.lastSeq).toBe(1);

      const otherTeam = PullResponse.parse(await s3.timeout(5000).emitWithAck('pull', { cursor: first.cursor }));
      if (!otherTeam.ok) throw new Error(otherTeam.error.message);
      expect(otherTeam.changes).toEqual([]);
    });

    it('refuses malformed requests and pushes for another client', async () => {
      const op1 = await login('op1');
      const socket = await connected({ token: op1.accessToken, clientId: crypto.randomUUID(), protocolVersion: PROTOCOL_VERSION });
      const badPull = PullResponse.parse(await socket.timeout(5000).emitWithAck('pull', { cursor: -1 }));
      expect(badPull.ok ? 'ok' : badPull.error.code).toBe('bad_request');
      const badPush = PushResponse.parse(await socket.timeout(5000).emitWithAck('push', { clientId: 'x', mutations: [] }));
      expect(badPush.ok ? 'ok' : badPush.error.code).toBe('bad_request');
      const other = crypto.randomUUID();
      const foreign = PushResponse.parse(
        await socket.timeout(5000).emitWithAck('push', {
          clientId: other,
          mutations: [{ clientId: other, seq: 1, id: crypto.randomUUID(), name: 'createCase', args: {}, at: Date.now() }],
        }),
      );
      expect(foreign.ok ? 'ok' : foreign.error.code).toBe('forbidden');
    });
  });
});
