import path from 'node:path';
import fs from 'node:fs';
import type { Database } from './driver';
import { openSqlite } from './sqlite';
import { openPostgres } from './postgres';

/** PostgreSQL when a URL is given, otherwise the embedded SQLite file in the data dir. */
export function openDatabase(opts: { databaseUrl?: string | undefined; dataDir: string }): Database {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
  fs.mkdirSync(opts.dataDir, { recursive: true });
  return openSqlite(path.join(opts.dataDir, 'server.sqlite'));
}
