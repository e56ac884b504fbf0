import type { LocalDb } from './db';
import type { Entity } from '../../../shared/sync/protocol';

export function putConfirmed(db: LocalDb, entity: Entity, id: string, version: number, data: unknown): void {
  db.prepare('INSERT OR REPLACE INTO confirmed (entity, id, version, data) VALUES (?, ?, ?, ?)').run(entity, id, version, JSON.stringify(data));
}

export function deleteConfirmed(db: LocalDb, entity: Entity, id: string): void {
  db.prepare('DELETE FROM confirmed WHERE entity = ? AND id = ?').run(entity, id);
}

export function getConfirmed(db: LocalDb, entity: Entity, id: string): unknown {
  const row = db.prepare('SELECT data FROM confirmed WHERE entity = ? AND id = ?').get(entity, id) as { data: string } | undefined;
  return row ? (JSON.parse(row.data) as unknown) : undefined;
}
