import type { SimilarCase } from '../../../../shared/contract/contract';
import type { GeographyIndex } from '../../../../shared/reference/address';
import { digitsOf } from '../../../../shared/search/tokens';
import type { LocalDb } from '../../store/db';
import { casesOfCaller, recentOfCategory, stillRelevant } from './search';
import type { StoredCase } from './store';

/** How far back a closed case still counts as possibly the same matter. */
export const SIMILAR_WINDOW_MS = 30 * 24 * 3_600_000;
/** How many recent cases of a category are compared by place. */
const PLACE_CANDIDATES = 300;

/** The smallest place an address resolves to: its community, else its street (districts are too big). */
function placeOf(geo: GeographyIndex | null, address: string, memo: Map<string, string | null>): string | null {
  if (!geo || address.trim().length < 2) return null;
  let place = memo.get(address);
  if (place === undefined) {
    const r = geo.resolve(address);
    place = r.community ? `c:${r.community.code}` : r.street ? `s:${r.street.code}` : null;
    memo.set(address, place);
  }
  return place;
}

/**
 * Earlier cases that may be the same matter as the call being typed: the same caller's open or
 * recent cases, and open or recent cases of the same category at the same place. Same caller
 * first, then open before closed, newest first.
 */
export function similarCases(
  db: LocalDb,
  geo: GeographyIndex | null,
  call: { callerPhone: string; categoryCode: string; address: string; excludeId?: string | undefined },
  present: (c: StoredCase) => SimilarCase['case'],
  now = Date.now(),
  limit = 10,
): SimilarCase[] {
  const since = now - SIMILAR_WINDOW_MS;
  const found = new Map<string, { c: StoredCase; reasons: Set<'phone' | 'place'> }>();
  const add = (c: StoredCase, reason: 'phone' | 'place') => {
    if (c.id === call.excludeId || c.status === 'merged' || !stillRelevant(c, since)) return;
    const entry = found.get(c.id) ?? { c, reasons: new Set<'phone' | 'place'>() };
    entry.reasons.add(reason);
    found.set(c.id, entry);
  };
  // A full mobile or landline number: seven digits at least.
  if (digitsOf(call.callerPhone).length >= 7) for (const c of casesOfCaller(db, call.callerPhone, 50)) add(c, 'phone');
  if (call.categoryCode) {
    const memo = new Map<string, string | null>();
    const here = placeOf(geo, call.address, memo);
    if (here) for (const c of recentOfCategory(db, call.categoryCode, since, PLACE_CANDIDATES)) if (placeOf(geo, c.address, memo) === here) add(c, 'place');
  }
  const open = (c: StoredCase) => (c.status === 'closed' ? 1 : 0);
  return [...found.values()]
    .sort((a, b) => Number(b.reasons.has('phone')) - Number(a.reasons.has('phone')) || open(a.c) - open(b.c) || b.c.createdAt - a.c.createdAt)
    .slice(0, limit)
    .map(({ c, reasons }) => ({ case: present(c), reasons: [...reasons] }));
}
