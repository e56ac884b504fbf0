import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Server as IoServer } from 'socket.io';
import type { Database } from './db/driver';
import { openDatabase } from './db/open';
import { migrate } from './db/migrations';
import { createLogger, type Logger } from './log';
import { TokenSigner } from './auth/token';
import { handleApi } from './http/api';
import { sendJson } from './http/json';
import { attachSync } from './sync/socket';
import { attachRedisAdapter } from './redis';
import { seedUsers, UsersFile } from './store/users';
import { CategoriesFile, upsertCategories } from './store/categories';

export interface ServerOptions {
  port: number;
  host?: string;
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Fan pokes out to the other server nodes through Redis (socket.io Redis adapter). */
  redisUrl?: string | undefined;
  resourcesDir?: string;
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  db: Database;
  close(): Promise<void>;
}

/** A positive integer of milliseconds from the environment, or the default. */
function envMs(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer of milliseconds, got ${raw}`);
  return value;
}

export const DEFAULT_RESOURCES_DIR = path.resolve(__dirname, '../../resources');

/** The token secret lives in the database so that every node of one deployment shares it. */
async function tokenSecret(db: Database): Promise<Buffer> {
  const fresh = crypto.randomBytes(32).toString('base64');
  await db.run('INSERT INTO server_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', ['token_secret', fresh]);
  const row = await db.get<{ value: string }>('SELECT value FROM server_meta WHERE key = ?', ['token_secret']);
  if (!row) throw new Error('token secret missing');
  return Buffer.from(row.value, 'base64');
}

async function seed(db: Database, resourcesDir: string, log: Logger): Promise<void> {
  const users = UsersFile.parse(JSON.parse(fs.readFileSync(path.join(resourcesDir, 'seed/users.json'), 'utf8')));
  const categories = CategoriesFile.parse(JSON.parse(fs.readFileSync(path.join(resourcesDir, 'seed/categories.json'), 'utf8')));
  const addedUsers = await db.tx((q) => seedUsers(q, users.users));
  const changedCategories = await db.tx((q) => upsertCategories(q, categories.categories));
  if (addedUsers || changedCategories) log.info('seeded', { users: addedUsers, categories: changedCategories });
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.logger ?? createLogger({ svc: 'server' });
  const db = openDatabase({ databaseUrl: opts.databaseUrl, dataDir: opts.dataDir });
  const applied = await migrate(db);
  if (applied.length) log.info('migrated', { applied, storage: db.dialect });
  await seed(db, opts.resourcesDir ?? DEFAULT_RESOURCES_DIR, log);
  const signer = new TokenSigner(await tokenSecret(db));
  const startedAt = Date.now();

  const server = http.createServer((req, res) => {
    handleApi({ db, signer, log, startedAt }, req, res)
      .then((handled) => {
        if (!handled && !res.headersSent) sendJson(res, 404, { error: { code: 'not_found', message: 'no such endpoint' } });
      })
      .catch((error: unknown) => log.error('unhandled request error', { error }));
  });
  const io = new IoServer(server, {
    transports: ['websocket'],
    serveClient: false,
    maxHttpBufferSize: 4 * 1024 * 1024,
    // Tests shorten these to see a silently dead peer quickly (HOTLINE_PING_INTERVAL_MS / _TIMEOUT_MS).
    pingInterval: envMs('HOTLINE_PING_INTERVAL_MS', 10_000),
    pingTimeout: envMs('HOTLINE_PING_TIMEOUT_MS', 8_000),
  });
  const closeRedis = opts.redisUrl ? await attachRedisAdapter(io, opts.redisUrl, log) : undefined;
  const sync = attachSync(io, { db, signer, log });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  log.info('listening', { url, storage: db.dialect });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    db,
    close() {
      closing ??= (async () => {
        await io.close();
        server.closeAllConnections();
        // Requests already being served finish (and commit) before Redis and the database close.
        await sync.drain();
        await closeRedis?.();
        await db.close();
      })();
      return closing;
    },
  };
}
