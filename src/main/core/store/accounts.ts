import crypto from 'node:crypto';
import { prep, type LocalDb } from './db';
import { UserInfo } from '../../../shared/domain/user';
import { getMeta, setMeta } from './meta';
import { clearSynced } from './confirmed';

export interface Account extends UserInfo {
  clientId: string;
}

/** Records the user and returns their sync client id (made once per user per workstation). */
export function upsertAccount(db: LocalDb, user: UserInfo): Account {
  prep(db, 
    `INSERT INTO accounts (user_id, username, display_name, role, team, client_id, next_seq) VALUES (?, ?, ?, ?, ?, ?, 1)
     ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, display_name = excluded.display_name,
       role = excluded.role, team = excluded.team`,
  ).run(user.id, user.username, user.displayName, user.role, user.team, crypto.randomUUID());
  const row = prep(db, 'SELECT client_id FROM accounts WHERE user_id = ?').get(user.id) as { client_id: string };
  return { ...user, clientId: row.client_id };
}

export interface OfflineAccount {
  user: UserInfo;
  station: string;
  verifier: string;
}

export function rememberForOffline(db: LocalDb, userId: string, station: string, verifier: string): void {
  prep(db, 'UPDATE accounts SET offline_verifier = ?, station = ? WHERE user_id = ?').run(verifier, station, userId);
}

export function findOfflineAccount(db: LocalDb, username: string): OfflineAccount | undefined {
  const row = prep(db, 'SELECT user_id, username, display_name, role, team, offline_verifier, station FROM accounts WHERE username = ? AND offline_verifier IS NOT NULL')
    .get(username) as
    | { user_id: string; username: string; display_name: string; role: string; team: string; offline_verifier: string; station: string }
    | undefined;
  if (!row) return undefined;
  const user = UserInfo.safeParse({ id: row.user_id, username: row.username, displayName: row.display_name, role: row.role, team: row.team });
  return user.success ? { user: user.data, station: row.station, verifier: row.offline_verifier } : undefined;
}

export function nextMutationSeq(db: LocalDb, clientId: string): number {
  const row = prep(db, 'UPDATE accounts SET next_seq = next_seq + 1 WHERE client_id = ? RETURNING next_seq - 1 AS seq').get(clientId) as
    | { seq: number }
    | undefined;
  if (!row) throw new Error(`unknown client ${clientId}`);
  return row.seq;
}

/**
 * The synced cache belongs to one user (their scopes); a different user starts from an empty
 * cache. Outbox rows of every user are kept: each is pushed when its user is back online.
 */
export function claimCacheFor(db: LocalDb, userId: string, views: Parameters<typeof clearSynced>[1]): boolean {
  if (getMeta(db, 'cache_user') === userId) return false;
  db.transaction(() => {
    clearSynced(db, views);
    setMeta(db, 'cache_user', userId);
  })();
  return true;
}

/**
 * At logout (when the workstation is set to, see `purgeAtLogoutFromEnv`): the synced cache —
 * every cached case, the cursors — leaves the disk, so the next person at this PC finds none of
 * it; the outbox (mutations not yet confirmed, of any user) stays and is pushed at their next
 * login, which pulls the cache again. Returns whether there was a cache to drop.
 */
export function purgeCachedCases(db: LocalDb, views: Parameters<typeof clearSynced>[1]): boolean {
  const owner = getMeta(db, 'cache_user');
  db.transaction(() => {
    clearSynced(db, views);
    prep(db, "DELETE FROM meta WHERE key = 'cache_user'").run();
  })();
  return owner !== undefined;
}

/** HOTLINE_PURGE_CACHE_AT_LOGOUT: `0` keeps the cache at logout (one operator per PC); purged otherwise. */
export function purgeAtLogoutFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.HOTLINE_PURGE_CACHE_AT_LOGOUT !== '0';
}
