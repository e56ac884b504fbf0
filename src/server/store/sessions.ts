import crypto from 'node:crypto';
import type { Queryable } from '../db/driver';
import type { Space } from '../../shared/domain/space';
import { Space as SpaceSchema } from '../../shared/domain/space';

/** Why a session ended before its shift did (kept on the row, shown to admins, sent to the workstation). */
export type EndReason = 'logout' | 'refresh_reuse' | 'password_changed' | 'password_reset' | 'deactivated' | 'role_changed' | 'ended_by_admin';

export interface SessionRow {
  id: string;
  userId: string;
  station: string;
  space: Space;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  endedAt: number | null;
  endReason: string | null;
}

interface Row extends Record<string, unknown> {
  id: string;
  user_id: string;
  station: string;
  space: string;
  created_at: unknown;
  last_seen_at: unknown;
  expires_at: unknown;
  refresh_id: string;
  ended_at: unknown;
  end_reason: string | null;
}

function toSession(r: Row): SessionRow {
  return {
    id: r.id,
    userId: r.user_id,
    station: r.station,
    space: SpaceSchema.parse(r.space),
    createdAt: Number(r.created_at),
    lastSeenAt: Number(r.last_seen_at),
    expiresAt: Number(r.expires_at),
    endedAt: r.ended_at === null || r.ended_at === undefined ? null : Number(r.ended_at),
    endReason: r.end_reason,
  };
}

const newId = () => crypto.randomBytes(18).toString('base64url');

/** A new session of one shift; its first refresh id. */
export async function createSession(
  q: Queryable,
  s: { userId: string; station: string; space: Space; now: number; maxMs: number },
): Promise<{ id: string; refreshId: string; expiresAt: number }> {
  const id = crypto.randomUUID();
  const refreshId = newId();
  const expiresAt = s.now + s.maxMs;
  await q.run(
    `INSERT INTO sessions (id, user_id, station, space, created_at, last_seen_at, expires_at, refresh_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [id, s.userId, s.station, s.space, s.now, s.now, expiresAt, refreshId],
  );
  return { id, refreshId, expiresAt };
}

export type RotateResult =
  | { kind: 'rotated'; session: SessionRow; refreshId: string }
  /** Unknown, ended or past its shift. */
  | { kind: 'ended'; reason: string }
  /** The refresh id was used before: the token was replayed; the session is ended now. */
  | { kind: 'reused'; session: SessionRow };

/**
 * Spends a refresh id: the session must be open and expect exactly this id (compare-and-set, so
 * two uses of one token at once cannot both win). A spent id presented again ends the session:
 * either the workstation or a thief holds a copy, and the server cannot tell which.
 */
export async function rotateRefresh(q: Queryable, sessionId: string, refreshId: string, now: number): Promise<RotateResult> {
  const next = newId();
  const done = await q.run(
    'UPDATE sessions SET refresh_id = ?, last_seen_at = ? WHERE id = ? AND refresh_id = ? AND ended_at IS NULL AND expires_at > ?',
    [next, now, sessionId, refreshId, now],
  );
  const row = await q.get<Row>('SELECT * FROM sessions WHERE id = ?', [sessionId]);
  if (!row) return { kind: 'ended', reason: 'unknown' };
  const session = toSession(row);
  if (done.changes === 1) return { kind: 'rotated', session, refreshId: next };
  if (session.endedAt !== null) return { kind: 'ended', reason: session.endReason ?? 'ended' };
  if (session.expiresAt <= now) return { kind: 'ended', reason: 'expired' };
  await endSession(q, sessionId, 'refresh_reuse', now);
  return { kind: 'reused', session: { ...session, endedAt: now, endReason: 'refresh_reuse' } };
}

/** A new refresh id for a session (the password changed): the refresh token held so far is spent. */
export async function renewRefreshId(q: Queryable, sessionId: string): Promise<string> {
  const next = newId();
  await q.run('UPDATE sessions SET refresh_id = ? WHERE id = ?', [next, sessionId]);
  return next;
}

/** Ends one session; false when it had ended already. */
export async function endSession(q: Queryable, sessionId: string, reason: EndReason, now: number): Promise<boolean> {
  const res = await q.run('UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL', [now, reason, sessionId]);
  return res.changes > 0;
}

/** Ends every open session of a user (but `except`); returns the ids ended. */
export async function endUserSessions(q: Queryable, userId: string, reason: EndReason, now: number, except?: string): Promise<string[]> {
  const open = await q.all<{ id: string }>('SELECT id FROM sessions WHERE user_id = ? AND ended_at IS NULL AND expires_at > ?', [userId, now]);
  const ids = open.map((r) => r.id).filter((id) => id !== except);
  for (const id of ids) await endSession(q, id, reason, now);
  return ids;
}

/** The session when it is open now; undefined when unknown, ended or past its shift. */
export async function openSession(q: Queryable, sessionId: string, now: number): Promise<SessionRow | undefined> {
  const row = await q.get<Row>('SELECT * FROM sessions WHERE id = ? AND ended_at IS NULL AND expires_at > ?', [sessionId, now]);
  return row ? toSession(row) : undefined;
}

export async function findSession(q: Queryable, sessionId: string): Promise<SessionRow | undefined> {
  const row = await q.get<Row>('SELECT * FROM sessions WHERE id = ?', [sessionId]);
  return row ? toSession(row) : undefined;
}

/** Open sessions, newest first (of one user, or all). */
export async function listOpenSessions(q: Queryable, now: number, userId?: string): Promise<SessionRow[]> {
  const rows = userId
    ? await q.all<Row>('SELECT * FROM sessions WHERE user_id = ? AND ended_at IS NULL AND expires_at > ? ORDER BY created_at DESC', [userId, now])
    : await q.all<Row>('SELECT * FROM sessions WHERE ended_at IS NULL AND expires_at > ? ORDER BY created_at DESC', [now]);
  return rows.map(toSession);
}

export async function touchSession(q: Queryable, sessionId: string, now: number): Promise<void> {
  await q.run('UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?', [now, sessionId, now]);
}
