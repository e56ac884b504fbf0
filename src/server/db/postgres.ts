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

export function openPostgres(connectionString: string): Database {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle client that loses its connection must not crash the server.
  pool.on('error', () => undefined);
  const q = makeQueryable(pool);
  return {
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
}
