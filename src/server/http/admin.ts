import crypto from 'node:crypto';
import type http from 'node:http';
import type { Database, Queryable } from '../db/driver';
import type { Logger } from '../log';
import type { TokenSigner } from '../auth/token';
import type { AuthRuntime } from '../auth/runtime';
import type { SpaceStores } from '../spaces';
import { hashPassword } from '../auth/password';
import { decide } from '../../shared/policy/policy';
import { findUserById, findUserByUsername, mirrorUsers, type StoredUser } from '../store/users';
import { endSession, endUserSessions, findSession, listOpenSessions, type EndReason } from '../store/sessions';
import { audit, listAudit } from '../store/audit';
import { writeTx } from '../lifecycle/write';
import type { Poke } from '../../shared/sync/protocol';
import type { UserInfo } from '../../shared/domain/user';
import {
  ADMIN_PREFIX,
  ChangeRoleRequest,
  CreateUserRequest,
  ResetPasswordRequest,
  SetActiveRequest,
  type AdminChangeResponse,
  type AdminSession,
  type AdminUser,
} from '../../shared/admin/api';
import { HttpError, readJson, sendJson } from './json';
import { authenticate } from './bearer';
import { parseBody } from './session';

export interface AdminApiDeps {
  db: Database;
  spaces: SpaceStores;
  signer: TokenSigner;
  log: Logger;
  auth: AuthRuntime;
  poke: (pokes: readonly Poke[]) => void;
}

async function openCounts(q: Queryable, now: number): Promise<Map<string, number>> {
  const rows = await q.all<{ user_id: string; n: unknown }>('SELECT user_id, COUNT(*) AS n FROM sessions WHERE ended_at IS NULL AND expires_at > ? GROUP BY user_id', [now]);
  return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
}

function adminView(u: StoredUser, mustChange: unknown, open: number): AdminUser {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, team: u.team, active: u.active, mustChangePassword: Number(mustChange) === 1, openSessions: open };
}

async function viewOf(db: Database, id: string): Promise<AdminUser> {
  const u = await findUserById(db, id);
  if (!u) throw new HttpError(404, 'not_found', `no user ${id}`);
  const m = await db.get<{ m: unknown }>('SELECT must_change_password AS m FROM users WHERE id = ?', [id]);
  const open = (await openCounts(db, Date.now())).get(id) ?? 0;
  return adminView(u, m?.m, open);
}

async function listUsers(db: Database): Promise<AdminUser[]> {
  const rows = await db.all<{ id: string; m: unknown }>("SELECT id, must_change_password AS m FROM users WHERE role <> 'service' ORDER BY username");
  const counts = await openCounts(db, Date.now());
  const out: AdminUser[] = [];
  for (const r of rows) {
    const u = await findUserById(db, r.id);
    if (u) out.push(adminView(u, r.m, counts.get(u.id) ?? 0));
  }
  return out;
}

/** A human account an admin may change (not a service account, which no one administers over HTTP). */
async function target(db: Database, id: string): Promise<StoredUser> {
  const u = await findUserById(db, id);
  if (!u || u.role === 'service') throw new HttpError(404, 'not_found', `no user ${id}`);
  return u;
}

const info = (u: Pick<StoredUser, 'id' | 'username' | 'displayName' | 'role' | 'team'>): UserInfo => ({ id: u.id, username: u.username, displayName: u.displayName, role: u.role, team: u.team });

/**
 * `/api/admin/…`: user administration for the admin role (decided by the shared policy's
 * `user.admin`), every change audited with who, what, whom and when. Ending a user's sessions
 * closes their sockets on every node at once.
 */
export async function handleAdminApi(deps: AdminApiDeps, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
  if (url.pathname !== ADMIN_PREFIX && !url.pathname.startsWith(`${ADMIN_PREFIX}/`)) return false;
  const { claims } = await authenticate(deps, req);
  const decision = decide({ id: claims.sub, role: claims.role, team: claims.team, space: claims.space }, 'user.admin');
  if (!decision.ok) throw new HttpError(403, 'forbidden', decision.reason);
  const actor = claims.sub;
  const parts = url.pathname.slice(ADMIN_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  const route = `${method} ${parts.map((p, i) => (i === 1 ? ':id' : p)).join('/')}`;
  const id = parts[1] ?? '';

  /** Ends the user's sessions (all, or one) and closes their sockets; returns how many ended. */
  const endFor = async (q: Queryable, userId: string, reason: EndReason, now: number) => endUserSessions(q, userId, reason, now);
  const kickAll = (ids: readonly string[], userId: string, reason: EndReason) => {
    if (ids.length > 0 || reason === 'deactivated' || reason === 'role_changed') deps.auth.kick({ userId }, reason);
  };
  const mirror = async (userId: string) => {
    for (const [space, store] of deps.spaces.opened()) if (space !== 'live') await store.tx((q) => mirrorUsers(deps.db, q, [userId]));
  };
  const changed = async (userId: string, ended: number): Promise<AdminChangeResponse> => ({ user: await viewOf(deps.db, userId), endedSessions: ended });

  switch (route) {
    case 'GET users': {
      sendJson(res, 200, { users: await listUsers(deps.db) });
      return true;
    }
    case 'POST users': {
      const input = parseBody(CreateUserRequest, await readJson(req));
      if (await findUserByUsername(deps.db, input.username)) throw new HttpError(409, 'conflict', `username ${input.username} is taken`);
      const hash = await hashPassword(input.password);
      const newId = crypto.randomUUID();
      const now = Date.now();
      const { pokes } = await writeTx(deps.db, async (q, rec) => {
        await q.run(
          `INSERT INTO users (id, username, display_name, role, team, password_hash, active, created_at, must_change_password) VALUES (?, ?, ?, ?, ?, ?, 1, ?, 1)`,
          [newId, input.username, input.displayName, input.role, input.team, hash, now],
        );
        await rec.put('user', newId, info({ id: newId, ...input }));
        await audit(q, { actor, action: 'user.create', target: newId, detail: { username: input.username, role: input.role, team: input.team }, at: now });
      });
      deps.poke(pokes);
      await mirror(newId);
      deps.log.info('admin: user created', { actor, userId: newId, role: input.role, team: input.team });
      sendJson(res, 201, await changed(newId, 0));
      return true;
    }
    case 'POST users/:id/active': {
      const input = parseBody(SetActiveRequest, await readJson(req));
      const user = await target(deps.db, id);
      if (user.id === actor && !input.active) throw new HttpError(400, 'invalid_input', 'an admin cannot deactivate their own account');
      const now = Date.now();
      const ended = await deps.db.tx(async (q) => {
        await q.run('UPDATE users SET active = ? WHERE id = ?', [input.active ? 1 : 0, user.id]);
        const ids = input.active ? [] : await endFor(q, user.id, 'deactivated', now);
        await audit(q, { actor, action: input.active ? 'user.activate' : 'user.deactivate', target: user.id, detail: { endedSessions: ids.length }, at: now });
        return ids;
      });
      if (!input.active) kickAll(ended, user.id, 'deactivated');
      await mirror(user.id);
      deps.log.info(`admin: user ${input.active ? 'activated' : 'deactivated'}`, { actor, userId: user.id, endedSessions: ended.length });
      sendJson(res, 200, await changed(user.id, ended.length));
      return true;
    }
    case 'POST users/:id/password': {
      const input = parseBody(ResetPasswordRequest, await readJson(req));
      const user = await target(deps.db, id);
      const hash = await hashPassword(input.password);
      const now = Date.now();
      const ended = await deps.db.tx(async (q) => {
        await q.run('UPDATE users SET password_hash = ?, must_change_password = 1 WHERE id = ?', [hash, user.id]);
        const ids = await endFor(q, user.id, 'password_reset', now);
        await audit(q, { actor, action: 'user.password_reset', target: user.id, detail: { endedSessions: ids.length }, at: now });
        return ids;
      });
      kickAll(ended, user.id, 'password_reset');
      deps.log.info('admin: password reset', { actor, userId: user.id, endedSessions: ended.length });
      sendJson(res, 200, await changed(user.id, ended.length));
      return true;
    }
    case 'POST users/:id/role': {
      const input = parseBody(ChangeRoleRequest, await readJson(req));
      const user = await target(deps.db, id);
      if (user.id === actor && input.role !== 'admin') throw new HttpError(400, 'invalid_input', 'an admin cannot take the admin role from their own account');
      const now = Date.now();
      const { value: ended, pokes } = await writeTx(deps.db, async (q, rec) => {
        await q.run('UPDATE users SET role = ?, team = ? WHERE id = ?', [input.role, input.team, user.id]);
        await rec.put('user', user.id, info({ ...user, role: input.role, team: input.team }));
        // The grant (scopes, rooms, policy) came from the old role and team: a fresh login takes the new ones.
        const ids = await endFor(q, user.id, 'role_changed', now);
        await audit(q, { actor, action: 'user.role', target: user.id, detail: { from: { role: user.role, team: user.team }, to: input, endedSessions: ids.length }, at: now });
        return ids;
      });
      deps.poke(pokes);
      kickAll(ended, user.id, 'role_changed');
      await mirror(user.id);
      deps.log.info('admin: role changed', { actor, userId: user.id, role: input.role, team: input.team, endedSessions: ended.length });
      sendJson(res, 200, await changed(user.id, ended.length));
      return true;
    }
    case 'POST users/:id/sessions/end': {
      const user = await target(deps.db, id);
      const now = Date.now();
      const ended = await deps.db.tx(async (q) => {
        const ids = await endFor(q, user.id, 'ended_by_admin', now);
        await audit(q, { actor, action: 'session.end_all', target: user.id, detail: { endedSessions: ids.length }, at: now });
        return ids;
      });
      deps.auth.kick({ userId: user.id }, 'ended_by_admin');
      deps.log.info('admin: sessions ended', { actor, userId: user.id, endedSessions: ended.length });
      sendJson(res, 200, await changed(user.id, ended.length));
      return true;
    }
    case 'GET sessions': {
      const userId = url.searchParams.get('userId') ?? undefined;
      const sessions = await listOpenSessions(deps.db, Date.now(), userId);
      const names = new Map<string, string>();
      const out: AdminSession[] = [];
      for (const s of sessions) {
        if (!names.has(s.userId)) names.set(s.userId, (await findUserById(deps.db, s.userId))?.username ?? '?');
        out.push({ id: s.id, userId: s.userId, username: names.get(s.userId) ?? '?', station: s.station, space: s.space, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt });
      }
      sendJson(res, 200, { sessions: out });
      return true;
    }
    case 'POST sessions/:id/end': {
      const session = await findSession(deps.db, id);
      if (!session) throw new HttpError(404, 'not_found', `no session ${id}`);
      const now = Date.now();
      const done = await deps.db.tx(async (q) => {
        const ok = await endSession(q, session.id, 'ended_by_admin', now);
        if (ok) await audit(q, { actor, action: 'session.end', target: session.userId, detail: { sessionId: session.id }, at: now });
        return ok;
      });
      deps.auth.kick({ sessionId: session.id }, 'ended_by_admin');
      deps.log.info('admin: session ended', { actor, userId: session.userId, sessionId: session.id });
      sendJson(res, 200, await changed(session.userId, done ? 1 : 0));
      return true;
    }
    case 'GET audit': {
      const limit = Math.min(500, Math.max(1, Number(url.searchParams.get('limit') ?? 100) || 100));
      const action = url.searchParams.get('action') ?? undefined;
      sendJson(res, 200, { entries: await listAudit(deps.db, { limit, action: action?.slice(0, 40) }) });
      return true;
    }
    default:
      throw new HttpError(404, 'not_found', 'no such endpoint');
  }
}
