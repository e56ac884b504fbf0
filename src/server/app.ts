import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Server as IoServer } from 'socket.io';
import type { Database } from './db/driver';
import { openDatabase } from './db/open';
import { migrate } from './db/migrations';
import { createLogger, type Logger } from './log';
import { TokenSigner } from './auth/token';
import { TokenKeyStore } from './auth/token-keys';
import { ensurePrivateDir } from './files';
import { authConfigFrom, type AuthConfig } from './auth/config';
import { LoginThrottle } from './auth/throttle';
import { scryptGate } from './auth/password';
import type { AuthRuntime, KickTarget } from './auth/runtime';
import { handleApi } from './http/api';
import { sendJson } from './http/json';
import { attachSync } from './sync/socket';
import { attachRedisAdapter } from './redis';
import { prepareSpaceStore, seedAll } from './seed';
import { openSpaceStores, type SpaceStores } from './spaces';
import type { Space } from '../shared/domain/space';
import { retireCases } from './store/retire';
import { ensureServiceAccount } from './store/users';
import { DEFAULT_OPEN311_TEAM, SERVICE_DISPLAY_NAME, SERVICE_USERNAME, type Open311Config } from './open311/config';
import { DEFAULT_RESOURCES_DIR, loadReferenceSet } from './reference/reference-set';
import type { Poke } from '../shared/sync/protocol';
import { isLoopbackHost, type TlsCredentials } from './tls';

export interface ServerOptions {
  port: number;
  host?: string;
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Fan pokes out to the other server nodes through Redis (socket.io Redis adapter). */
  redisUrl?: string | undefined;
  resourcesDir?: string;
  logger?: Logger;
  /** The team whose workstations receive Open311 cases (default `team-a`; env OPEN311_TEAM in the CLI). */
  open311Team?: string | undefined;
  /** The public URL of the GeoReport v2 endpoint for discovery (default: from the Host header). */
  open311BaseUrl?: string | undefined;
  /** Serve HTTPS and WSS with this certificate and key (the CLI: --tls-cert/--tls-key or HOTLINE_TLS_CERT/_KEY). */
  tls?: TlsCredentials | undefined;
  /** Session and login settings (default: from the environment, see auth/config.ts). */
  auth?: Partial<AuthConfig>;
  /** The token keys (default: HOTLINE_TOKEN_SECRET, else HOTLINE_TOKEN_KEYS_FILE, else `<dataDir>/token-keys.json`). */
  tokenKeys?: TokenKeyStore;
}

export interface RunningServer {
  url: string;
  port: number;
  /** The live space's store. */
  db: Database;
  /** Every space's store (tests look into practice through it). */
  spaces: SpaceStores;
  /** Signs and verifies with the keyring in force (tests mint tokens with it). */
  signer: TokenSigner;
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

export { DEFAULT_RESOURCES_DIR };

/** The Open311 service account (made or moved to the configured team) and the endpoint's settings. */
async function open311Config(db: Database, opts: ServerOptions, startedAt: number): Promise<Open311Config> {
  const team = opts.open311Team?.trim() || DEFAULT_OPEN311_TEAM;
  if (team.length > 40) throw new Error(`open311 team name too long: ${team}`);
  const serviceUserId = await db.tx((q) => ensureServiceAccount(q, { username: SERVICE_USERNAME, displayName: SERVICE_DISPLAY_NAME, team }));
  return { team, serviceUserId, baseUrl: opts.open311BaseUrl?.replace(/\/+$/, '') || undefined, changeset: new Date(startedAt).toISOString() };
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.logger ?? createLogger({ svc: 'server' });
  ensurePrivateDir(opts.dataDir);
  // The token keys live outside the database (see auth/token-keys.ts); an older database's secret moves there.
  const tokenKeys = opts.tokenKeys ?? TokenKeyStore.forDataDir(opts.dataDir);
  const db = openDatabase({ databaseUrl: opts.databaseUrl, dataDir: opts.dataDir });
  const applied = await migrate(db, undefined, { adoptTokenSecret: (secret) => tokenKeys.adoptLegacy(secret) });
  tokenKeys.ensure();
  if (applied.length) log.info('migrated', { applied, storage: db.dialect });
  const resourcesDir = opts.resourcesDir ?? DEFAULT_RESOURCES_DIR;
  const ref = loadReferenceSet(resourcesDir);
  await seedAll(db, ref, resourcesDir, opts.dataDir, log);
  // Practice gets its store when somebody first logs in to it.
  const spaces = openSpaceStores(db, { databaseUrl: opts.databaseUrl, dataDir: opts.dataDir }, (store) => prepareSpaceStore(store, db, ref, log, resourcesDir));
  const authConfig: AuthConfig = { ...authConfigFrom(), ...opts.auth };
  scryptGate.configure(authConfig.scryptConcurrency, authConfig.scryptQueue);
  const signer = new TokenSigner(() => tokenKeys.keyring(), authConfig.accessTtlMs);
  // Unreadable or missing keys fail the start, not the first login.
  tokenKeys.keyring();
  const startedAt = Date.now();
  const open311 = await open311Config(db, opts, startedAt);

  // Pokes for changes committed by HTTP requests; wired once socket.io is attached below.
  let poke: (space: Space, pokes: readonly Poke[]) => void = () => undefined;
  // Closing a user's or a session's sockets; wired once socket.io is attached below.
  let kick: (target: KickTarget, reason: string) => void = () => undefined;
  const auth: AuthRuntime = {
    config: authConfig,
    throttle: new LoginThrottle({ freeFailures: authConfig.freeFailures, lockBaseMs: authConfig.lockBaseMs, lockMaxMs: authConfig.lockMaxMs }),
    kick: (target, reason) => kick(target, reason),
  };
  const httpInflight = new Set<Promise<unknown>>();
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    // HTTP writes (the unit API, Open311) change the live space only.
    const handling = handleApi({ db, spaces, signer, log, startedAt, ref, poke: (p) => poke('live', p), open311, auth }, req, res)
      .then((handled) => {
        if (!handled && !res.headersSent) sendJson(res, 404, { error: { code: 'not_found', message: 'no such endpoint' } });
      })
      .catch((error: unknown) => log.error('unhandled request error', { error }));
    httpInflight.add(handling);
    void handling.finally(() => httpInflight.delete(handling));
  };
  // With a certificate, HTTPS — and so the socket is WSS on the same port; TLS 1.2 at least.
  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' }, onRequest) : http.createServer(onRequest);
  const io = new IoServer(server, {
    transports: ['websocket'],
    serveClient: false,
    maxHttpBufferSize: 4 * 1024 * 1024,
    // Tests shorten these to see a silently dead peer quickly (HOTLINE_PING_INTERVAL_MS / _TIMEOUT_MS).
    pingInterval: envMs('HOTLINE_PING_INTERVAL_MS', 10_000),
    pingTimeout: envMs('HOTLINE_PING_TIMEOUT_MS', 8_000),
  });
  const closeRedis = opts.redisUrl ? await attachRedisAdapter(io, opts.redisUrl, log) : undefined;
  const sync = attachSync(io, { spaces, signer, log, ref, clustered: closeRedis !== undefined });
  poke = sync.poke;
  kick = sync.kick;

  // Closed cases past the retention leave the workstations' caches: now, and every so often.
  const retire = async () => {
    for (const [space, store] of spaces.opened()) {
      const { retired, pokes } = await retireCases(store);
      if (retired > 0) {
        log.info('retired closed cases from the workstations', { space, retired });
        sync.poke(space, pokes);
      }
    }
  };
  let retiring: Promise<void> = Promise.resolve();
  const runRetire = () => {
    retiring = retiring.then(retire).catch((error: unknown) => log.error('retiring cases failed', { error }));
  };
  runRetire();
  const retireTimer = setInterval(runRetire, envMs('HOTLINE_RETIRE_INTERVAL_MS', 10 * 60_000));
  retireTimer.unref();

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info('listening', { url, storage: db.dialect, tls: opts.tls !== undefined });
  if (!opts.tls && !isLoopbackHost(host)) {
    log.warn('serving plain HTTP beyond this machine: passwords and tokens cross the network in clear; give --tls-cert and --tls-key', { host });
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    db,
    spaces,
    signer,
    close() {
      closing ??= (async () => {
        clearInterval(retireTimer);
        await retiring;
        await io.close();
        server.closeAllConnections();
        // Requests already being served finish (and commit) before Redis and the database close.
        await Promise.allSettled([sync.drain(), ...httpInflight]);
        await closeRedis?.();
        await spaces.close();
      })();
      return closing;
    },
  };
}
