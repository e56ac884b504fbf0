import type http from 'node:http';
import { z } from 'zod';
import type { TokenSigner } from '../auth/token';
import type { SpaceStores } from '../spaces';
import { decide } from '../../shared/policy/policy';
import { callerWithheld, withoutCaller } from '../../shared/domain/amend';
import { CASE_SEARCH_PATH, CaseSearchQuery, type CaseSearchResult } from '../../shared/cases/api';
import { searchCases } from '../store/cases';
import { HttpError, sendJson } from './json';
import { authenticate } from './bearer';
import type { Database } from '../db/driver';

export interface CasesApiDeps {
  db: Database;
  spaces: SpaceStores;
  signer: TokenSigner;
}

/**
 * `GET /api/cases/search?q=&limit=` with a staff access token: cases beyond the workstation's
 * cache, from the store of the token's space. Operators find their team's cases, leads and admins
 * every team's; a confidential caller is withheld as on the workstation.
 */
export async function handleCasesApi(deps: CasesApiDeps, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
  if (url.pathname !== CASE_SEARCH_PATH) return false;
  if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'use GET');
  const { claims } = await authenticate(deps, req);
  const actor = { id: claims.sub, role: claims.role, team: claims.team, space: claims.space };
  const decision = decide(actor, 'case.search');
  if (!decision.ok) throw new HttpError(403, 'forbidden', decision.reason);
  const parsed = CaseSearchQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw new HttpError(400, 'invalid_input', z.prettifyError(parsed.error));
  const store = await deps.spaces.get(claims.space);
  const found = await searchCases(store, { text: parsed.data.q, team: claims.role === 'operator' ? claims.team : null, limit: parsed.data.limit, now: Date.now() });
  const body: CaseSearchResult = {
    matchedBy: found.matchedBy,
    cases: found.cases.map((c) => (callerWithheld(c, claims.sub) ? { ...withoutCaller(c), callerHidden: true } : { ...c, callerHidden: false })),
  };
  sendJson(res, 200, body);
  return true;
}
