import { prep, type LocalDb } from '../../store/db';
import { digitsOf, ftsQuery, reversed } from '../../../../shared/search/tokens';
import { isOpen } from '../../../../shared/domain/lifecycle';
import { getCaseViewByRowid, type StoredCase } from './store';

/** Digits, spaces, dashes, brackets, dots and a plus, as a number is typed or read out (full-width too). */
const NUMBER_LIKE = /^[\s\d０-９+＋\-－–—().（）．]+$/u;
const CASE_NUMBER = /^[ST]\d{4}-\d{6,9}$/i;
/** Fewer digits than this match too much of a city's phone numbers to be a useful prefix. */
const MIN_PREFIX_DIGITS = 4;
const MIN_SUFFIX_DIGITS = 3;

/** The rowids of a branch query, newest first (rowids grow with arrival, so with time). */
function rowids(db: LocalDb, sql: string, params: unknown[]): number[] {
  return prep(db, sql).pluck().all(...params) as number[];
}

/** A range on an index column: everything that starts with `prefix`. */
const startsWith = (column: string) => `${column} >= ? AND ${column} < ?`;
const upper = (prefix: string) => `${prefix};`;

/**
 * Cases matching what the operator typed, newest first: a case number (whole, or its last digits),
 * a phone number (its first or last digits), or words of the address, description or name —
 * Chinese of any length, Latin words by prefix. Every branch reads an index in order and stops at
 * `limit`, so a query stays fast however many cases the workstation holds.
 */
export function searchCases(db: LocalDb, query: string, limit: number): { cases: StoredCase[]; more: boolean } {
  const q = query.trim();
  if (q === '') return { cases: [], more: false };
  const want = limit + 1;
  const found: number[] = [];
  if (CASE_NUMBER.test(q)) {
    found.push(...rowids(db, 'SELECT rowid FROM cases WHERE number = ?', [q.toUpperCase()]));
  } else if (NUMBER_LIKE.test(q)) {
    const digits = digitsOf(q);
    if (digits.length >= MIN_SUFFIX_DIGITS) {
      const rev = reversed(digits);
      found.push(...rowids(db, `SELECT rowid FROM cases WHERE ${startsWith('phone_rev')} ORDER BY rowid DESC LIMIT ?`, [rev, upper(rev), want]));
      found.push(...rowids(db, `SELECT rowid FROM cases WHERE ${startsWith('number_rev')} ORDER BY rowid DESC LIMIT ?`, [rev, upper(rev), want]));
    }
    if (digits.length >= MIN_PREFIX_DIGITS) {
      found.push(...rowids(db, `SELECT rowid FROM cases WHERE ${startsWith('phone_digits')} ORDER BY rowid DESC LIMIT ?`, [digits, upper(digits), want]));
      // A callback number, or a number said in the description.
      found.push(...rowids(db, 'SELECT rowid FROM case_search WHERE case_search MATCH ? ORDER BY rowid DESC LIMIT ?', [`"${digits}"`, want]));
    }
  } else {
    const match = ftsQuery(q);
    if (match) found.push(...rowids(db, 'SELECT rowid FROM case_search WHERE case_search MATCH ? ORDER BY rowid DESC LIMIT ?', [match, want]));
  }
  const newestFirst = [...new Set(found)].sort((a, b) => b - a);
  const cases: StoredCase[] = [];
  for (const rowid of newestFirst.slice(0, limit)) {
    const c = getCaseViewByRowid(db, rowid);
    if (c) cases.push(c);
  }
  return { cases, more: newestFirst.length > limit };
}

/** Every case of a caller (by the digits of their number), newest first. */
export function casesOfCaller(db: LocalDb, phone: string, limit: number): StoredCase[] {
  const digits = digitsOf(phone);
  if (digits.length < MIN_PREFIX_DIGITS) return [];
  return rowids(db, 'SELECT rowid FROM cases WHERE phone_digits = ? ORDER BY created_at DESC, rowid DESC LIMIT ?', [digits, limit])
    .map((r) => getCaseViewByRowid(db, r))
    .filter((c): c is StoredCase => c !== undefined);
}

/** Cases of a category registered since `since`, newest first (the candidates for a duplicate at the same place). */
export function recentOfCategory(db: LocalDb, categoryCode: string, since: number, limit: number): StoredCase[] {
  return rowids(db, 'SELECT rowid FROM cases WHERE category_code = ? AND created_at >= ? ORDER BY created_at DESC LIMIT ?', [categoryCode, since, limit])
    .map((r) => getCaseViewByRowid(db, r))
    .filter((c): c is StoredCase => c !== undefined);
}

/** A case that could be the same matter as a new call: still open, or closed recently. */
export function stillRelevant(c: StoredCase, since: number): boolean {
  return isOpen(c.status) || c.updatedAt >= since;
}

/** How far back the categories an operator uses count for the category search's ranking. */
export const USAGE_WINDOW_MS = 90 * 24 * 3_600_000;

/** How many cases of each category this user registered since `since`. */
export function categoryUsage(db: LocalDb, userId: string, since: number): Record<string, number> {
  const rows = prep(db, 'SELECT category_code AS code, COUNT(*) AS n FROM cases WHERE created_by = ? AND created_at >= ? GROUP BY category_code').all(userId, since) as {
    code: string;
    n: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.code, r.n]));
}
