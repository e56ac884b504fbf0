import { RatesReport } from '../../../../shared/domain/rates';
import { RATES_API_PATH, ratesQueryString, type RatesRequest } from '../../../../shared/rates/api';
import { AppFailure } from '../../../../shared/result';
import type { Feature } from '../../feature';
import type { CoreContext } from '../../context';
import { getJson, type HttpSession } from '../session/http-session';
import type { SyncService } from '../sync';

/** rates.get: the three rates live on the server (they span every workstation's cases): no server, no rates. */
export function ratesFeature(ctx: CoreContext, deps: { http: HttpSession; sync: SyncService }): Feature {
  const fetchRates = async (request: RatesRequest): Promise<RatesReport> => {
    ctx.authorize('rates.read');
    let body: unknown;
    try {
      const token = await deps.http.accessToken(deps.sync.clockOffsetMs);
      body = await getJson(`${deps.http.serverUrl}${RATES_API_PATH}?${ratesQueryString(request)}`, token);
    } catch (error) {
      if (error instanceof AppFailure && error.code === 'server_unreachable') {
        throw new AppFailure('server_unreachable', `the rates are computed by the central server, which cannot be reached now (${error.message})`);
      }
      throw error;
    }
    const parsed = RatesReport.safeParse(body);
    if (!parsed.success) throw new AppFailure('internal', 'the server sent rates in an unexpected shape');
    return parsed.data;
  };
  return { name: 'rates', handlers: { 'rates.get': (input) => fetchRates(input) } };
}
