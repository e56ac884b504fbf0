import { prep, type LocalDb } from '../../store/db';
import { caseDetailJson, caseFromColumns, type CaseRecord } from '../../../../shared/domain/case';
import { caseColumnsOf, fromColumn, toColumn } from '../../../../shared/domain/case-columns';
import { caseSearchKeys } from '../../store/case-search-keys';
import { OPEN_STATUSES } from '../../../../shared/domain/lifecycle';
import { compareQueue } from '../../../../shared/domain/queue';
import type { SlaPolicy } from '../../../../shared/reference/sla';

/** Columns of the `cases` view table and the record field each holds; the rest goes to `detail`. */
const COLUMNS = caseColumnsOf('local');
const COLUMN_KEYS: ReadonlySet<string> = new Set(COLUMNS.map((c) => c.key));

type CaseRow = Record<string, unknown> & { pending: number; detail: string | null };

/** A case in the view table: confirmed state with this workstation's pending changes, and whether there are any. */
export type StoredCase = CaseRecord & { pending: boolean };

function toView(row: CaseRow): StoredCase {
  const record = caseFromColumns(Object.fromEntries(COLUMNS.map((c) => [c.key, fromColumn(c, row[c.column])])), row.detail);
  return { ...record, pending: row.pending === 1 };
}

// An upsert keeps the row's rowid, which is its row in the full-text index (`case_search`).
const WRITTEN = [...COLUMNS.map((c) => c.column), 'pending', 'detail', 'phone_digits', 'phone_rev', 'number_rev'];
const PUT_SQL = `INSERT INTO cases (${WRITTEN.join(', ')}) VALUES (${WRITTEN.map(() => '?').join(', ')})
  ON CONFLICT (id) DO UPDATE SET ${WRITTEN.slice(1)
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')}
  RETURNING rowid`;

/**
 * Writes a case's view row and keeps its search entries in step: the phone and number keys in the
 * row, the text in `case_search` (rewritten only when the searchable text changed).
 */
export function putCaseView(db: LocalDb, record: CaseRecord, pending: boolean): void {
  // A number belongs to one case: another row holding it (a local case the server refused as a
  // clash) gives way, as the confirmed state decides.
  const clash = prep(db, 'SELECT rowid FROM cases WHERE number = ? AND id <> ?').get(record.number, record.id) as { rowid: number } | undefined;
  if (clash) deleteRow(db, clash.rowid);
  const before = prep(db, 'SELECT number, caller_name, caller_phone, address, description, detail FROM cases WHERE id = ?').get(record.id) as
    | { number: string; caller_name: string; caller_phone: string; address: string; description: string; detail: string | null }
    | undefined;
  const keys = caseSearchKeys(record);
  const detail = caseDetailJson(record, COLUMN_KEYS);
  const { rowid } = prep(db, PUT_SQL).get(...COLUMNS.map((c) => toColumn(c, record)), pending ? 1 : 0, detail, keys.phoneDigits, keys.phoneRev, keys.numberRev) as {
    rowid: number;
  };
  const unchanged =
    before !== undefined &&
    before.number === record.number &&
    before.caller_name === record.callerName &&
    before.caller_phone === record.callerPhone &&
    before.address === record.address &&
    before.description === record.description &&
    (before.detail === null ? null : ((JSON.parse(before.detail) as { callbackPhone?: string | null }).callbackPhone ?? null)) === record.callbackPhone;
  if (!unchanged) prep(db, 'INSERT OR REPLACE INTO case_search (rowid, body) VALUES (?, ?)').run(rowid, keys.body);
}

function deleteRow(db: LocalDb, rowid: number): void {
  prep(db, 'DELETE FROM case_search WHERE rowid = ?').run(rowid);
  prep(db, 'DELETE FROM cases WHERE rowid = ?').run(rowid);
}

export function clearCases(db: LocalDb): void {
  prep(db, 'DELETE FROM case_search').run();
  prep(db, 'DELETE FROM cases').run();
}

export function deleteCaseView(db: LocalDb, id: string): void {
  const row = prep(db, 'SELECT rowid FROM cases WHERE id = ?').get(id) as { rowid: number } | undefined;
  if (row) deleteRow(db, row.rowid);
}

export function getCaseView(db: LocalDb, id: string): StoredCase | undefined {
  const row = prep(db, 'SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
  return row ? toView(row) : undefined;
}

export function getCaseViewByRowid(db: LocalDb, rowid: number): StoredCase | undefined {
  const row = prep(db, 'SELECT * FROM cases WHERE rowid = ?').get(rowid) as CaseRow | undefined;
  return row ? toView(row) : undefined;
}

export function getCaseViewByNumber(db: LocalDb, number: string): StoredCase | undefined {
  const row = prep(db, 'SELECT * FROM cases WHERE number = ?').get(number) as CaseRow | undefined;
  return row ? toView(row) : undefined;
}

/** How many cases a queue reads before ordering them (a user's or team's open cases: tens, at worst hundreds). */
const QUEUE_SCAN = 2000;

const OPEN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

function queue(rows: unknown[], policy: SlaPolicy | null, limit: number): StoredCase[] {
  return (rows as CaseRow[]).map(toView).sort(compareQueue(policy)).slice(0, limit);
}

/** Every case the user registered or holds now (`mine`), or the team's, newest first. */
export function listCases(db: LocalDb, filter: { mine?: string; team?: string; limit: number }): StoredCase[] {
  const rows = filter.mine
    ? prep(db, 'SELECT * FROM cases WHERE created_by = ? OR assignee = ? ORDER BY created_at DESC, number DESC LIMIT ?').all(
        filter.mine,
        filter.mine,
        filter.limit,
      )
    : prep(db, 'SELECT * FROM cases WHERE team = ? ORDER BY created_at DESC, number DESC LIMIT ?').all(filter.team ?? '', filter.limit);
  return (rows as CaseRow[]).map(toView);
}

/** "Mine": the open cases the user registered or holds now, in queue order (most urgent, then the soonest deadline of their state). */
export function listMyOpenCases(db: LocalDb, userId: string, policy: SlaPolicy | null, limit: number): StoredCase[] {
  const rows = prep(db, `SELECT * FROM cases WHERE (created_by = ? OR assignee = ?) AND status IN (${OPEN_SQL}) LIMIT ?`).all(userId, userId, QUEUE_SCAN);
  return queue(rows, policy, limit);
}

/**
 * The team's replied cases waiting for the citizen to be called back, in queue order: the most
 * urgent first, then the one due first (after the reply, or the retry an unanswered call set,
 * inside the window the citizen asked for).
 */
export function listCallbackQueue(db: LocalDb, team: string, policy: SlaPolicy | null, limit: number): StoredCase[] {
  const rows = prep(db, "SELECT * FROM cases WHERE team = ? AND status = 'replied' LIMIT ?").all(team, QUEUE_SCAN);
  return queue(rows, policy, limit);
}

/** The team's cases out with a unit (or handed back), in queue order (sign, reply or re-dispatch deadline). */
export function listWithUnits(db: LocalDb, team: string, policy: SlaPolicy | null, limit: number): StoredCase[] {
  const rows = prep(db, "SELECT * FROM cases WHERE team = ? AND status IN ('dispatched', 'accepted', 'returned') LIMIT ?").all(team, QUEUE_SCAN);
  return queue(rows, policy, limit);
}

/** The team's cases a unit handed back, waiting to be dispatched again, in queue order. */
export function listReturned(db: LocalDb, team: string, policy: SlaPolicy | null, limit: number): StoredCase[] {
  const rows = prep(db, "SELECT * FROM cases WHERE team = ? AND status = 'returned' LIMIT ?").all(team, QUEUE_SCAN);
  return queue(rows, policy, limit);
}
