import crypto from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/server/db/driver';
import { openDatabase } from '../../src/server/db/open';
import { makeTempDir, removeDir } from './tmp';

/**
 * The server storage backends a suite runs on: SQLite always, PostgreSQL too when
 * TEST_DATABASE_URL points at a cluster (see scripts/pg-test-cluster.sh). Each `fresh()` is an
 * empty database of its own: a new SQLite file, or a new PostgreSQL database that `dispose`
 * drops again, so files running in parallel never see each other's rows.
 */
export interface StorageBackend {
  name: 'sqlite' | 'postgres';
  fresh(): Promise<FreshStorage>;
}

export interface FreshStorage {
  /** Always a new temp dir (the server keeps its SQLite file there; startServer needs one). */
  dataDir: string;
  /** Set for PostgreSQL: what startServer / DATABASE_URL take. */
  databaseUrl: string | undefined;
  /** Opens a new connection (pool) to this storage; the caller closes it. */
  open(): Database;
  /** Drops the database and deletes the data dir. */
  dispose(): Promise<void>;
}

export const PG_URL = process.env.TEST_DATABASE_URL ?? '';

const sqliteBackend: StorageBackend = {
  name: 'sqlite',
  fresh() {
    const dataDir = makeTempDir('hotline-sqlite-');
    return Promise.resolve({
      dataDir,
      databaseUrl: undefined,
      open: () => openDatabase({ dataDir }),
      dispose: () => {
        removeDir(dataDir);
        return Promise.resolve();
      },
    });
  },
};

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty database next to TEST_DATABASE_URL's and returns its URL and a drop function. */
export async function createPgDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  if (!PG_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `test_${crypto.randomBytes(6).toString('hex')}`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await adminQuery(`CREATE DATABASE ${name}`);
      break;
    } catch (error) {
      // 55006: template1 busy because another worker is creating a database at this moment.
      const code = (error as { code?: string }).code;
      if (code !== '55006' || attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

const postgresBackend: StorageBackend = {
  name: 'postgres',
  async fresh() {
    const created = await createPgDatabase();
    const dataDir = makeTempDir('hotline-pg-');
    return {
      dataDir,
      databaseUrl: created.url,
      open: () => openDatabase({ dataDir, databaseUrl: created.url }),
      dispose: async () => {
        removeDir(dataDir);
        await created.drop();
      },
    };
  },
};

export const BACKENDS: readonly StorageBackend[] = PG_URL ? [sqliteBackend, postgresBackend] : [sqliteBackend];
