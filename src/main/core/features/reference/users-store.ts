import { prep, type LocalDb } from '../../store/db';
import { UserInfo } from '../../../../shared/domain/user';

/** The user directory (reference data): names to show, assignees to pick. */
export function putUser(db: LocalDb, u: UserInfo): void {
  prep(db, 'INSERT OR REPLACE INTO users (id, username, display_name, role, team) VALUES (?, ?, ?, ?, ?)').run(
    u.id,
    u.username,
    u.displayName,
    u.role,
    u.team,
  );
}

export function clearUsers(db: LocalDb): void {
  prep(db, 'DELETE FROM users').run();
}

export function deleteUser(db: LocalDb, id: string): void {
  prep(db, 'DELETE FROM users WHERE id = ?').run(id);
}

export function getUser(db: LocalDb, id: string): UserInfo | undefined {
  const r = prep(db, 'SELECT * FROM users WHERE id = ?').get(id) as
    | { id: string; username: string; display_name: string; role: string; team: string }
    | undefined;
  return r ? UserInfo.parse({ id: r.id, username: r.username, displayName: r.display_name, role: r.role, team: r.team }) : undefined;
}

/** The whole directory, by display name. */
export function listUsers(db: LocalDb): UserInfo[] {
  const rows = prep(db, 'SELECT * FROM users ORDER BY display_name, id').all() as { id: string; username: string; display_name: string; role: string; team: string }[];
  return rows.map((r) => UserInfo.parse({ id: r.id, username: r.username, displayName: r.display_name, role: r.role, team: r.team }));
}
