import type http from 'node:http';
import { z } from 'zod';
import type { Database } from '../db/driver';
import type { Logger } from '../log';
import type { TokenSigner } from '../auth/token';
import type { ReferenceSet } from '../reference/reference-set';
import { decide } from '../../shared/policy/policy';
import { computeRates, type RatesReport } from '../../shared/domain/rates';
import { RATES_API_PATH, RatesHttpQuery } from '../../shared/rates/api';
import { loadRateFacts } from '../rates/facts';
import { HttpError, sendJson } from './json';
import { authenticate } from './bearer';

export interface RatesApiDeps {
  db: Database;
  signer: TokenSigner;
  ref: ReferenceSet;
  log: Logger;
}


function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key in out) throw new HttpError(400, 'invalid_input', `query parameter ${key} given twice`);
    out[key] = value;
  }
  return out;
}

/** `GET /api/rates?from=&to=&groupBy=unit|district&unitId=&districtCode=` with a staff access token. */
export async function handleRatesApi(deps: RatesApiDeps, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
  if (url.pathname !== RATES_API_PATH) return false;
  if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'use GET');
  const { claims } = await authenticate(deps, req);
  // Rates rank units and districts: management figures, and only of the live space.
  const decision = decide({ id: claims.sub, role: claims.role, team: claims.team, space: claims.space }, 'rates.read');
  if (!decision.ok) throw new HttpError(403, 'forbidden', decision.reason);
  const parsed = RatesHttpQuery.safeParse(queryObject(url));
  if (!parsed.success) throw new HttpError(400, 'invalid_input', z.prettifyError(parsed.error));
  const query = parsed.data;
  const asOf = Date.now();
  const facts = await loadRateFacts(deps.db, query, deps.ref);
  if (facts.skipped > 0) deps.log.warn('rates: events with unreadable data skipped', { skipped: facts.skipped });
  const report: RatesReport = computeRates(facts, { ...query, asOf }, deps.ref.rates);
  sendJson(res, 200, report);
  return true;
}
