import { CaseNumber } from '../../shared/domain/case';
import type { ReferenceSet } from '../reference/reference-set';
import type { RequestFilter } from '../store/open311';
import { parseW3c } from './datetime';
import { Open311Error } from './respond';

const DAY = 86_400_000;
/** GeoReport: a search spans at most 90 days and returns at most 1,000 requests. */
export const MAX_SPAN_MS = 90 * DAY;
export const MAX_RESULTS = 1000;
const MAX_IDS = 200;

const list = (raw: string | null): string[] =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** Reads the query of GET requests into a filter; every bad argument is reported at once (400). */
export function readRequestQuery(params: URLSearchParams, ref: ReferenceSet, now = Date.now()): RequestFilter {
  const errors: string[] = [];
  const ids = list(params.get('service_request_id'));
  if (ids.length > 0) {
    // Unknown or malformed ids simply match nothing; too many is a mistake worth saying.
    if (ids.length > MAX_IDS) throw new Open311Error(400, `service_request_id: at most ${MAX_IDS} ids at once`);
    return { numbers: ids.filter((id) => CaseNumber.safeParse(id).success), limit: MAX_RESULTS };
  }
  const filter: RequestFilter = { limit: MAX_RESULTS };
  // A retired code asks for the cases now filed under its successor.
  const codes = list(params.get('service_code')).map((c) => ref.currentCategoryCode(c));
  if (codes.length > 0) {
    const unknown = codes.filter((c) => !ref.category(c));
    if (unknown.length > 0) errors.push(`service_code: unknown ${unknown.join(', ')}`);
    filter.categoryCodes = codes;
  }
  const statuses = new Set(list(params.get('status')).map((s) => s.toLowerCase()));
  const bad = [...statuses].filter((s) => s !== 'open' && s !== 'closed');
  if (bad.length > 0) errors.push(`status: ${bad.join(', ')} is not open or closed`);
  else if (statuses.size === 1) filter.closed = statuses.has('closed');

  const date = (key: string): number | undefined => {
    const raw = params.get(key)?.trim();
    if (!raw) return undefined;
    const ms = parseW3c(raw);
    if (ms === null) errors.push(`${key}: not a W3C date-time with a time zone (e.g. 2010-01-01T00:00:00Z)`);
    return ms ?? undefined;
  };
  const start = date('start_date');
  const end = date('end_date');
  if (errors.length > 0) throw new Open311Error(400, errors);
  // Without both ends the range is the 90 days before the end (now by default), or after the start.
  const to = end ?? (start !== undefined ? start + MAX_SPAN_MS : now);
  const from = start ?? to - MAX_SPAN_MS;
  if (from > to) throw new Open311Error(400, 'start_date: after end_date');
  if (to - from > MAX_SPAN_MS) throw new Open311Error(400, 'start_date, end_date: the range may not span more than 90 days');
  filter.from = from;
  filter.to = to;
  return filter;
}
