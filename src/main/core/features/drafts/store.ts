import { prep, type LocalDb } from '../../store/db';
import { DraftFields, type Draft } from '../../../../shared/domain/draft';

interface DraftRow {
  id: string;
  fields: string;
  created_at: number;
  updated_at: number;
}

function toDraft(row: DraftRow): Draft | undefined {
  const fields = DraftFields.safeParse(JSON.parse(row.fields));
  return fields.success ? { id: row.id, fields: fields.data, createdAt: row.created_at, updatedAt: row.updated_at } : undefined;
}

/** Writes a draft (a new one, or the next state of one of this user's). */
export function saveDraft(db: LocalDb, userId: string, id: string, fields: DraftFields, now: number): Draft {
  prep(
    db,
    `INSERT INTO drafts (id, user_id, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at WHERE drafts.user_id = excluded.user_id`,
  ).run(id, userId, JSON.stringify(fields), now, now);
  const saved = getDraft(db, userId, id);
  if (!saved) throw new Error(`draft ${id} belongs to another user`);
  return saved;
}

export function getDraft(db: LocalDb, userId: string, id: string): Draft | undefined {
  const row = prep(db, 'SELECT * FROM drafts WHERE id = ? AND user_id = ?').get(id, userId) as DraftRow | undefined;
  return row ? toDraft(row) : undefined;
}

export function listDrafts(db: LocalDb, userId: string): Draft[] {
  const rows = prep(db, 'SELECT * FROM drafts WHERE user_id = ? ORDER BY updated_at DESC').all(userId) as DraftRow[];
  return rows.map(toDraft).filter((d): d is Draft => d !== undefined);
}

export function deleteDraft(db: LocalDb, userId: string, id: string): boolean {
  return prep(db, 'DELETE FROM drafts WHERE id = ? AND user_id = ?').run(id, userId).changes > 0;
}
