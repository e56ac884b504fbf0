import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalSchemaTooNewError, migrateLocal, openLocalDb, type LocalDb } from '../../../src/main/core/store/db';
import { LOCAL_MIGRATIONS, LOCAL_SCHEMA_VERSION, type LocalMigration } from '../../../src/main/core/store/migrations';
import { makeTempDir, removeDir } from '../../helpers/tmp';

function tablesOf(m: LocalMigration): string[] {
  return [...m.sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/gi)].map((match) => match[1] ?? '');
}

function tableNames(db: LocalDb): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
}

describe('openLocalDb', () => {
  const dirs: string[] = [];
  const dbs: LocalDb[] = [];
  const tempFile = (name = 'workstation.sqlite') => {
    const dir = makeTempDir('hotline-ws-');
    dirs.push(dir);
    return path.join(dir, name);
  };
  const open = (file: string, migrations?: readonly LocalMigration[]) => {
    const db = openLocalDb(file, migrations ? { migrations } : {});
    dbs.push(db);
    return db;
  };

  afterEach(() => {
    for (const db of dbs.splice(0)) if (db.open) db.close();
    for (const dir of dirs.splice(0)) removeDir(dir);
  });

  it('numbers migrations 1, 2, 3 … and LOCAL_SCHEMA_VERSION is the last', () => {
    expect(LOCAL_MIGRATIONS.length).toBeGreaterThan(0);
    LOCAL_MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
    expect(LOCAL_SCHEMA_VERSION).toBe(LOCAL_MIGRATIONS[LOCAL_MIGRATIONS.length - 1]?.version);
  });

  it('creates the file (and its directory) in WAL mode with synchronous FULL and foreign keys', () => {
    const file = path.join(path.dirname(tempFile()), 'nested', 'deeper', 'ws.sqlite');
    const db = open(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(LOCAL_SCHEMA_VERSION);
  });

  it('applies each migration in turn, setting user_version and creating its tables', () => {
    const file = tempFile();
    const raw = new BetterSqlite3(file);
    try {
      for (let i = 0; i < LOCAL_MIGRATIONS.length; i += 1) {
        const m = LOCAL_MIGRATIONS[i];
        if (!m) throw new Error('missing migration');
        expect(migrateLocal(raw, LOCAL_MIGRATIONS.slice(0, i + 1))).toEqual([m.version]);
        expect(raw.pragma('user_version', { simple: true })).toBe(m.version);
        for (const table of tablesOf(m)) expect(tableNames(raw), `table ${table}`).toContain(table);
      }
    } finally {
      raw.close();
    }
  });

  it('reopening applies nothing and keeps the data', () => {
    const file = tempFile();
    const first = open(file);
    first.prepare("INSERT INTO meta (key, value) VALUES ('probe', 'kept')").run();
    first.close();
    const second = open(file);
    expect(migrateLocal(second, LOCAL_MIGRATIONS)).toEqual([]);
    expect(second.prepare("SELECT value FROM meta WHERE key = 'probe'").get()).toEqual({ value: 'kept' });
  });

  it('refuses a database newer than the code and leaves it untouched', () => {
    const file = tempFile();
    const raw = new BetterSqlite3(file);
    raw.pragma(`user_version = ${LOCAL_SCHEMA_VERSION + 1}`);
    raw.close();
    let error: unknown;
    try {
      open(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LocalSchemaTooNewError);
    expect(error).toMatchObject({ found: LOCAL_SCHEMA_VERSION + 1, supported: LOCAL_SCHEMA_VERSION });
    const check = new BetterSqlite3(file, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(LOCAL_SCHEMA_VERSION + 1);
      expect(tableNames(check)).not.toContain('meta');
    } finally {
      check.close();
    }
  });

  it('rolls back a failing migration and keeps the previous version', () => {
    const file = tempFile();
    open(file).close();
    const broken: LocalMigration = {
      version: LOCAL_SCHEMA_VERSION + 1,
      name: 'broken',
      sql: 'CREATE TABLE half_done (a INTEGER); INSERT INTO no_such_table VALUES (1);',
    };
    expect(() => open(file, [...LOCAL_MIGRATIONS, broken])).toThrow();
    const db = open(file);
    expect(db.pragma('user_version', { simple: true })).toBe(LOCAL_SCHEMA_VERSION);
    expect(tableNames(db)).not.toContain('half_done');
  });

  it('applies a new migration on top of an existing store', () => {
    const file = tempFile();
    open(file).close();
    const next: LocalMigration = { version: LOCAL_SCHEMA_VERSION + 1, name: 'next', sql: 'CREATE TABLE added_later (a INTEGER);' };
    const db = open(file, [...LOCAL_MIGRATIONS, next]);
    expect(db.pragma('user_version', { simple: true })).toBe(next.version);
    expect(tableNames(db)).toContain('added_later');
  });
});
