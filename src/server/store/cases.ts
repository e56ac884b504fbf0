import crypto from 'node:crypto';
import type { Queryable } from '../db/driver';
import { CaseRecord } from '../../shared/domain/case';
import type { ChangeRecorder } from './changes';

export const teamScope = (team: string) => `team:${team}`;
export const userScope = (userId: string) => `user:${userId}`;

/** The sync scopes a case belongs to: its team, whoever registered it, whoever holds it. */
export function caseScopes(record: CaseRecord): string[] {
  const scopes = [teamScope(record.team), userScope(record.createdBy)];
  if (record.assignee) scopes.push(userScope(record.assignee));
  return [...new Set(scopes)];
}

interface CaseRow extends Record<string, unknown> {
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
}

function toRecord(row: CaseRow): CaseRecord {
  return CaseRecord.parse({
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
  });
}

export async function findCase(q: Queryable, id: string): Promise<CaseRecord | undefined> {
  const row = await q.get<CaseRow>('SELECT * FROM cases WHERE id = ?', [id]);
  return row ? toRecord(row) : undefined;
}

/** Whether a new case would clash: its id exists, or its number is taken (one query). */
export async function caseClash(q: Queryable, id: string, number: string): Promise<'id' | 'number' | null> {
  const row = await q.get<{ id: string }>('SELECT id FROM cases WHERE id = ? OR number = ? LIMIT 1', [id, number]);
  if (!row) return null;
  return row.id === id ? 'id' : 'number';
}

export interface Actor {
  userId: string;
  station: string | null;
}

const EVENT_COLUMNS = ['id', 'case_id', 'at', 'actor', 'station', 'kind', 'data'] as const;

/** A timeline event; written with the transaction's other rows when it finishes. */
function addEvent(rec: ChangeRecorder, caseId: string, at: number, actor: Actor, kind: string, data: unknown): void {
  rec.insertLater('case_events', EVENT_COLUMNS, [crypto.randomUUID(), caseId, at, actor.userId, actor.station, kind, JSON.stringify(data)]);
}

/** Inserts a case, its first timeline event and its change-log entries. */
export async function insertCase(q: Queryable, rec: ChangeRecorder, record: CaseRecord, actor: Actor): Promise<void> {
  await q.run(
    `INSERT INTO cases (id, number, status, channel, caller_phone, caller_name, category_code, address, description,
       created_by, team, station, created_at, updated_at, assignee, rev)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
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
    ],
  );
  addEvent(rec, record.id, record.updatedAt, actor, 'registered', { status: record.status, channel: record.channel });
  await rec.put('case', record.id, caseScopes(record), record, true);
}

/** Hands the case to `assignee`, bumps its revision, logs the event and the change. */
export async function assignCase(
  q: Queryable,
  rec: ChangeRecorder,
  current: CaseRecord,
  assignee: string,
  actor: Actor,
  now: number,
): Promise<CaseRecord> {
  const next: CaseRecord = { ...current, assignee, rev: current.rev + 1, updatedAt: now };
  await q.run('UPDATE cases SET assignee = ?, rev = ?, updated_at = ? WHERE id = ?', [assignee, next.rev, now, current.id]);
  addEvent(rec, current.id, now, actor, 'reassigned', { from: current.assignee, to: assignee });
  await rec.put('case', current.id, caseScopes(next), next);
  return next;
}

export async function caseEvents(q: Queryable, caseId: string): Promise<{ at: number; actor: string; station: string | null; kind: string }[]> {
  return q.all<{ at: number; actor: string; station: string | null; kind: string }>(
    'SELECT at, actor, station, kind FROM case_events WHERE case_id = ? ORDER BY at',
    [caseId],
  );
}
