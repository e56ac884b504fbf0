import type { LocalDb } from './db';
import type { Rejection } from '../../../shared/contract/contract';

/** Rejections belong to the operator whose mutation was refused; only they are shown it. */
export function addRejection(db: LocalDb, userId: string, r: Rejection): void {
  db.prepare(
    'INSERT OR REPLACE INTO rejections (mutation_id, user_id, name, case_number, code, message, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(r.mutationId, userId, r.name, r.caseNumber, r.code, r.message, r.at);
}

export function listRejections(db: LocalDb, userId: string): Rejection[] {
  const rows = db.prepare('SELECT * FROM rejections WHERE user_id = ? ORDER BY at DESC').all(userId) as {
    mutation_id: string;
    name: string;
    case_number: string | null;
    code: string;
    message: string;
    at: number;
  }[];
  return rows.map((r) => ({ mutationId: r.mutation_id, name: r.name, caseNumber: r.case_number, code: r.code, message: r.message, at: r.at }));
}

export function dismissRejection(db: LocalDb, userId: string, mutationId: string): void {
  db.prepare('DELETE FROM rejections WHERE mutation_id = ? AND user_id = ?').run(mutationId, userId);
}
