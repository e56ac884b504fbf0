import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { RunningServer } from '../../src/server/app';
import type { TokenSigner } from '../../src/server/auth/token';
import { LoginResponse } from '../../src/shared/sync/auth';
import { StationCode } from '../../src/shared/domain/case';
import { PROTOCOL_VERSION, Poke, PullResponse, PushResponse, decodeFrame, type Mutation } from '../../src/shared/sync/protocol';
import { BACKENDS } from '../helpers/backends';
import { waitFor } from '../helpers/wait';
import { INLINE_POKE_BYTES } from '../../src/server/sync/socket';
import { Cleanup } from '../helpers/cleanup';
import { startTestServer, tokenSignerOf } from '../helpers/test-server';

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
  let server: RunningServer;
  let signer: TokenSigner;
  const sockets: Socket[] = [];
  const cleanup = new Cleanup();

  beforeAll(async () => {
    ({ server } = await startTestServer(backend, cleanup));
    signer = await tokenSignerOf(server);
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
    type PullOk = Extract<PullResponse, { ok: true }>;
    async function pull(socket: Socket, req: Record<string, unknown>): Promise<PullOk> {
      const res = PullResponse.parse(await socket.timeout(5000).emitWithAck('pull', req));
      if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
      return res;
    }
    const grantOf = (s: LoginResponse) => ['ref', 'kb', `team:${s.user.team}`, `user:${s.user.id}`];
    const caseArgs = (station: string, n: number, description = '夜间施工噪音扰民') => ({
      id: crypto.randomUUID(),
      number: `${station}-${String(n).padStart(6, '0')}`,
      createdAt: Date.now(),
      callerPhone: '13800138000',
      callerName: '',
      categoryCode: 'noise.residential',
      address: '朝阳区建国路 88 号',
      description,
    });

    it('pulls reference data, pushes a case and pokes the team, which pulls it; another team does not see it', async () => {
      const op1 = await login('op1');
      const op2 = await login('op2');
      const op3 = await login('op3');
      const c1 = crypto.randomUUID();
      const s1 = await connected({ token: op1.accessToken, clientId: c1, protocolVersion: PROTOCOL_VERSION });
      const s2 = await connected({ token: op2.accessToken, clientId: crypto.randomUUID(), protocolVersion: PROTOCOL_VERSION });
      const s3 = await connected({ token: op3.accessToken, clientId: crypto.randomUUID(), protocolVersion: PROTOCOL_VERSION });

      // A first pull holds no cursors: the server resets it to its grant and starts from 0.
      const first = await pull(s1, { cursors: {} });
      expect(first.reset).toBe(true);
      expect([...first.scopes].sort()).toEqual(grantOf(op1).sort());
      expect(first.changes.length).toBeGreaterThan(0);
      // Reference data and the published knowledge base; no case yet.
      expect(first.changes.every((c) => (c.scope === 'ref' && ['category', 'user', 'refdoc'].includes(c.entity)) || (c.scope === 'kb' && c.entity === 'article'))).toBe(true);
      expect(first.changes.some((c) => c.entity === 'article')).toBe(true);
      // The documents a workstation routes and resolves addresses with offline.
      expect(first.changes.filter((c) => c.entity === 'refdoc').map((c) => c.id).sort()).toEqual(['geography', 'routing', 'sla', 'units']);
      // The user directory is reference data: names to show, holders to pick.
      expect(first.changes.find((c) => c.entity === 'user' && c.id === op1.user.id)?.data).toEqual(op1.user);
      expect(first.changes.some((c) => c.entity === 'category' && c.id === 'noise.residential')).toBe(true);
      expect(first.lastSeq).toBe(0);
      expect(first.more).toBe(false);
      const end = first.changes[first.changes.length - 1]?.version;
      expect(first.cursors).toEqual(Object.fromEntries(grantOf(op1).map((sc) => [sc, end])));

      const paged = await pull(s1, { cursors: {}, limit: 2, withRemaining: true });
      expect(paged.changes).toHaveLength(2);
      expect(paged.more).toBe(true);
      expect(paged.remaining).toBe(first.changes.length - 2);
      expect(Object.values(paged.cursors)).toEqual(grantOf(op1).map(() => paged.changes[1]?.version));
      const rest = await pull(s1, { cursors: paged.cursors, limit: 1000 });
      expect(rest.reset).toBe(false);
      expect([...paged.changes, ...rest.changes]).toEqual(first.changes);

      const base2 = await pull(s2, { cursors: {} });
      const base3 = await pull(s3, { cursors: {} });
      const pokes1: unknown[] = [];
      const pokes2: unknown[] = [];
      const pokes3: unknown[] = [];
      s1.on('poke', (p: unknown) => pokes1.push(decodeFrame(p)));
      s2.on('poke', (p: unknown) => pokes2.push(decodeFrame(p)));
      s3.on('poke', (p: unknown) => pokes3.push(decodeFrame(p)));
      const args = caseArgs(op1.station, 1);
      const caseId = args.id;
      const mutation: Mutation = { clientId: c1, seq: 1, id: crypto.randomUUID(), name: 'createCase', at: Date.now(), args };
      const pushed = PushResponse.parse(await s1.timeout(5000).emitWithAck('push', { clientId: c1, mutations: [mutation] }));
      expect(pushed).toEqual({ ok: true, lastSeq: 1, outcomes: [{ seq: 1, id: mutation.id, status: 'applied' }] });

      // op2 is poked for the team scope only, with the change inline; op1 for the team and its own scope.
      await waitFor(() => pokes2.length > 0 && pokes1.length > 1, 5000, { message: 'pokes to op1 and op2' });
      const teamPoke = Poke.parse(pokes2[0]);
      expect(pokes2).toHaveLength(1);
      expect(teamPoke).toMatchObject({ scope: 'team:team-a', changes: [expect.objectContaining({ id: caseId, scope: 'team:team-a' })] });
      expect(teamPoke.prev).toBeLessThan(teamPoke.version);
      expect(pokes1.map((p) => Poke.parse(p).scope).sort()).toEqual(['team:team-a', `user:${op1.user.id}`]);

      const teamPull = await pull(s2, { cursors: base2.cursors });
      expect(teamPull.reset).toBe(false);
      expect(teamPull.changes.map((c) => [c.scope, c.id])).toEqual([['team:team-a', caseId]]);
      expect(teamPull.changes[0]?.data).toMatchObject({ number: `${op1.station}-000001`, team: 'team-a', createdBy: op1.user.id, assignee: op1.user.id, rev: 1 });
      expect(teamPull.changes[0]?.version).toBe(teamPoke.version);

      const ownPull = await pull(s1, { cursors: first.cursors });
      expect(ownPull.lastSeq).toBe(1);
      expect(ownPull.changes.map((c) => c.scope).sort()).toEqual(['team:team-a', `user:${op1.user.id}`]);

      const otherTeam = await pull(s3, { cursors: base3.cursors });
      expect(otherTeam.changes).toEqual([]);
      expect(pokes3).toEqual([]);
    });

    it('resets a client whose cursors name other scopes than it is granted, and only then', async () => {
      const op1 = await login('op1');
      const socket = await connected({ token: op1.accessToken, clientId: crypto.randomUUID(), protocolVersion: PROTOCOL_VERSION });
      const first = await pull(socket, { cursors: {} });
      expect(first.reset).toBe(true);
      const grant = grantOf(op1);

      // The same scopes, in any order: an ordinary catch-up.
      const reversed = Object.fromEntries(Object.entries(first.cursors).reverse());
      const again = await pull(socket, { cursors: reversed });
      expect(again).toMatchObject({ reset: false, changes: [], cursors: first.cursors });

      const ahead = Object.fromEntries(grant.map((sc) => [sc, 10_000_000]));
      for (const [label, cursors] of [
        ['another team', { ...ahead, 'team:team-a': undefined, 'team:team-b': 10_000_000 }],
        ['a scope too many', { ...ahead, 'team:team-b': 10_000_000 }],
        ['a scope too few', { ref: 10_000_000, 'team:team-a': 10_000_000 }],
      ] as const) {
        const clean = Object.fromEntries(Object.entries(cursors).filter(([, v]) => v !== undefined));
        const res = await pull(socket, { cursors: clean });
        expect(res.reset, label).toBe(true);
        // Started over from 0, whatever the client claimed, with cursors for exactly the grant.
        expect(res.changes, label).toEqual(first.changes);
        expect(Object.keys(res.cursors).sort(), label).toEqual([...grant].sort());
      }
    });

    it('resets a client whose team changed since its last pull', async () => {
      const op1 = await login('op1');
      const clientId = crypto.randomUUID();
      const before = await connected({ token: op1.accessToken, clientId, protocolVersion: PROTOCOL_VERSION });
      const teamA = await pull(before, { cursors: {} });
      before.disconnect();
      // A token for the same user, now in team-b (as after a transfer and a new login).
      const sid = signer.verify(op1.accessToken, 'access')?.sid;
      const moved = signer.sign({ sub: op1.user.id, role: 'operator', team: 'team-b', station: op1.station, sid, kind: 'access' });
      const after = await connected({ token: moved, clientId, protocolVersion: PROTOCOL_VERSION });
      const res = await pull(after, { cursors: teamA.cursors });
      expect(res.reset).toBe(true);
      expect([...res.scopes].sort()).toEqual(['kb', 'ref', 'team:team-b', `user:${op1.user.id}`]);
      expect(Object.keys(res.cursors).sort()).toEqual([...res.scopes].sort());
      expect(res.changes.every((c) => c.scope !== 'team:team-a')).toBe(true);
    });

    it('pokes carry a commit’s changes inline, in pieces of at most INLINE_POKE_BYTES chained by prev/version', async () => {
      const op2 = await login('op2');
      const c2 = crypto.randomUUID();
      const writer = await connected({ token: op2.accessToken, clientId: c2, protocolVersion: PROTOCOL_VERSION });
      const writerPokes: Poke[] = [];
      writer.on('poke', (p: unknown) => writerPokes.push(Poke.parse(decodeFrame(p))));
      const op1 = await login('op1');
      const listener = await connected({ token: op1.accessToken, clientId: crypto.randomUUID(), protocolVersion: PROTOCOL_VERSION });
      const teamHead = async () => Number((await server.db.get<{ version: number | string }>("SELECT version FROM scope_heads WHERE scope = 'team:team-a'"))?.version ?? 0);
      const head = await teamHead();
      const pokes: Poke[] = [];
      listener.on('poke', (p: unknown) => pokes.push(Poke.parse(decodeFrame(p))));
      // A hundred cases of 4,000-character descriptions (12 KB each) in one batch: more than one poke holds.
      const big = Array.from({ length: 100 }, (_, i): Mutation => ({
        clientId: c2,
        seq: i + 1,
        id: crypto.randomUUID(),
        name: 'createCase',
        at: Date.now(),
        args: caseArgs(op2.station, 100 + i, '噪'.repeat(4000)),
      }));
      const res = PushResponse.parse(await writer.timeout(5000).emitWithAck('push', { clientId: c2, mutations: big }));
      expect(res.ok && res.outcomes.every((o) => o.status === 'applied')).toBe(true);
      await waitFor(() => pokes.reduce((n, p) => n + (p.changes?.length ?? 0), 0) >= 100, 5000, { message: 'pokes of the big batch' });
      expect(pokes.length).toBeGreaterThan(1);
      // Chained: the first starts at the scope's head before the batch, each next at the one before's end.
      expect(pokes[0]?.prev).toBe(head);
      pokes.forEach((p, i) => {
        if (i > 0) expect(p.prev).toBe(pokes[i - 1]?.version);
        expect(p.version).toBe(p.changes?.[p.changes.length - 1]?.version);
        expect(Buffer.byteLength(JSON.stringify(p.changes))).toBeLessThanOrEqual(INLINE_POKE_BYTES);
      });
      expect(pokes.flatMap((p) => p.changes?.map((c) => c.id))).toEqual(big.map((m) => (m.args as { id: string }).id));
      expect(pokes[pokes.length - 1]?.version).toBe(await teamHead());
      // The writer pulls after its push anyway: it is told each scope's new head, without the changes.
      await waitFor(() => writerPokes.length >= 2, 5000, { message: 'pokes to the writer' });
      expect(writerPokes.every((p) => p.changes === undefined)).toBe(true);
      expect(writerPokes.find((p) => p.scope === 'team:team-a')?.version).toBe(pokes[pokes.length - 1]?.version);

      const small: Mutation = { clientId: c2, seq: 101, id: crypto.randomUUID(), name: 'createCase', at: Date.now(), args: caseArgs(op2.station, 300) };
      PushResponse.parse(await writer.timeout(5000).emitWithAck('push', { clientId: c2, mutations: [small] }));
      const before = pokes.length;
      await waitFor(() => pokes.length > before, 5000, { message: 'small poke' });
      expect(pokes[before]?.prev).toBe(pokes[before - 1]?.version);
      expect(pokes[before]?.changes?.map((c) => c.id)).toEqual([(small.args as { id: string }).id]);
    });

    it('refuses malformed requests and pushes for another client', async () => {
      const op1 = await login('op1');
      const socket = await connected({ token: op1.accessToken, clientId: crypto.randomUUID(), protocolVersion: PROTOCOL_VERSION });
      for (const bad of [{ cursors: { ref: -1 } }, { cursor: 0 }, { cursors: {}, limit: 0 }]) {
        const badPull = PullResponse.parse(await socket.timeout(5000).emitWithAck('pull', bad));
        expect(badPull.ok ? 'ok' : badPull.error.code, JSON.stringify(bad)).toBe('bad_request');
      }
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
