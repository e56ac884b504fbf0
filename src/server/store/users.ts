import crypto from 'node:crypto';
import { z } from 'zod';
import type { Queryable } from '../db/driver';
import { Role, Username, type UserInfo } from '../../shared/domain/user';
import { hashPassword } from '../auth/password';
import { recordChange } from './changes';

export const UserSeed = z.object({
  username: Username,
  password: z.string().min(8),
  displayName: z.string().min(1),
  role: Role,
  team: z.string().min(1),
});
export const UsersFile = z.object({ users: z.array(UserSeed) });

interface UserRow extends Record<string, unknown> {
  id: string;
  username: string;
  display_name: string;
  role: string;
  team: string;
  password_hash: string;
  active: number;
}

export interface StoredUser extends UserInfo {
  passwordHash: string;
  active: boolean;
}

function toUser(row: UserRow): StoredUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: Role.parse(row.role),
    team: row.team,
    passwordHash: row.password_hash,
    active: row.active === 1,
  };
}

export async function findUserByUsername(q: Queryable, username: string): Promise<StoredUser | undefined> {
  const row = await q.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
  return row ? toUser(row) : undefined;
}

export async function findUserById(q: Queryable, id: string): Promise<StoredUser | undefined> {
  const row = await q.get<UserRow>('SELECT * FROM users WHERE id = ?', [id]);
  return row ? toUser(row) : undefined;
}

/** Adds the seed users that do not exist yet; existing accounts (and changed passwords) are kept. */
export async function seedUsers(q: Queryable, seeds: readonly z.infer<typeof UserSeed>[]): Promise<number> {
  let added = 0;
  for (const seed of seeds) {
    if (await findUserByUsername(q, seed.username)) continue;
    const id = crypto.randomUUID();
    const inserted = await q.run(
      `INSERT INTO users (id, username, display_name, role, team, password_hash, active, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (username) DO NOTHING`,
      [id, seed.username, seed.displayName, seed.role, seed.team, await hashPassword(seed.password), Date.now()],
    );
    if (inserted.changes === 0) continue;
    // The user directory is reference data: workstations show names and leads pick assignees.
    const info: UserInfo = { id, username: seed.username, displayName: seed.displayName, role: seed.role, team: seed.team };
    await recordChange(q, { entity: 'user', id, state: info });
    added += 1;
  }
  return added;
}

/** Stored instead of a password hash for service accounts: no password ever verifies against it. */
export const NO_PASSWORD = '!service-account';

/**
 * Makes (or keeps) a service account that cases created by the server itself (Open311) name as
 * their creator; follows the configured team. Refuses a human account of the same username.
 */
export async function ensureServiceAccount(q: Queryable, account: { username: string; displayName: string; team: string }): Promise<string> {
  const existing = await findUserByUsername(q, account.username);
  if (existing) {
    if (existing.role !== 'service') throw new Error(`user ${account.username} exists and is not a service account (role ${existing.role})`);
    if (existing.team === account.team && existing.displayName === account.displayName) return existing.id;
    await q.run('UPDATE users SET team = ?, display_name = ? WHERE id = ?', [account.team, account.displayName, existing.id]);
    const info: UserInfo = { id: existing.id, username: existing.username, displayName: account.displayName, role: 'service', team: account.team };
    await recordChange(q, { entity: 'user', id: existing.id, state: info });
    return existing.id;
  }
  const id = crypto.randomUUID();
  await q.run(
    `INSERT INTO users (id, username, display_name, role, team, password_hash, active, created_at)
     VALUES (?, ?, ?, 'service', ?, ?, 1, ?) ON CONFLICT (username) DO NOTHING`,
    [id, account.username, account.displayName, account.team, NO_PASSWORD, Date.now()],
  );
  const row = await findUserByUsername(q, account.username);
  if (!row) throw new Error(`service account ${account.username} missing after insert`);
  // Another node may have inserted it first; only the inserting transaction records the change.
  if (row.id === id) {
    const info: UserInfo = { id, username: account.username, displayName: account.displayName, role: 'service', team: account.team };
    await recordChange(q, { entity: 'user', id, state: info });
  }
  return row.id;
}

/** Stored instead of a password hash in another space's copy of the directory: logins are checked in the live store only. */
export const MIRRORED = '!mirrored';

/**
 * Copies the user directory (all users, or the given ones) from the live store into another
 * space's store: the same ids (cases name their creator and holder), no password hashes. A user
 * whose entry changed is recorded for that space's reference scope.
 */
export async function mirrorUsers(from: Queryable, to: Queryable, ids?: readonly string[]): Promise<number> {
  const rows = ids
    ? (await Promise.all(ids.map((id) => from.get<UserRow>('SELECT * FROM users WHERE id = ?', [id])))).filter((r): r is UserRow => r !== undefined)
    : await from.all<UserRow>('SELECT * FROM users ORDER BY id');
  let changed = 0;
  for (const row of rows) {
    const user = toUser(row);
    const mirror = await findUserById(to, user.id);
    if (mirror && mirror.username === user.username && mirror.displayName === user.displayName && mirror.role === user.role && mirror.team === user.team && mirror.active === user.active) continue;
    await to.run(
      `INSERT INTO users (id, username, display_name, role, team, password_hash, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET username = excluded.username, display_name = excluded.display_name, role = excluded.role,
         team = excluded.team, active = excluded.active`,
      [user.id, user.username, user.displayName, user.role, user.team, MIRRORED, user.active ? 1 : 0, Date.now()],
    );
    const info: UserInfo = { id: user.id, username: user.username, displayName: user.displayName, role: user.role, team: user.team };
    await recordChange(to, { entity: 'user', id: user.id, state: info });
    changed += 1;
  }
  return changed;
}
