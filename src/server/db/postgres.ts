import pg from 'pg';
import type { Database, Queryable, Row, SqlValue } from './driver';
import { toPostgresPlaceholders } from './driver';

// BIGINT (int8) as a JS number: versions and epoch-ms timestamps stay far below 2^53.
// The server is this process's only PostgreSQL user, so the global parser is ours to set.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

function makeQueryable(client: pg.Pool | pg.PoolClient): Queryable {
  const query = async <T extends Row>(sql: string, params: readonly SqlValue[] = []) => {
    const result = await client.query<T>({ text: toPostgresPlaceholders(sql), values: params as SqlValue[] });
    return result;
  };
  return {
    async all<T extends Row>(sql: string, params?: readonly SqlValue[]) {
      return (await query<T>(sql, params)).rows;
    },
    async get<T extends Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
      const rows: T[] = (await query<T>(sql, params)).rows;
      return rows[0];
    },
    async run(sql: string, params?: readonly SqlValue[]) {
      return { changes: (await query(sql, params)).rowCount ?? 0 };
    },
  };
}

/**
 * A pool on the database; with `schema`, every connection works in that schema (made when
 * missing), so one database holds the live space's tables and another space's apart.
 */
export function openPostgres(connectionString: string, opts: { schema?: string | undefined } = {}): Database {
  const schema = opts.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const pool = new pg.Pool({ connectionString, max: 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  // An idle client that loses its connection must not crash the server.
  pool.on('error', () => undefined);
  let ready: Promise<void> | undefined;
  // The schema exists before the first statement (IF NOT EXISTS: several nodes may race).
  const ensureSchema = (): Promise<void> =>
    (ready ??= schema
      ? pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).then(
          () => undefined,
          (error: unknown) => {
            ready = undefined;
            // 23505/42P06: another node created it at the same moment.
            const code = (error as { code?: string }).code;
            if (code === '23505' || code === '42P06') return;
            throw error;
          },
        )
      : Promise.resolve());
  const q = makeQueryable(pool);
  const db: Database = {
    dialect: 'postgres',
    ...q,
    async exec(sql) {
      await pool.query(sql);
    },
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await fn(makeQueryable(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
  if (!schema) return db;
  // In a schema of its own: each call first makes sure the schema exists (once).
  return {
    ...db,
    all: async (sql, params) => (await ensureSchema(), db.all(sql, params)),
    get: async (sql, params) => (await ensureSchema(), db.get(sql, params)),
    run: async (sql, params) => (await ensureSchema(), db.run(sql, params)),
    exec: async (sql) => (await ensureSchema(), db.exec(sql)),
    tx: async (fn) => (await ensureSchema(), db.tx(fn)),
  };
}
