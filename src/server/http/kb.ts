import type http from 'node:http';
import type { TokenSigner } from '../auth/token';
import type { Database } from '../db/driver';
import type { SpaceStores } from '../spaces';
import { decide } from '../../shared/policy/policy';
import { KB_HISTORY_PREFIX } from '../../shared/kb/api';
import { articleHistory, findArticle } from '../store/articles';
import { HttpError, sendJson } from './json';
import { authenticate } from './bearer';

/** `GET /api/kb/articles/<id>/versions`: an article's every version (who, when, what), for its editors. */
export async function handleKbApi(deps: { db: Database; spaces: SpaceStores; signer: TokenSigner }, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
  if (!url.pathname.startsWith(KB_HISTORY_PREFIX)) return false;
  const rest = url.pathname.slice(KB_HISTORY_PREFIX.length).split('/');
  if (rest.length !== 2 || rest[1] !== 'versions' || !rest[0]) throw new HttpError(404, 'not_found', 'no such endpoint');
  if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'use GET');
  const { claims } = await authenticate(deps, req);
  const decision = decide({ id: claims.sub, role: claims.role, team: claims.team, space: claims.space }, 'kb.edit');
  if (!decision.ok) throw new HttpError(403, 'forbidden', decision.reason);
  const id = decodeURIComponent(rest[0]);
  const store = await deps.spaces.get(claims.space);
  if (!(await findArticle(store, id))) throw new HttpError(404, 'not_found', `article ${id} does not exist`);
  sendJson(res, 200, { id, versions: await articleHistory(store, id) });
  return true;
}
