import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/app';
import type { Logger } from '../../src/server/log';
import { LoginResponse } from '../../src/shared/sync/auth';
import { AdminChangeResponse, AuditResponse, SessionsResponse, UsersResponse } from '../../src/shared/admin/api';
import { BACKENDS } from '../helpers/backends';
import { Cleanup } from '../helpers/cleanup';
import { startTestServer } from '../helpers/test-server';
import { waitFor } from '../helpers/wait';
import { call, codeOf, createCase, emit, login, openSocket, refresh, refusedSocket, type TestSocket } from '../helpers/session-http';

/** A logger that keeps every line (the server's log is checked for what it must not say). */
function capturingLogger(lines: string[]): Logger {
  const make = (fields: Record<string, unknown>): Logger => {
    const put = (level: string) => (msg: string, f?: Record<string, unknown>) => {
      lines.push(JSON.stringify({ level, msg, ...fields, ...f }));
    };
    return { debug: put('debug'), info: put('info'), warn: put('warn'), error: put('error'), child: (f) => make({ ...fields, ...f }) };
  };
  return make({});
}

const ACCESS_TTL_MS = 1500;

describe.each(BACKENDS)('sessions and login on $name', (backend) => {
  let server: RunningServer;
  let base: string;
  const logLines: string[] = [];
  const sockets: TestSocket[] = [];
  const cleanup = new Cleanup();

  beforeAll(async () => {
    ({ server } = await startTestServer(backend, cleanup, {
      logger: capturingLogger(logLines),
      auth: { accessTtlMs: ACCESS_TTL_MS, freeFailures: 3, lockBaseMs: 1000, lockMaxMs: 4000, stationsPerDay: 2 },
    }));
    base = server.url;
  });
  afterAll(async () => {
    for (const t of sockets) t.socket.disconnect();
    await cleanup.run();
  });

  const socketOf = async (token: string, clientId?: string) => {
    const t = await openSocket(base, token, clientId);
    sockets.push(t);
    return t;
  };

  const admin = async () => (await login(base, 'admin')).accessToken;

  /** A fresh account made by the admin, its first password already changed to `password`. */
  async function freshUser(role: 'operator' | 'lead' = 'operator', password = 'a-good-password'): Promise<{ id: string; username: string; password: string }> {
    const username = `u${crypto.randomBytes(4).toString('hex')}`;
    const made = await call(`${base}/api/admin/users`, { token: await admin(), body: { username, displayName: 'Test', role, team: 'team-a', password: 'temporary-pass' } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const first = await login(base, username, 'temporary-pass');
    expect(first.mustChangePassword).toBe(true);
    const changed = await call(`${base}/api/password`, { token: first.accessToken, body: { currentPassword: 'temporary-pass', newPassword: password } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    return { id: AdminChangeResponse.parse(made.body).user.id, username, password };
  }

  it('a replayed refresh token ends the whole session: its refresh, its bearer and its socket', async () => {
    const first = await login(base, 'op1');
    const live = await socketOf(first.accessToken);
    const second = await refresh(base, first.refreshToken);
    expect(second.status).toBe(200);
    const rotated = LoginResponse.parse(second.body);
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    // The spent token comes back (a thief's copy, or the workstation's): the session ends.
    const replay = await refresh(base, first.refreshToken);
    expect([replay.status, codeOf(replay)]).toEqual([401, 'session_ended']);
    const next = await refresh(base, rotated.refreshToken);
    expect([next.status, codeOf(next)]).toEqual([401, 'session_ended']);
    const search = await call(`${base}/api/cases/search?q=water`, { token: rotated.accessToken });
    expect([search.status, codeOf(search)]).toEqual([401, 'session_ended']);
    await waitFor(() => live.closedAt !== null, 2000);
    expect(live.ended).toEqual([{ code: 'session_ended', reason: 'refresh_reuse' }]);
    expect(await refusedSocket(base, rotated.accessToken)).toMatch(/^session_ended/);
    // The admins can see it happened.
    const audit = AuditResponse.parse((await call(`${base}/api/admin/audit?action=session.refresh_reuse`, { token: await admin() })).body);
    expect(audit.entries.some((e) => e.target === first.user.id)).toBe(true);
  });

  it('two refreshes with one token at once: exactly one gets new tokens, and the session ends', async () => {
    const first = await login(base, 'op2');
    const replies = await Promise.all([refresh(base, first.refreshToken), refresh(base, first.refreshToken)]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 401]);
    const won = LoginResponse.parse(replies.find((r) => r.status === 200)?.body);
    expect((await refresh(base, won.refreshToken)).status).toBe(401);
  });

  it('refresh never reaches past the session’s shift', async () => {
    const first = await login(base, 'op2');
    const expiresAt = first.sessionExpiresAt ?? 0;
    expect(expiresAt - first.serverTime).toBeGreaterThan(12 * 3_600_000 - 5000);
    expect(expiresAt - first.serverTime).toBeLessThanOrEqual(12 * 3_600_000);
    const later = LoginResponse.parse((await refresh(base, first.refreshToken)).body);
    expect(later.sessionExpiresAt).toBe(expiresAt);
    const exp = (t: string) => (JSON.parse(Buffer.from(t.split('.')[0] ?? '', 'base64url').toString('utf8')) as { exp: number }).exp;
    expect(exp(later.refreshToken)).toBe(expiresAt);
    expect(exp(later.accessToken)).toBeLessThanOrEqual(expiresAt);
  });

  it('an expired access token cannot push or pull; a reauth over the same socket goes on; without one the socket closes', async () => {
    const me = await login(base, 'op1');
    const t = await socketOf(me.accessToken);
    expect((await emit(t, 'pull', { cursors: {} })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, ACCESS_TTL_MS + 150));
    const pushed = await emit(t, 'push', { clientId: t.clientId, mutations: [createCase(t.clientId, me.station, 1)] });
    expect(pushed).toMatchObject({ ok: false, error: { code: 'token_expired' } });
    expect((await emit(t, 'pull', { cursors: {} })).error?.code).toBe('token_expired');
    // The workstation refreshes over HTTP and hands the new token to the open socket.
    const fresh = LoginResponse.parse((await refresh(base, me.refreshToken)).body);
    expect(await emit(t, 'reauth', { token: fresh.accessToken })).toMatchObject({ ok: true });
    const again = await emit(t, 'push', { clientId: t.clientId, mutations: [createCase(t.clientId, me.station, 1)] });
    expect(again.ok).toBe(true);
    expect(t.closedAt).toBeNull();
    // Another user's token is no reauth for this socket.
    const other = await login(base, 'op2');
    expect((await emit(t, 'reauth', { token: other.accessToken })).error?.code).toBe('forbidden');
    // No reauth this time: closed shortly after the token runs out, told why.
    await waitFor(() => t.closedAt !== null, ACCESS_TTL_MS * 3);
    expect(t.ended).toEqual([{ code: 'token_expired', reason: expect.any(String) as string }]);
  });

  it('logout ends the session: refresh, bearer and socket refused, the socket closed at once', async () => {
    const me = await login(base, 'lead1');
    const t = await socketOf(me.accessToken);
    const out = await call(`${base}/api/logout`, { method: 'POST', token: me.accessToken });
    expect(out.status).toBe(200);
    await waitFor(() => t.closedAt !== null, 2000);
    expect(t.ended[0]?.code).toBe('session_ended');
    expect(codeOf(await refresh(base, me.refreshToken))).toBe('session_ended');
    expect(codeOf(await call(`${base}/api/rates?from=1&to=2`, { token: me.accessToken }))).toBe('session_ended');
    // Logging out twice is fine; without a token it is not.
    expect((await call(`${base}/api/logout`, { method: 'POST', token: me.accessToken })).status).toBe(200);
    expect((await call(`${base}/api/logout`, { method: 'POST' })).status).toBe(401);
    // Another session of the same user is untouched.
    const other = await login(base, 'lead1');
    expect((await refresh(base, other.refreshToken)).status).toBe(200);
  });

  it('a password change ends the user’s other sessions (sockets closed) and keeps this one', async () => {
    const u = await freshUser();
    const here = await login(base, u.username, u.password);
    const there = await login(base, u.username, u.password);
    const t = await socketOf(there.accessToken);
    const wrong = await call(`${base}/api/password`, { token: here.accessToken, body: { currentPassword: 'not-it-at-all', newPassword: 'another-password' } });
    expect([wrong.status, codeOf(wrong)]).toEqual([403, 'invalid_credentials']);
    const short = await call(`${base}/api/password`, { token: here.accessToken, body: { currentPassword: u.password, newPassword: 'short' } });
    expect(short.status).toBe(400);
    const changed = await call(`${base}/api/password`, { token: here.accessToken, body: { currentPassword: u.password, newPassword: 'another-password' } });
    expect(changed.status).toBe(200);
    const renewed = LoginResponse.parse(changed.body);
    await waitFor(() => t.closedAt !== null, 2000);
    expect(t.ended).toEqual([{ code: 'session_ended', reason: 'password_changed' }]);
    expect(codeOf(await refresh(base, there.refreshToken))).toBe('session_ended');
    // This session goes on with the tokens of the answer; the refresh token it held before is spent.
    expect((await refresh(base, renewed.refreshToken)).status).toBe(200);
    expect((await call(`${base}/api/login`, { body: { username: u.username, password: u.password, stationKey: crypto.randomUUID() } })).status).toBe(401);
    await expect(login(base, u.username, 'another-password')).resolves.toMatchObject({ mustChangePassword: false });
  });

  it('a reset password must be changed first: the session may do nothing else', async () => {
    const u = await freshUser();
    const reset = await call(`${base}/api/admin/users/${u.id}/password`, { token: await admin(), body: { password: 'reset-by-admin' } });
    expect(reset.status).toBe(200);
    const me = await login(base, u.username, 'reset-by-admin');
    expect(me.mustChangePassword).toBe(true);
    expect(await refusedSocket(base, me.accessToken)).toMatch(/^password_change_required/);
    expect(codeOf(await call(`${base}/api/cases/search?q=x`, { token: me.accessToken }))).toBe('password_change_required');
    const changed = LoginResponse.parse((await call(`${base}/api/password`, { token: me.accessToken, body: { currentPassword: 'reset-by-admin', newPassword: 'mine-again-now' } })).body);
    expect(changed.mustChangePassword).toBe(false);
    const t = await socketOf(changed.accessToken);
    expect((await emit(t, 'pull', { cursors: {} })).ok).toBe(true);
  });

  it('throttles wrong passwords: 429 with Retry-After before any password work, and the right password works once the lockout ends', async () => {
    const u = await freshUser();
    const attempt = (password: string) => call(`${base}/api/login`, { body: { username: u.username, password, stationKey: crypto.randomUUID() } });
    for (let i = 0; i < 3; i += 1) expect((await attempt('wrong-password')).status).toBe(401);
    const locked = await attempt(u.password);
    expect([locked.status, codeOf(locked)]).toEqual([429, 'too_many_attempts']);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100));
    expect((await attempt(u.password)).status).toBe(200);
    // The admins were told, by the account, without the typed name.
    const audit = AuditResponse.parse((await call(`${base}/api/admin/audit?action=login.locked`, { token: await admin() })).body);
    expect(audit.entries.some((e) => e.target === u.id && e.actor === 'system')).toBe(true);
  });

  it('sixty wrong passwords at once: a handful are checked, the rest answered 429 at once; an unknown name never reaches the log', async () => {
    const typed = `nobody-${crypto.randomBytes(3).toString('hex')}`;
    const started = Date.now();
    const replies = await Promise.all(
      Array.from({ length: 60 }, () => call(`${base}/api/login`, { body: { username: typed, password: 'guess-guess', stationKey: crypto.randomUUID() } })),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBe(3);
    expect(statuses.filter((s) => s === 429).length).toBe(57);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(logLines.some((l) => l.includes(typed))).toBe(false);
    expect(logLines.some((l) => l.includes('"msg":"login failed"') && l.includes('usernameHash'))).toBe(true);
  });

  it('station codes: a known station keeps its code; new ones are limited per account and day', async () => {
    const u = await freshUser();
    const keys = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const codes = [(await login(base, u.username, u.password, keys[0])).station, (await login(base, u.username, u.password, keys[1])).station];
    expect(new Set(codes).size).toBe(2);
    // The allowance (2 a day here) is spent: a third new station is refused, known ones are not.
    const third = await call(`${base}/api/login`, { body: { username: u.username, password: u.password, stationKey: keys[2] } });
    expect([third.status, codeOf(third)]).toEqual([429, 'station_limit']);
    await expect(login(base, u.username, u.password, keys[0])).resolves.toMatchObject({ station: codes[0] });
    // Another account may make that station's code, and then this one may log in there too.
    const lead = await login(base, 'lead2', 'hotline123', keys[2]);
    await expect(login(base, u.username, u.password, keys[2])).resolves.toMatchObject({ station: lead.station });
  });

  it('past S9999 a new station is refused cleanly and known stations go on', async () => {
    const known = crypto.randomUUID();
    const before = await login(base, 'op3', 'hotline123', known);
    const counter = await server.db.get<{ value: unknown }>("SELECT value FROM counters WHERE name = 'station'");
    await server.db.run("UPDATE counters SET value = 9999 WHERE name = 'station'");
    try {
      const refused = await call(`${base}/api/login`, { body: { username: 'op3', password: 'hotline123', stationKey: crypto.randomUUID() } });
      expect([refused.status, codeOf(refused)]).toEqual([503, 'stations_exhausted']);
      expect(Number((await server.db.get<{ value: unknown }>("SELECT value FROM counters WHERE name = 'station'"))?.value)).toBe(9999);
      await expect(login(base, 'op3', 'hotline123', known)).resolves.toMatchObject({ station: before.station });
    } finally {
      await server.db.run("UPDATE counters SET value = ? WHERE name = 'station'", [Number(counter?.value)]);
    }
  });

  it('the admin API: only admins; create, role change (sessions end, sockets close), sessions listed and ended, all audited', async () => {
    const lead = await login(base, 'lead2');
    expect(codeOf(await call(`${base}/api/admin/users`, { token: lead.accessToken }))).toBe('forbidden');
    expect((await call(`${base}/api/admin/users`)).status).toBe(401);
    const users = UsersResponse.parse((await call(`${base}/api/admin/users`, { token: await admin() })).body).users;
    expect(users.map((u) => u.username)).toEqual(expect.arrayContaining(['op1', 'lead1', 'admin']));
    expect(users.some((u) => u.role === 'service')).toBe(false);

    const u = await freshUser();
    const a = await login(base, u.username, u.password);
    const b = await login(base, u.username, u.password);
    const ta = await socketOf(a.accessToken);
    const listed = SessionsResponse.parse((await call(`${base}/api/admin/sessions?userId=${u.id}`, { token: await admin() })).body).sessions;
    expect(listed.length).toBeGreaterThanOrEqual(2);
    const bSession = listed.find((s) => s.createdAt <= b.serverTime && s.station === b.station);
    expect(bSession).toBeDefined();

    // End one session: the others go on.
    const sid = (JSON.parse(Buffer.from(b.refreshToken.split('.')[0] ?? '', 'base64url').toString('utf8')) as { sid: string }).sid;
    expect((await call(`${base}/api/admin/sessions/${sid}/end`, { token: await admin(), method: 'POST' })).status).toBe(200);
    expect(codeOf(await refresh(base, b.refreshToken))).toBe('session_ended');
    expect(ta.closedAt).toBeNull();

    // A new role and team end every session and close the sockets at once.
    const moved = await call(`${base}/api/admin/users/${u.id}/role`, { token: await admin(), body: { role: 'lead', team: 'team-b' } });
    expect(moved.status).toBe(200);
    expect(AdminChangeResponse.parse(moved.body)).toMatchObject({ user: { role: 'lead', team: 'team-b', openSessions: 0 } });
    await waitFor(() => ta.closedAt !== null, 2000);
    expect(ta.ended[0]).toEqual({ code: 'session_ended', reason: 'role_changed' });
    // A fresh login has the new grant.
    await expect(login(base, u.username, u.password)).resolves.toMatchObject({ user: { role: 'lead', team: 'team-b' } });

    // Deactivated: sessions end, login refused like a wrong password.
    const c = await login(base, u.username, u.password);
    const tc = await socketOf(c.accessToken);
    expect((await call(`${base}/api/admin/users/${u.id}/active`, { token: await admin(), body: { active: false } })).status).toBe(200);
    await waitFor(() => tc.closedAt !== null, 2000);
    expect(codeOf(await call(`${base}/api/login`, { body: { username: u.username, password: u.password, stationKey: crypto.randomUUID() } }))).toBe('invalid_credentials');
    // An admin cannot lock themselves out.
    const self = (await call(`${base}/api/admin/users`, { token: await admin() })).body as { users: { id: string; username: string }[] };
    const adminId = self.users.find((x) => x.username === 'admin')?.id ?? '';
    expect((await call(`${base}/api/admin/users/${adminId}/active`, { token: await admin(), body: { active: false } })).status).toBe(400);

    const audit = AuditResponse.parse((await call(`${base}/api/admin/audit?action=user.`, { token: await admin() })).body).entries;
    const mine = audit.filter((e) => e.target === u.id).map((e) => e.action);
    expect(mine).toEqual(expect.arrayContaining(['user.create', 'user.password_changed', 'user.role', 'user.deactivate']));
    expect(audit.filter((e) => e.target === u.id && e.action !== 'user.password_changed').every((e) => e.actor === adminId)).toBe(true);
  });
});
