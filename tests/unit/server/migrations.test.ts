import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/server/db/driver';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, SchemaTooNewError, migrate, type Migration } from '../../../src/server/db/migrations';
import { changesSince } from '../../../src/server/store/changes';
import { BACKENDS, type FreshStorage } from '../../helpers/backends';

/** Table names a migration creates, read from its statements. */
function tablesOf(m: Migration): string[] {
  return m.up.flatMap((sql) => /^\s*CREATE TABLE (?:IF NOT EXISTS )?(\w+)/i.exec(sql)?.[1] ?? []);
}

async function maxVersion(db: Database): Promise<number> {
  const row = await db.get<{ v: unknown }>('SELECT MAX(version) AS v FROM schema_migrations');
  return Number(row?.v ?? 0);
}

describe('server migration list', () => {
  it('numbers migrations 1, 2, 3 … and LATEST_SCHEMA_VERSION is the last', () => {
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS[MIGRATIONS.length - 1]?.version);
  });
});

describe.each(BACKENDS)('server migrations on $name', (backend) => {
  let storage: FreshStorage | undefined;
  let db: Database | undefined;

  async function open(): Promise<Database> {
    storage = await backend.fresh();
    db = storage.open();
    return db;
  }

  afterEach(async () => {
    await db?.close();
    await storage?.dispose();
    db = undefined;
    storage = undefined;
  });

  it('applies every migration on an empty database, one at a time', async () => {
    const db = await open();
    for (let i = 0; i < MIGRATIONS.length; i += 1) {
      const m = MIGRATIONS[i];
      if (!m) throw new Error('missing migration');
      await expect(migrate(db, MIGRATIONS.slice(0, i + 1))).resolves.toEqual([m.version]);
      expect(await maxVersion(db)).toBe(m.version);
      for (const table of tablesOf(m)) {
        const row = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
        expect(row, `table ${table} of migration ${m.version}`).toBeDefined();
      }
    }
    const rows = await db.all<{ version: unknown; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => ({ version: Number(r.version), name: r.name }))).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });

  it('migrates a fresh database in one call and leaves the version counter at 0', async () => {
    const db = await open();
    await expect(migrate(db)).resolves.toEqual(MIGRATIONS.map((m) => m.version));
    const counter = await db.all<{ version: unknown }>('SELECT version FROM version_counter');
    expect(counter.map((r) => Number(r.version))).toEqual([0]);
  });

  it('migrating twice is a no-op', async () => {
    const db = await open();
    await migrate(db);
    await db.run("INSERT INTO server_meta (key, value) VALUES ('probe', 'kept')");
    await expect(migrate(db)).resolves.toEqual([]);
    const count = await db.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM schema_migrations');
    expect(Number(count?.n)).toBe(MIGRATIONS.length);
    expect(await db.get('SELECT value FROM server_meta WHERE key = ?', ['probe'])).toEqual({ value: 'kept' });
    const counter = await db.all('SELECT version FROM version_counter');
    expect(counter).toHaveLength(1);
  });

  it('schema 4 marks the old tombstones, and change rows written before it still serve their own copy of a case', async () => {
    const db = await open();
    await migrate(db, MIGRATIONS.filter((m) => m.version <= 3));
    // Schema 3: the data in every change row, a tombstone is data NULL.
    await db.run('INSERT INTO changes (version, entity, entity_id, scope, data) VALUES (?, ?, ?, ?, ?)', [1, 'case', 'old', 'team:t', '{"id":"old","rev":1}']);
    await db.run('INSERT INTO changes (version, entity, entity_id, scope, data) VALUES (?, ?, ?, ?, ?)', [2, 'case', 'old', 'user:x', null]);
    await db.run('UPDATE version_counter SET version = 2');
    await expect(migrate(db, MIGRATIONS.filter((m) => m.version <= 4))).resolves.toEqual([4]);
    const rows = await db.all<{ scope: string; tombstone: unknown }>('SELECT scope, tombstone FROM changes ORDER BY version');
    expect(rows.map((r) => [r.scope, Number(r.tombstone)])).toEqual([
      ['team:t', 0],
      ['user:x', 1],
    ]);
    // Today's code reads them, on today's schema.
    await migrate(db);
    const page = await changesSince(db, { 'team:t': 0, 'user:x': 0 }, 10);
    expect(page.changes.map((c) => [c.scope, c.data])).toEqual([
      ['team:t', { id: 'old', rev: 1 }],
      ['user:x', null],
    ]);
  });

  it('refuses a database whose schema is newer than the code', async () => {
    const db = await open();
    await migrate(db);
    await db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [LATEST_SCHEMA_VERSION + 1, 'from the future', Date.now()]);
    const error = await migrate(db).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect(error).toMatchObject({ found: LATEST_SCHEMA_VERSION + 1, supported: LATEST_SCHEMA_VERSION });
    // Refused before touching anything: the newer row is still the newest.
    expect(await maxVersion(db)).toBe(LATEST_SCHEMA_VERSION + 1);
    await expect(migrate(db, [])).rejects.toBeInstanceOf(SchemaTooNewError);
  });

  it('refuses a newer schema even when only the bookkeeping table exists', async () => {
    const db = await open();
    await db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    await db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [LATEST_SCHEMA_VERSION + 5, 'future', 1]);
    await expect(migrate(db)).rejects.toBeInstanceOf(SchemaTooNewError);
    // No migration ran: the first migration's tables do not exist.
    await expect(db.get('SELECT COUNT(*) AS n FROM version_counter')).rejects.toThrow();
  });

  it('rolls a failing migration back as a whole and does not record it', async () => {
    const db = await open();
    await migrate(db);
    const broken: Migration = {
      version: LATEST_SCHEMA_VERSION + 1,
      name: 'broken',
      up: ['CREATE TABLE half_done (a INTEGER)', 'INSERT INTO no_such_table (a) VALUES (1)'],
    };
    await expect(migrate(db, [...MIGRATIONS, broken])).rejects.toThrow();
    expect(await maxVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    await expect(db.get('SELECT COUNT(*) AS n FROM half_done')).rejects.toThrow();
    // A fixed version of it applies afterwards.
    const fixed: Migration = { ...broken, up: ['CREATE TABLE half_done (a INTEGER)'] };
    await expect(migrate(db, [...MIGRATIONS, fixed])).resolves.toEqual([fixed.version]);
  });
});
