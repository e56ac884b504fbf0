import { prep, type LocalDb } from '../../store/db';
import { caseDetailJson, caseFromColumns, type CaseRecord } from '../../../../shared/domain/case';
import { caseColumnsOf, fromColumn, toColumn } from '../../../../shared/domain/case-columns';

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

const PUT_SQL = `INSERT OR REPLACE INTO cases (${COLUMNS.map((c) => c.column).join(', ')}, pending, detail)
  VALUES (${COLUMNS.map(() => '?').join(', ')}, ?, ?)`;

export function putCaseView(db: LocalDb, record: CaseRecord, pending: boolean): void {
  prep(db, PUT_SQL).run(...COLUMNS.map((c) => toColumn(c, record)), pending ? 1 : 0, caseDetailJson(record, COLUMN_KEYS));
}

export function clearCases(db: LocalDb): void {
  prep(db, 'DELETE FROM cases').run();
}

export function deleteCaseView(db: LocalDb, id: string): void {
  prep(db, 'DELETE FROM cases WHERE id = ?').run(id);
}

export function getCaseView(db: LocalDb, id: string): StoredCase | undefined {
  const row = prep(db, 'SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
  return row ? toView(row) : undefined;
}

export function getCaseViewByNumber(db: LocalDb, number: string): StoredCase | undefined {
  const row = prep(db, 'SELECT * FROM cases WHERE number = ?').get(number) as CaseRow | undefined;
  return row ? toView(row) : undefined;
}

/** "Mine": cases the user registered or holds now; otherwise the team's. */
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

/** The team's replied cases waiting for the citizen to be called back, oldest reply first. */
export function listCallbackQueue(db: LocalDb, team: string, limit: number): StoredCase[] {
  const rows = prep(db, "SELECT * FROM cases WHERE team = ? AND status = 'replied' ORDER BY updated_at, number LIMIT ?").all(team, limit);
  return (rows as CaseRow[]).map(toView);
}

/** The team's cases out with a unit (or handed back), soonest reply deadline first. */
export function listWithUnits(db: LocalDb, team: string, limit: number): StoredCase[] {
  const rows = prep(
    db,
    "SELECT * FROM cases WHERE team = ? AND status IN ('dispatched', 'accepted', 'returned') ORDER BY reply_by IS NULL, reply_by, number LIMIT ?",
  ).all(team, limit);
  return (rows as CaseRow[]).map(toView);
}
