import crypto from 'node:crypto';
import { z } from 'zod';
import type { Queryable } from '../db/driver';
import { Role, Username, type UserInfo } from '../../shared/domain/user';
import { hashPassword } from '../auth/password';
import { recordChange } from './changes';
import { REFERENCE_SCOPE } from './categories';

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
    await recordChange(q, { entity: 'user', id, scope: REFERENCE_SCOPE, data: info });
    added += 1;
  }
  return added;
}
