import type { LocalDb } from './db';
import type { Rejection } from '../../../shared/contract/contract';

export function addRejection(db: LocalDb, r: Rejection): void {
  db.prepare(
    'INSERT OR REPLACE INTO rejections (mutation_id, name, case_number, code, message, at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(r.mutationId, r.name, r.caseNumber, r.code, r.message, r.at);
}

export function listRejections(db: LocalDb): Rejection[] {
  const rows = db.prepare('SELECT * FROM rejections ORDER BY at DESC').all() as {
    mutation_id: string;
    name: string;
    case_number: string | null;
    code: string;
    message: string;
    at: number;
  }[];
  return rows.map((r) => ({ mutationId: r.mutation_id, name: r.name, caseNumber: r.case_number, code: r.code, message: r.message, at: r.at }));
}

export function dismissRejection(db: LocalDb, mutationId: string): void {
  db.prepare('DELETE FROM rejections WHERE mutation_id = ?').run(mutationId);
}
