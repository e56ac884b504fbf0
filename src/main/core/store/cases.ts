import { prep, type LocalDb } from './db';
import { CaseView, type CaseRecord } from '../../../shared/domain/case';

interface CaseRow {
  id: string;
  number: string;
  status: string;
  channel: string;
  caller_phone: string;
  caller_name: string;
  category_code: string;
  address: string;
  description: string;
  created_by: string;
  team: string;
  station: string;
  created_at: number;
  updated_at: number;
  assignee: string | null;
  rev: number;
  pending: number;
}

function toView(row: CaseRow): CaseView {
  return CaseView.parse({
    id: row.id,
    number: row.number,
    status: row.status,
    channel: row.channel,
    callerPhone: row.caller_phone,
    callerName: row.caller_name,
    categoryCode: row.category_code,
    address: row.address,
    description: row.description,
    createdBy: row.created_by,
    team: row.team,
    station: row.station,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    assignee: row.assignee,
    rev: row.rev,
    pending: row.pending === 1,
  });
}

export function putCaseView(db: LocalDb, record: CaseRecord, pending: boolean): void {
  prep(db, 
    `INSERT OR REPLACE INTO cases (id, number, status, channel, caller_phone, caller_name, category_code, address, description,
       created_by, team, station, created_at, updated_at, assignee, rev, pending)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    record.id,
    record.number,
    record.status,
    record.channel,
    record.callerPhone,
    record.callerName,
    record.categoryCode,
    record.address,
    record.description,
    record.createdBy,
    record.team,
    record.station,
    record.createdAt,
    record.updatedAt,
    record.assignee,
    record.rev,
    pending ? 1 : 0,
  );
}

export function deleteCaseView(db: LocalDb, id: string): void {
  prep(db, 'DELETE FROM cases WHERE id = ?').run(id);
}

export function getCaseView(db: LocalDb, id: string): CaseView | undefined {
  const row = prep(db, 'SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
  return row ? toView(row) : undefined;
}

/** "Mine": cases the user registered or holds now; otherwise the team's. */
export function listCases(db: LocalDb, filter: { mine?: string; team?: string; limit: number }): CaseView[] {
  const rows = filter.mine
    ? prep(db, 'SELECT * FROM cases WHERE created_by = ? OR assignee = ? ORDER BY created_at DESC, number DESC LIMIT ?')
        .all(filter.mine, filter.mine, filter.limit)
    : prep(db, 'SELECT * FROM cases WHERE team = ? ORDER BY created_at DESC, number DESC LIMIT ?').all(filter.team ?? '', filter.limit);
  return (rows as CaseRow[]).map(toView);
}
