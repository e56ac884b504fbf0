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
  unit_id: string | null;
  sign_by: number | null;
  reply_by: number | null;
  detail: string | null;
}

function toView(row: CaseRow): CaseView {
  const detail = row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : {};
  return CaseView.parse({
    ...detail,
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
    unitId: row.unit_id,
    signBy: row.sign_by,
    replyBy: row.reply_by,
    pending: row.pending === 1,
  });
}

/** The lifecycle facts kept as JSON (those the workstation filters by have columns). */
function detailOf(r: CaseRecord): string {
  return JSON.stringify({
    slaClass: r.slaClass,
    districtCode: r.districtCode,
    streetCode: r.streetCode,
    dispatchedAt: r.dispatchedAt,
    acceptedAt: r.acceptedAt,
    repliedAt: r.repliedAt,
    closedAt: r.closedAt,
    mergedInto: r.mergedInto,
    answer: r.answer,
    reply: r.reply,
    evaluation: r.evaluation,
    returnReason: r.returnReason,
    answers: r.answers,
    dispatchCount: r.dispatchCount,
    reopenCount: r.reopenCount,
    timeline: r.timeline,
  });
}

export function putCaseView(db: LocalDb, record: CaseRecord, pending: boolean): void {
  prep(
    db,
    `INSERT OR REPLACE INTO cases (id, number, status, channel, caller_phone, caller_name, category_code, address, description,
       created_by, team, station, created_at, updated_at, assignee, rev, pending, unit_id, sign_by, reply_by, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    record.unitId,
    record.signBy,
    record.replyBy,
    detailOf(record),
  );
}

export function deleteCaseView(db: LocalDb, id: string): void {
  prep(db, 'DELETE FROM cases WHERE id = ?').run(id);
}

export function getCaseView(db: LocalDb, id: string): CaseView | undefined {
  const row = prep(db, 'SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
  return row ? toView(row) : undefined;
}

export function getCaseViewByNumber(db: LocalDb, number: string): CaseView | undefined {
  const row = prep(db, 'SELECT * FROM cases WHERE number = ?').get(number) as CaseRow | undefined;
  return row ? toView(row) : undefined;
}

/** "Mine": cases the user registered or holds now; otherwise the team's. */
export function listCases(db: LocalDb, filter: { mine?: string; team?: string; limit: number }): CaseView[] {
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
export function listCallbackQueue(db: LocalDb, team: string, limit: number): CaseView[] {
  const rows = prep(db, "SELECT * FROM cases WHERE team = ? AND status = 'replied' ORDER BY updated_at, number LIMIT ?").all(team, limit);
  return (rows as CaseRow[]).map(toView);
}

/** The team's cases out with a unit (or handed back), soonest reply deadline first. */
export function listWithUnits(db: LocalDb, team: string, limit: number): CaseView[] {
  const rows = prep(
    db,
    "SELECT * FROM cases WHERE team = ? AND status IN ('dispatched', 'accepted', 'returned') ORDER BY reply_by IS NULL, reply_by, number LIMIT ?",
  ).all(team, limit);
  return (rows as CaseRow[]).map(toView);
}
