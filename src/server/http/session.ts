import type http from 'node:http';
import { z } from 'zod';
import type { Database } from '../db/driver';
import type { Logger } from '../log';
import type { TokenSigner } from '../auth/token';
import type { AuthRuntime } from '../auth/runtime';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../auth/password';
import { SemaphoreFull } from '../auth/semaphore';
import { accountKey, usernameHash, type AttemptTicket } from '../auth/throttle';
import { findUserById, findUserByUsername, mirrorUsers, type StoredUser } from '../store/users';
import { StationLimitError, stationCodeFor } from '../store/stations';
import { createSession, endSession, endUserSessions, renewRefreshId, rotateRefresh, type SessionRow } from '../store/sessions';
import { audit } from '../store/audit';
import { can, decide } from '../../shared/policy/policy';
import { SPACES } from '../../shared/domain/space';
import type { SpaceStores } from '../spaces';
import { LoginRequest, PasswordChangeRequest, RefreshRequest, SESSION_ENDED, type LoginResponse } from '../../shared/sync/auth';
import { HttpError } from './json';
import { authenticate, bearerOf } from './bearer';

export interface SessionApiDeps {
  db: Database;
  spaces: SpaceStores;
  signer: TokenSigner;
  log: Logger;
  auth: AuthRuntime;
}

/** Whether the account may log in at all (in some space); service accounts act only inside the server. */
export function mayLogIn(user: StoredUser): boolean {
  return user.active && SPACES.some((space) => can(user, 'space.enter', { space }));
}

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new HttpError(400, 'invalid_input', z.prettifyError(result.error));
  return result.data;
}

function issue(deps: SessionApiDeps, user: StoredUser & { mustChangePassword: boolean }, session: Pick<SessionRow, 'id' | 'station' | 'space' | 'expiresAt'>, refreshId: string): LoginResponse {
  const now = Date.now();
  const base = { sub: user.id, role: user.role, team: user.team, station: session.station, space: session.space, sid: session.id, ...(user.mustChangePassword ? { mcp: true } : {}) };
  return {
    accessToken: deps.signer.sign({ ...base, kind: 'access' }, now, { notAfter: session.expiresAt }),
    refreshToken: deps.signer.sign({ ...base, kind: 'refresh', rid: refreshId }, now, { notAfter: session.expiresAt }),
    user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, team: user.team },
    station: session.station,
    space: session.space,
    serverTime: now,
    mustChangePassword: user.mustChangePassword,
    sessionExpiresAt: session.expiresAt,
  };
}

async function mustChange(db: Database, userId: string): Promise<boolean> {
  const row = await db.get<{ m: unknown }>('SELECT must_change_password AS m FROM users WHERE id = ?', [userId]);
  return Number(row?.m ?? 0) === 1;
}

const sourceOf = (req: http.IncomingMessage) => `s:${req.socket.remoteAddress ?? 'unknown'}`;

/** A password check under the throttle: 429 before any scrypt while locked; 503 when the scrypt gate is full. */
async function throttledCheck<T>(deps: SessionApiDeps, req: http.IncomingMessage, username: string, check: (ticket: AttemptTicket) => Promise<T>): Promise<T> {
  const { throttle } = deps.auth;
  const account = accountKey(username);
  const source = sourceOf(req);
  const verdict = throttle.check(account, source);
  if (!verdict.ok) {
    const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    deps.log.warn('login throttled', { usernameHash: usernameHash(username), source: source.slice(2), by: verdict.by, retryAfterS: seconds });
    throw new HttpError(429, 'too_many_attempts', `too many failed logins; try again in ${seconds} s`, { 'retry-after': String(seconds) });
  }
  const ticket = throttle.begin(account, source);
  try {
    return await check(ticket);
  } catch (error) {
    if (error instanceof SemaphoreFull) {
      // Not the user's fault: the attempt does not count against them.
      throttle.succeed(ticket);
      throw new HttpError(503, 'busy', 'the server is checking many passwords; try again', { 'retry-after': '1' });
    }
    throw error;
  }
}

/** A lockout just began: the admins are told through the audit trail (and the log). */
async function reportLockout(deps: SessionApiDeps, ticket: AttemptTicket, username: string, user: StoredUser | undefined, source: string): Promise<void> {
  if (!ticket.lockedAccount && !ticket.lockedSource) return;
  const detail = { usernameHash: usernameHash(username), source: source.slice(2), by: ticket.lockedAccount ? 'account' : 'source' };
  deps.log.warn('login locked', { ...detail, ...(user ? { userId: user.id } : {}) });
  await audit(deps.db, { actor: 'system', action: 'login.locked', target: user?.id ?? null, detail });
}

export async function login(deps: SessionApiDeps, req: http.IncomingMessage, body: unknown): Promise<LoginResponse> {
  const input = parseBody(LoginRequest, body);
  const source = sourceOf(req);
  const user = await throttledCheck(deps, req, input.username, async (ticket) => {
    const found = await findUserByUsername(deps.db, input.username);
    await reportLockout(deps, ticket, input.username, found, source);
    // Service accounts (Open311) act only inside the server: they never get tokens.
    if (!found || !mayLogIn(found)) {
      await burnPasswordCheck(input.password);
      // The typed name is often a mistyped password: never logged, only a hash of it.
      deps.log.warn('login failed', { usernameHash: usernameHash(input.username), source: source.slice(2), reason: found ? 'inactive' : 'unknown' });
      throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
    }
    if (!(await verifyPassword(input.password, found.passwordHash))) {
      deps.log.warn('login failed', { userId: found.id, source: source.slice(2), reason: 'password' });
      throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
    }
    deps.auth.throttle.succeed(ticket);
    return found;
  });
  // The password was right: now the policy may say why this space is closed to this role.
  const entry = decide({ ...user, space: input.space }, 'space.enter', { space: input.space });
  if (!entry.ok) throw new HttpError(403, 'forbidden', entry.reason);
  if (input.space !== 'live') {
    // Practice has its own store, with the directory mirrored from the live one.
    const store = await deps.spaces.get(input.space);
    await store.tx((q) => mirrorUsers(deps.db, q, [user.id]));
  }
  const now = Date.now();
  const { station, session } = await deps.db
    .tx(async (q) => {
      const code = await stationCodeFor(q, input.stationKey, { userId: user.id, perDay: deps.auth.config.stationsPerDay, now });
      const created = await createSession(q, { userId: user.id, station: code, space: input.space, now, maxMs: deps.auth.config.sessionMaxMs });
      return { station: code, session: created };
    })
    .catch((error: unknown) => {
      if (error instanceof StationLimitError) {
        deps.log.warn('station code refused', { userId: user.id, code: error.code });
        throw new HttpError(error.code === 'station_limit' ? 429 : 503, error.code, error.message);
      }
      throw error;
    });
  deps.log.info('login', { userId: user.id, station, space: input.space, sessionId: session.id });
  return issue(deps, { ...user, mustChangePassword: await mustChange(deps.db, user.id) }, { id: session.id, station, space: input.space, expiresAt: session.expiresAt }, session.refreshId);
}

const ended = (why: string) => new HttpError(401, SESSION_ENDED, `the session has ended (${why}); log in again`);

export async function refresh(deps: SessionApiDeps, body: unknown): Promise<LoginResponse> {
  const input = parseBody(RefreshRequest, body);
  const now = Date.now();
  const claims = deps.signer.verify(input.refreshToken, 'refresh', now);
  if (!claims) {
    // Authentic but past its time: the session's shift is over.
    const old = deps.signer.verify(input.refreshToken, 'refresh', 0);
    if (old?.sid) throw ended('expired');
    throw new HttpError(401, 'unauthenticated', 'refresh token invalid or expired');
  }
  if (!claims.sid || !claims.rid) throw new HttpError(401, 'unauthenticated', 'token without a session; log in again');
  const { sid, rid } = claims;
  const result = await deps.db.tx((q) => rotateRefresh(q, sid, rid, now));
  if (result.kind === 'ended') throw ended(result.reason);
  if (result.kind === 'reused') {
    // A spent refresh token came back: a copy exists somewhere. End the session everywhere.
    deps.log.warn('refresh token replayed: session ended', { sessionId: sid, userId: claims.sub });
    await audit(deps.db, { actor: 'system', action: 'session.refresh_reuse', target: claims.sub, detail: { sessionId: sid } });
    deps.auth.kick({ sessionId: sid }, 'refresh_reuse');
    throw ended('refresh_reuse');
  }
  const user = await findUserById(deps.db, claims.sub);
  if (!user || result.session.userId !== user.id || !mayLogIn(user) || !can({ ...user, space: claims.space }, 'space.enter', { space: claims.space })) {
    await deps.db.tx((q) => endSession(q, sid, 'deactivated', now));
    throw ended('deactivated');
  }
  return issue(deps, { ...user, mustChangePassword: await mustChange(deps.db, user.id) }, result.session, result.refreshId);
}

/** Ends the session of the presented token (an expired access token still logs out). Idempotent. */
export async function logout(deps: SessionApiDeps, req: http.IncomingMessage): Promise<{ ok: true }> {
  const token = bearerOf(req);
  const claims = token ? deps.signer.verify(token, 'access', 0) : null;
  if (!claims?.sid) throw new HttpError(401, 'unauthenticated', 'a session access token is required (Authorization: Bearer <token>)');
  const { sid } = claims;
  const now = Date.now();
  const didEnd = await deps.db.tx(async (q) => {
    const done = await endSession(q, sid, 'logout', now);
    if (done) await audit(q, { actor: claims.sub, action: 'session.logout', target: claims.sub, detail: { sessionId: sid }, at: now });
    return done;
  });
  if (didEnd) deps.log.info('logout', { userId: claims.sub, sessionId: sid });
  deps.auth.kick({ sessionId: sid }, 'logout');
  return { ok: true };
}

/** Changes the caller's password (current one required); the user's other sessions end; this one gets new tokens. */
export async function changePassword(deps: SessionApiDeps, req: http.IncomingMessage, body: unknown): Promise<LoginResponse> {
  const { claims, session } = await authenticate(deps, req, { allowMustChange: true });
  const input = parseBody(PasswordChangeRequest, body);
  const user = await findUserById(deps.db, claims.sub);
  if (!user || !mayLogIn(user)) throw ended('deactivated');
  await throttledCheck(deps, req, user.username, async (ticket) => {
    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
      deps.log.warn('password change: wrong current password', { userId: user.id });
      throw new HttpError(403, 'invalid_credentials', 'the current password is wrong');
    }
    deps.auth.throttle.succeed(ticket);
  });
  if (input.newPassword === input.currentPassword) throw new HttpError(400, 'invalid_input', 'newPassword: same_as_current');
  if (input.newPassword.toLowerCase() === user.username.toLowerCase()) throw new HttpError(400, 'invalid_input', 'newPassword: same_as_username');
  const hash = await hashPassword(input.newPassword);
  const now = Date.now();
  const { others, refreshId } = await deps.db.tx(async (q) => {
    await q.run('UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?', [hash, user.id]);
    const endedIds = await endUserSessions(q, user.id, 'password_changed', now, session.id);
    const rotated = await renewRefreshId(q, session.id);
    await audit(q, { actor: user.id, action: 'user.password_changed', target: user.id, detail: { endedSessions: endedIds.length }, at: now });
    return { others: endedIds, refreshId: rotated };
  });
  for (const sid of others) deps.auth.kick({ sessionId: sid }, 'password_changed');
  deps.log.info('password changed', { userId: user.id, endedSessions: others.length });
  return issue(deps, { ...user, mustChangePassword: false }, session, refreshId);
}
