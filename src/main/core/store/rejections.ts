import { prep, type LocalDb } from './db';
import type { Rejection } from '../../../shared/contract/contract';
import { MutationName } from '../../../shared/sync/mutations';

interface RejectionRow {
  mutation_id: string;
  name: string;
  case_number: string | null;
  code: string;
  message: string;
  at: number;
  mutation_name: string | null;
  mutation_args: string | null;
  current: string | null;
}

export interface StoredRejection extends Rejection {
  /** For redoable ones: what was refused and the state it met. */
  mutation?: { name: MutationName; args: unknown };
  current?: unknown;
}

/** Rejections belong to the operator whose mutation was refused; only they are shown it. */
export function addRejection(db: LocalDb, userId: string, r: StoredRejection): void {
  prep(db, 
    `INSERT OR REPLACE INTO rejections (mutation_id, user_id, name, case_number, code, message, at, mutation_name, mutation_args, current)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.mutationId,
    userId,
    r.name,
    r.caseNumber,
    r.code,
    r.message,
    r.at,
    r.redoable && r.mutation ? r.mutation.name : null,
    r.redoable && r.mutation ? JSON.stringify(r.mutation.args) : null,
    r.current === undefined ? null : JSON.stringify(r.current),
  );
}

function toRejection(r: RejectionRow): StoredRejection {
  const name = MutationName.safeParse(r.mutation_name);
  const base: StoredRejection = {
    mutationId: r.mutation_id,
    name: r.name,
    caseNumber: r.case_number,
    code: r.code,
    message: r.message,
    at: r.at,
    redoable: name.success && r.mutation_args !== null,
  };
  if (name.success && r.mutation_args !== null) base.mutation = { name: name.data, args: JSON.parse(r.mutation_args) as unknown };
  if (r.current !== null) base.current = JSON.parse(r.current) as unknown;
  return base;
}

export function listRejections(db: LocalDb, userId: string): Rejection[] {
  const rows = prep(db, 'SELECT * FROM rejections WHERE user_id = ? ORDER BY at DESC').all(userId) as RejectionRow[];
  return rows.map(toRejection).map(({ mutation: _m, current: _c, ...r }) => r);
}

export function getRejection(db: LocalDb, userId: string, mutationId: string): StoredRejection | undefined {
  const row = prep(db, 'SELECT * FROM rejections WHERE user_id = ? AND mutation_id = ?').get(userId, mutationId) as RejectionRow | undefined;
  return row ? toRejection(row) : undefined;
}

export function dismissRejection(db: LocalDb, userId: string, mutationId: string): void {
  prep(db, 'DELETE FROM rejections WHERE mutation_id = ? AND user_id = ?').run(mutationId, userId);
}
