import crypto from 'node:crypto';
import { createSession } from '../../src/server/store/sessions';
import type { Database } from '../../src/server/db/driver';
import { migrate } from '../../src/server/db/migrations';
import { seedReference } from '../../src/server/seed';
import { shippedReferenceSet } from '../../src/server/reference/reference-set';
import type { TokenClaims } from '../../src/server/auth/token';
import type { Role } from '../../src/shared/domain/user';
import type { FreshStorage, StorageBackend } from './backends';

export interface MigratedDb {
  db: Database;
  storage: FreshStorage;
  close(): Promise<void>;
}

/** A fresh, migrated server database on the given backend. */
export async function migratedDb(backend: StorageBackend): Promise<MigratedDb> {
  const storage = await backend.fresh();
  const db = storage.open();
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    await storage.dispose();
    throw error;
  }
  return {
    db,
    storage,
    async close() {
      await db.close();
      await storage.dispose();
    },
  };
}

/** Loads the shipped reference set (categories, units, reference documents, API keys); returns the new key secrets. */
export async function seedCategories(db: Database): Promise<Record<string, string>> {
  return (await seedReference(db, shippedReferenceSet())).newKeys;
}

/** Inserts a user row directly (no scrypt: these tests never log in) and returns access claims for it. */
export async function insertUser(db: Database, opts: { role?: Role; team?: string; station?: string } = {}): Promise<TokenClaims> {
  const id = crypto.randomUUID();
  const team = opts.team ?? 'team-a';
  const role = opts.role ?? 'operator';
  await db.run(
    'INSERT INTO users (id, username, display_name, role, team, password_hash, active, created_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)',
    [id, `u${id.slice(0, 8)}`, 'Test User', role, team, 'scrypt$unused', Date.now()],
  );
  const now = Date.now();
  const station = opts.station ?? 'S0001';
  // A session of one shift, as a login makes: tokens signed with these claims pass the session check.
  const session = await createSession(db, { userId: id, station, space: 'live', now, maxMs: 12 * 3_600_000 });
  return { sub: id, role, team, station, space: 'live', kind: 'access', sid: session.id, iat: now, exp: now + 15 * 60_000 };
}
