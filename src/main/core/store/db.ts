import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import Cipherable from 'better-sqlite3-multiple-ciphers';
import { CacheLockedError, encryptPlainStore, isPlainSqliteFile, keyStore, restrictStoreFiles } from './cipher';
import { LOCAL_MIGRATIONS, type LocalMigration } from './migrations';

export type LocalDb = BetterSqlite3.Database;

/** better-sqlite3-multiple-ciphers: better-sqlite3's API exactly, with SQLCipher; typed as better-sqlite3. */
const openConnection = (file: string, native: { nativeBinding?: string }): LocalDb => new Cipherable(file, native);

const statements = new WeakMap<LocalDb, Map<string, BetterSqlite3.Statement>>();

/** A prepared statement, compiled once per database: compiling costs more than running. */
export function prep(db: LocalDb, sql: string): BetterSqlite3.Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

export class LocalSchemaTooNewError extends Error {
  constructor(readonly found: number, readonly supported: number) {
    super(`local database schema ${found} is newer than this workstation supports (${supported}); install the newer workstation version`);
    this.name = 'LocalSchemaTooNewError';
  }
}

export interface OpenLocalOptions {
  /** Path of a better_sqlite3.node built for the current runtime (Electron's ABI in the desktop app). */
  nativeBinding?: string | undefined;
  migrations?: readonly LocalMigration[];
  /**
   * The store's 32-byte key (SQLCipher, see cipher.ts). Without it the file is plain SQLite (tests,
   * benchmarks that compare). With it, a plain file left by an older version is encrypted in place.
   */
  key?: Buffer | undefined;
}

/**
 * Opens the workstation store: WAL for concurrent reads, synchronous=FULL so a case the
 * operator saved survives a power cut (writes the server can give again relax that, see
 * `serverCopyWrite`), migrations via PRAGMA user_version (forward only).
 */
export function openLocalDb(file: string, opts: OpenLocalOptions = {}): LocalDb {
  const native = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};
  if (file !== ':memory:') {
    // The cache holds citizens' data: its dir 0700, its files 0600 (-wal and -shm take the file's mode).
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.chmodSync(path.dirname(file), 0o700);
    if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', 0o600));
    restrictStoreFiles(file);
    if (opts.key && isPlainSqliteFile(file)) encryptPlainStore(file, opts.key, () => openConnection(file, native));
  }
  const db = openConnection(file, native);
  try {
    if (opts.key) keyStore(db, opts.key);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (error) {
      if (error instanceof Cipherable.SqliteError && error.code === 'SQLITE_NOTADB') throw new CacheLockedError(file);
      throw error;
    }
    const migrations = opts.migrations ?? LOCAL_MIGRATIONS;
    // Refuse a newer database before changing anything about the file.
    const supported = migrations[migrations.length - 1]?.version ?? 0;
    const current = Number(db.pragma('user_version', { simple: true }));
    if (current > supported) throw new LocalSchemaTooNewError(current, supported);
    // 16 KiB pages for a new store (an existing one keeps its size): a case and its view row are
    // a few KiB, and a pulled page writes a quarter as many WAL frames. Before WAL mode is set.
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrateLocal(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Runs `write` (a transaction) with synchronous=NORMAL: its commit is not fsynced. Only for what
 * the server holds and gives again (pulled pages, pokes, with the cursors they move): WAL keeps
 * every commit atomic, so a power cut can lose only the last such commits, whole, cursors
 * included, and they are pulled again. The next FULL commit (an operator's save) fsyncs the WAL
 * with everything before it. A process crash loses nothing either way.
 */
export function serverCopyWrite<T>(db: LocalDb, write: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.pragma('synchronous = FULL');
  }
}

export function migrateLocal(db: LocalDb, migrations: readonly LocalMigration[]): number[] {
  const supported = migrations[migrations.length - 1]?.version ?? 0;
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > supported) throw new LocalSchemaTooNewError(current, supported);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.backfill?.(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
