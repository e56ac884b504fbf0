import type { Queryable, SqlValue } from '../db/driver';
import { caseDetailJson, caseFromColumns, type CaseRecord, type TimelineEvent } from '../../shared/domain/case';
import { caseColumnsOf, fromColumn, toColumn } from '../../shared/domain/case-columns';
import type { ChangeRecorder } from './changes';
import { timeOrderedUuid } from '../../shared/ids';
import { scopeContextNow, type ScopeContext } from '../sync/retention';
import { digitsOf } from '../../shared/search/tokens';

export const teamScope = (team: string) => `team:${team}`;
export const userScope = (userId: string) => `user:${userId}`;

/** Whether a case is past the workstations' retention: closed (or merged) longer ago than it. */
export function retired(record: Pick<CaseRecord, 'status' | 'closedAt'>, ctx: ScopeContext): boolean {
  return (record.status === 'closed' || record.status === 'merged') && record.closedAt !== null && record.closedAt < ctx.now - ctx.retentionMs;
}

/**
 * The sync scopes a case belongs to: its team, whoever registered it, whoever holds it — none once
 * it is retired (it stays on the server, where a search finds it).
 */
export function caseScopes(record: CaseRecord, ctx: ScopeContext = scopeContextNow()): string[] {
  if (retired(record, ctx)) return [];
  const scopes = [teamScope(record.team), userScope(record.createdBy)];
  if (record.assignee) scopes.push(userScope(record.assignee));
  return [...new Set(scopes)];
}

/** Columns of `cases` and the record field each holds; lifecycle facts nobody queries by go to `detail`. */
const COLUMNS = caseColumnsOf('server');

const COLUMN_KEYS: ReadonlySet<string> = new Set(COLUMNS.map((c) => c.key));

/** Values in the order of COLUMNS, then `detail`, then the columns derived for search (`phone_digits`). */
function rowValues(r: CaseRecord): SqlValue[] {
  return [...COLUMNS.map((c) => toColumn(c, r)), caseDetailJson(r, COLUMN_KEYS), digitsOf(r.callerPhone)];
}

/**
 * The columns of a case row as the change-log read joins them in (`k` is `cases`), named apart
 * from the change row's own: the pull builds a case's data from its row (schema 4).
 */
export const JOINED_CASE_COLUMNS = [...COLUMNS.map((c) => `k.${c.column} AS k_${c.column}`), 'k.detail AS k_detail'].join(', ');

/**
 * The case of a joined row (null when none was joined). Built without validation: the pull's hot
 * path reads the server's own rows, and the workstation parses every change it applies anyway.
 */
export function joinedCase(row: Record<string, unknown>): Record<string, unknown> | null {
  if (row.k_id === null || row.k_id === undefined) return null;
  const detail = row.k_detail;
  const record = typeof detail === 'string' ? (JSON.parse(detail) as Record<string, unknown>) : {};
  for (const c of COLUMNS) record[c.key] = fromColumn(c, row[`k_${c.column}`]);
  return record;
}

const INSERT_SQL = `INSERT INTO cases (${COLUMNS.map((c) => c.column).join(', ')}, detail, phone_digits) VALUES (${COLUMNS.map(() => '?').join(', ')}, ?, ?)`;
const UPDATE_SQL = `UPDATE cases SET ${COLUMNS.slice(1)
  .map((c) => `${c.column} = ?`)
  .join(', ')}, detail = ?, phone_digits = ? WHERE id = ?`;

/** A row of `cases` (column name → value; `detail` is JSON). */
export type CaseRow = Record<string, unknown> & { detail: string | null };

export function caseFromRow(row: CaseRow): CaseRecord {
  return caseFromColumns(Object.fromEntries(COLUMNS.map((c) => [c.key, fromColumn(c, row[c.column])])), row.detail);
}

export async function findCase(q: Queryable, id: string): Promise<CaseRecord | undefined> {
  const row = await q.get<CaseRow>('SELECT * FROM cases WHERE id = ?', [id]);
  return row ? caseFromRow(row) : undefined;
}

export async function findCaseByNumber(q: Queryable, number: string): Promise<CaseRecord | undefined> {
  const row = await q.get<CaseRow>('SELECT * FROM cases WHERE number = ?', [number]);
  return row ? caseFromRow(row) : undefined;
}

/** A unit's cases in the given statuses, longest waiting first (bounded: a unit's working list). */
export async function casesOfUnit(q: Queryable, unitId: string, statuses: readonly string[], limit = 1000): Promise<CaseRecord[]> {
  const rows = await q.all<CaseRow>(
    `SELECT * FROM cases WHERE unit_id = ? AND status IN (${statuses.map(() => '?').join(', ')}) ORDER BY dispatched_at, number LIMIT ?`,
    [unitId, ...statuses, limit],
  );
  return rows.map(caseFromRow);
}

/** Whether a new case would clash: its id exists, or its number is taken (one query). */
export async function caseClash(q: Queryable, id: string, number: string): Promise<'id' | 'number' | null> {
  const row = await q.get<{ id: string }>('SELECT id FROM cases WHERE id = ? OR number = ? LIMIT 1', [id, number]);
  if (!row) return null;
  return row.id === id ? 'id' : 'number';
}

const EVENT_COLUMNS = ['id', 'case_id', 'at', 'actor', 'station', 'kind', 'data'] as const;

/** Timeline events also go to `case_events` (the audit trail the rates are computed from), with the transaction's other rows. */
function addEvents(rec: ChangeRecorder, caseId: string, events: readonly TimelineEvent[]): void {
  for (const e of events) {
    rec.insertLater('case_events', EVENT_COLUMNS, [
      timeOrderedUuid(e.at),
      caseId,
      e.at,
      e.actor,
      e.station,
      e.kind,
      JSON.stringify({ actorKind: e.actorKind, note: e.note, ...e.data }),
    ]);
  }
}

/** Inserts a case, its first timeline events and its change-log entries. */
export async function insertCase(q: Queryable, rec: ChangeRecorder, record: CaseRecord): Promise<void> {
  await q.run(INSERT_SQL, rowValues(record));
  addEvents(rec, record.id, record.timeline);
  await rec.put('case', record.id, record, { isNew: true });
}

/**
 * Stores the next state of a case: its row, the events appended to its timeline since `before`,
 * and the change in every scope that holds it now (a tombstone in those it left).
 */
export async function saveCase(q: Queryable, rec: ChangeRecorder, before: CaseRecord, after: CaseRecord): Promise<void> {
  await q.run(UPDATE_SQL, [...rowValues(after).slice(1), after.id]);
  addEvents(rec, after.id, after.timeline.slice(before.timeline.length));
  await rec.put('case', after.id, after);
}

export async function caseEvents(q: Queryable, caseId: string): Promise<{ at: number; actor: string; station: string | null; kind: string }[]> {
  const rows = await q.all<{ at: number; actor: string; station: string | null; kind: string }>(
    'SELECT at, actor, station, kind FROM case_events WHERE case_id = ? ORDER BY at',
    [caseId],
  );
  return rows.map((r) => ({ ...r, at: Number(r.at as unknown) }));
}

/** How far back the server's text search reads a team's cases (a scan, bounded by team and time). */
export const TEXT_SEARCH_YEARS = 2;

/**
 * The server's search over cases beyond the workstations' caches, newest first: by case number,
 * by the digits of the caller's number (indexed), or by words of the address or description
 * (a scan of the team's cases of the last TEXT_SEARCH_YEARS years). `team` null: every team.
 */
export async function searchCases(
  q: Queryable,
  query: { text: string; team: string | null; limit: number; now: number },
): Promise<{ cases: CaseRecord[]; matchedBy: 'number' | 'phone' | 'text' }> {
  const text = query.text.trim();
  const teamSql = query.team === null ? '' : ' AND team = ?';
  const teamArgs = query.team === null ? [] : [query.team];
  if (/^[ST]\d{4}-\d{6,9}$/i.test(text)) {
    const rows = await q.all<CaseRow>(`SELECT * FROM cases WHERE number = ?${teamSql}`, [text.toUpperCase(), ...teamArgs]);
    return { cases: rows.map(caseFromRow), matchedBy: 'number' };
  }
  const digits = digitsOf(text);
  if (/^[\s\d+\-().（）０-９－＋]+$/u.test(text) && digits.length >= 7) {
    const rows = await q.all<CaseRow>(`SELECT * FROM cases WHERE phone_digits = ?${teamSql} ORDER BY created_at DESC LIMIT ?`, [digits, ...teamArgs, query.limit]);
    return { cases: rows.map(caseFromRow), matchedBy: 'phone' };
  }
  const like = `%${text.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
  const since = query.now - TEXT_SEARCH_YEARS * 365 * 24 * 3_600_000;
  const rows = await q.all<CaseRow>(
    `SELECT * FROM cases WHERE created_at >= ?${teamSql} AND (address LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')
     ORDER BY created_at DESC LIMIT ?`,
    [since, ...teamArgs, like, like, query.limit],
  );
  return { cases: rows.map(caseFromRow), matchedBy: 'text' };
}
