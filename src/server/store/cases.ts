import crypto from 'node:crypto';
import type { Queryable } from '../db/driver';
import { CaseRecord } from '../../shared/domain/case';
import { recordChange } from './changes';

export const teamScope = (team: string) => `team:${team}`;

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
  });
}

export async function findCase(q: Queryable, id: string): Promise<CaseRecord | undefined> {
  const row = await q.get<CaseRow>('SELECT * FROM cases WHERE id = ?', [id]);
  return row ? toRecord(row) : undefined;
}

export async function caseNumberTaken(q: Queryable, number: string): Promise<boolean> {
  return (await q.get('SELECT id FROM cases WHERE number = ?', [number])) !== undefined;
}

/** Inserts a case, its first timeline event and its change-log entry; returns the version. */
export async function insertCase(q: Queryable, record: CaseRecord, actor: { userId: string; station: string }): Promise<number> {
  const version = await recordChange(q, { entity: 'case', id: record.id, scope: teamScope(record.team), data: record });
  await q.run(
    `INSERT INTO cases (id, number, status, channel, caller_phone, caller_name, category_code, address, description,
       created_by, team, station, created_at, updated_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      version,
    ],
  );
  await q.run('INSERT INTO case_events (id, case_id, at, actor, station, kind, data) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    crypto.randomUUID(),
    record.id,
    record.updatedAt,
    actor.userId,
    actor.station,
    'registered',
    JSON.stringify({ status: record.status, channel: record.channel }),
  ]);
  return version;
}

export async function caseEvents(q: Queryable, caseId: string): Promise<{ at: number; actor: string; station: string | null; kind: string }[]> {
  const rows = await q.all<{ at: number; actor: string; station: string | null; kind: string }>(
    'SELECT at, actor, station, kind FROM case_events WHERE case_id = ? ORDER BY at',
    [caseId],
  );
  return rows.map((r) => ({ ...r, at: r.at }));
}
