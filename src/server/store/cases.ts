import crypto from 'node:crypto';
import type { Queryable, SqlValue } from '../db/driver';
import { CaseRecord, type TimelineEvent } from '../../shared/domain/case';
import type { ChangeRecorder } from './changes';

export const teamScope = (team: string) => `team:${team}`;
export const userScope = (userId: string) => `user:${userId}`;

/** The sync scopes a case belongs to: its team, whoever registered it, whoever holds it. */
export function caseScopes(record: CaseRecord): string[] {
  const scopes = [teamScope(record.team), userScope(record.createdBy)];
  if (record.assignee) scopes.push(userScope(record.assignee));
  return [...new Set(scopes)];
}

/** Columns of `cases` and how each is read from a record; lifecycle facts nobody queries by go to `detail`. */
const COLUMNS: readonly (readonly [string, (r: CaseRecord) => SqlValue])[] = [
  ['id', (r) => r.id],
  ['number', (r) => r.number],
  ['status', (r) => r.status],
  ['channel', (r) => r.channel],
  ['caller_phone', (r) => r.callerPhone],
  ['caller_name', (r) => r.callerName],
  ['category_code', (r) => r.categoryCode],
  ['address', (r) => r.address],
  ['description', (r) => r.description],
  ['created_by', (r) => r.createdBy],
  ['team', (r) => r.team],
  ['station', (r) => r.station],
  ['created_at', (r) => r.createdAt],
  ['updated_at', (r) => r.updatedAt],
  ['assignee', (r) => r.assignee],
  ['rev', (r) => r.rev],
  ['sla_class', (r) => r.slaClass],
  ['district_code', (r) => r.districtCode],
  ['street_code', (r) => r.streetCode],
  ['unit_id', (r) => r.unitId],
  ['dispatched_at', (r) => r.dispatchedAt],
  ['sign_by', (r) => r.signBy],
  ['reply_by', (r) => r.replyBy],
  ['closed_at', (r) => r.closedAt],
  ['merged_into', (r) => r.mergedInto],
  [
    'detail',
    (r) =>
      JSON.stringify({
        acceptedAt: r.acceptedAt,
        repliedAt: r.repliedAt,
        answer: r.answer,
        reply: r.reply,
        evaluation: r.evaluation,
        returnReason: r.returnReason,
        answers: r.answers,
        dispatchCount: r.dispatchCount,
        reopenCount: r.reopenCount,
        timeline: r.timeline,
      }),
  ],
];

const INSERT_SQL = `INSERT INTO cases (${COLUMNS.map(([c]) => c).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;
const UPDATE_SQL = `UPDATE cases SET ${COLUMNS.slice(1)
  .map(([c]) => `${c} = ?`)
  .join(', ')} WHERE id = ?`;

export interface CaseRow extends Record<string, unknown> {
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
  sla_class: string | null;
  district_code: string | null;
  street_code: string | null;
  unit_id: string | null;
  dispatched_at: number | null;
  sign_by: number | null;
  reply_by: number | null;
  closed_at: number | null;
  merged_into: string | null;
  detail: string | null;
}

/** BIGINT columns come back as strings from some drivers; cases hold epoch ms, well within 2^53. */
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function caseFromRow(row: CaseRow): CaseRecord {
  const detail = row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : {};
  return CaseRecord.parse({
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
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
    assignee: row.assignee,
    rev: num(row.rev),
    slaClass: row.sla_class,
    districtCode: row.district_code,
    streetCode: row.street_code,
    unitId: row.unit_id,
    dispatchedAt: num(row.dispatched_at),
    signBy: num(row.sign_by),
    replyBy: num(row.reply_by),
    closedAt: num(row.closed_at),
    mergedInto: row.merged_into,
  });
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
      crypto.randomUUID(),
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
  await q.run(
    INSERT_SQL,
    COLUMNS.map(([, get]) => get(record)),
  );
  addEvents(rec, record.id, record.timeline);
  await rec.put('case', record.id, caseScopes(record), record, true);
}

/**
 * Stores the next state of a case: its row, the events appended to its timeline since `before`,
 * and the change in every scope that holds it now (a tombstone in those it left).
 */
export async function saveCase(q: Queryable, rec: ChangeRecorder, before: CaseRecord, after: CaseRecord): Promise<void> {
  const values = COLUMNS.slice(1).map(([, get]) => get(after));
  await q.run(UPDATE_SQL, [...values, after.id]);
  addEvents(rec, after.id, after.timeline.slice(before.timeline.length));
  await rec.put('case', after.id, caseScopes(after), after);
}

export async function caseEvents(q: Queryable, caseId: string): Promise<{ at: number; actor: string; station: string | null; kind: string }[]> {
  const rows = await q.all<{ at: number; actor: string; station: string | null; kind: string }>(
    'SELECT at, actor, station, kind FROM case_events WHERE case_id = ? ORDER BY at',
    [caseId],
  );
  return rows.map((r) => ({ ...r, at: Number(r.at as unknown) }));
}
