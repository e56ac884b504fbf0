import path from 'node:path';
import fs from 'node:fs';
import type { Database } from './driver';
import type { Space } from '../../shared/domain/space';
import { openSqlite } from './sqlite';
import { openPostgres } from './postgres';
import { ensurePrivateDir, restrictFile } from '../files';

/** Where each space lives: its own SQLite file, or its own PostgreSQL schema. */
const SQLITE_FILES: Readonly<Record<Space, string>> = { live: 'server.sqlite', training: 'training.sqlite' };
const PG_SCHEMAS: Readonly<Record<Space, string | undefined>> = { live: undefined, training: 'training' };

/** PostgreSQL when a URL is given, otherwise the embedded SQLite file in the data dir; the live space unless told. */
export function openDatabase(opts: { databaseUrl?: string | undefined; dataDir: string; space?: Space }): Database {
  const space = opts.space ?? 'live';
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, { schema: PG_SCHEMAS[space] });
  ensurePrivateDir(opts.dataDir);
  const file = path.join(opts.dataDir, SQLITE_FILES[space]);
  // Made 0600 before SQLite opens it: SQLite gives its -wal and -shm the database file's mode.
  if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) restrictFile(f);
  return openSqlite(file);
}
