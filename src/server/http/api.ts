import type http from 'node:http';
import { z } from 'zod';
import type { Database } from '../db/driver';
import type { Logger } from '../log';
import type { TokenSigner } from '../auth/token';
import { burnPasswordCheck, verifyPassword } from '../auth/password';
import { findUserById, findUserByUsername, mirrorUsers, type StoredUser } from '../store/users';
import { can, decide } from '../../shared/policy/policy';
import { SPACES, type Space } from '../../shared/domain/space';
import type { SpaceStores } from '../spaces';
import { stationCodeFor } from '../store/stations';
import { currentVersion } from '../store/changes';
import { HttpError, readJson, sendJson } from './json';
import { handleUnitApi } from './units';
import { handleOpen311 } from '../open311/handler';
import type { Open311Config } from '../open311/config';
import { handleRatesApi } from './rates';
import { handleCasesApi } from './cases';
import { handleKbApi } from './kb';
import type { ReferenceSet } from '../reference/reference-set';
import type { Poke } from '../../shared/sync/protocol';
import { LoginRequest, RefreshRequest, type LoginResponse } from '../../shared/sync/auth';

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
}

function issue(deps: ApiDeps, user: StoredUser, station: string, space: Space): LoginResponse {
  const base = { sub: user.id, role: user.role, team: user.team, station, space };
  return {
    accessToken: deps.signer.sign({ ...base, kind: 'access' }),
    refreshToken: deps.signer.sign({ ...base, kind: 'refresh' }),
    user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, team: user.team },
    station,
    space,
    serverTime: Date.now(),
  };
}

/** Whether the account may log in at all (in some space); service accounts act only inside the server. */
function mayLogIn(user: StoredUser): boolean {
  return user.active && SPACES.some((space) => can(user, 'space.enter', { space }));
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new HttpError(400, 'invalid_input', z.prettifyError(result.error));
  return result.data;
}

async function login(deps: ApiDeps, body: unknown): Promise<LoginResponse> {
  const input = parse(LoginRequest, body);
  const user = await findUserByUsername(deps.db, input.username);
  // Service accounts (Open311) act only inside the server: they never get tokens.
  if (!user || !mayLogIn(user)) {
    await burnPasswordCheck(input.password);
    throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
  }
  if (!(await verifyPassword(input.password, user.passwordHash))) {
    deps.log.warn('login failed', { username: input.username });
    throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
  }
  // The password was right: now the policy may say why this space is closed to this role.
  const entry = decide({ ...user, space: input.space }, 'space.enter', { space: input.space });
  if (!entry.ok) throw new HttpError(403, 'forbidden', entry.reason);
  if (input.space !== 'live') {
    // Practice has its own store, with the directory mirrored from the live one.
    const store = await deps.spaces.get(input.space);
    await store.tx((q) => mirrorUsers(deps.db, q, [user.id]));
  }
  const station = await deps.db.tx((q) => stationCodeFor(q, input.stationKey));
  deps.log.info('login', { userId: user.id, station, space: input.space });
  return issue(deps, user, station, input.space);
}

async function refresh(deps: ApiDeps, body: unknown): Promise<LoginResponse> {
  const input = parse(RefreshRequest, body);
  const claims = deps.signer.verify(input.refreshToken, 'refresh');
  if (!claims) throw new HttpError(401, 'unauthenticated', 'refresh token invalid or expired');
  const user = await findUserById(deps.db, claims.sub);
  if (!user || !mayLogIn(user) || !can({ ...user, space: claims.space }, 'space.enter', { space: claims.space })) {
    throw new HttpError(401, 'unauthenticated', 'account disabled');
  }
  return issue(deps, user, claims.station, claims.space);
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
      sendJson(res, 200, await login(deps, await readJson(req)));
      return true;
    }
    if (url.pathname === '/api/refresh') {
      if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use POST');
      sendJson(res, 200, await refresh(deps, await readJson(req)));
      return true;
    }
    // GeoReport v2 answers in its own formats, errors included.
    if (await handleOpen311(deps, req, res, url)) return true;
    if (await handleRatesApi(deps, req, res, url)) return true;
    if (await handleCasesApi(deps, req, res, url)) return true;
    if (await handleKbApi(deps, req, res, url)) return true;
    return await handleUnitApi(deps, req, res, url);
  } catch (error) {
    if (error instanceof HttpError) {
      sendJson(res, error.status, { error: { code: error.code, message: error.message } });
    } else {
      deps.log.error('request failed', { path: url.pathname, error });
      sendJson(res, 500, { error: { code: 'internal', message: 'internal server error' } });
    }
    return true;
  }
}
