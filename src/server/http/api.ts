import type http from 'node:http';
import type { Database } from '../db/driver';
import type { Logger } from '../log';
import type { TokenSigner } from '../auth/token';
import type { SpaceStores } from '../spaces';
import type { AuthRuntime } from '../auth/runtime';
import { currentVersion } from '../store/changes';
import { HttpError, readJson, sendJson } from './json';
import { changePassword, login, logout, refresh } from './session';
import { handleAdminApi } from './admin';
import { handleUnitApi } from './units';
import { handleOpen311 } from '../open311/handler';
import type { Open311Config } from '../open311/config';
import { handleRatesApi } from './rates';
import { handleCasesApi } from './cases';
import { handleKbApi } from './kb';
import type { ReferenceSet } from '../reference/reference-set';
import type { Poke } from '../../shared/sync/protocol';

export interface ApiDeps {
  /** The live space's store: logins, units, Open311 and the rates read it alone. */
  db: Database;
  /** Every space's store (a login into practice prepares the training store). */
  spaces: SpaceStores;
  signer: TokenSigner;
  log: Logger;
  startedAt: number;
  ref: ReferenceSet;
  /** Sends pokes for changes an HTTP request committed (unit steps, Open311 requests). */
  poke: (pokes: readonly Poke[]) => void;
  open311: Open311Config;
  /** Session settings, the login throttle, and the closing of sockets on every node. */
  auth: AuthRuntime;
}

/** Handles /api/* and /healthz; returns false for paths it does not own. */
export async function handleApi(deps: ApiDeps, req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  try {
    if (url.pathname === '/healthz' && req.method === 'GET') {
      const version = await currentVersion(deps.db);
      sendJson(res, 200, { ok: true, storage: deps.db.dialect, version, uptimeS: Math.round((Date.now() - deps.startedAt) / 1000) });
      return true;
    }
    if (url.pathname === '/api/login') {
      if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use POST');
      sendJson(res, 200, await login(deps, req, await readJson(req)));
      return true;
    }
    if (url.pathname === '/api/refresh') {
      if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use POST');
      sendJson(res, 200, await refresh(deps, await readJson(req)));
      return true;
    }
    if (url.pathname === '/api/logout') {
      if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use POST');
      sendJson(res, 200, await logout(deps, req));
      return true;
    }
    if (url.pathname === '/api/password') {
      if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use POST');
      sendJson(res, 200, await changePassword(deps, req, await readJson(req)));
      return true;
    }
    if (await handleAdminApi(deps, req, res, url)) return true;
    // GeoReport v2 answers in its own formats, errors included.
    if (await handleOpen311(deps, req, res, url)) return true;
    if (await handleRatesApi(deps, req, res, url)) return true;
    if (await handleCasesApi(deps, req, res, url)) return true;
    if (await handleKbApi(deps, req, res, url)) return true;
    return await handleUnitApi(deps, req, res, url);
  } catch (error) {
    if (error instanceof HttpError) {
      sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
    } else {
      deps.log.error('request failed', { path: url.pathname, error });
      sendJson(res, 500, { error: { code: 'internal', message: 'internal server error' } });
    }
    return true;
  }
}
