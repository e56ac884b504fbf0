import { prep, type LocalDb } from './db';
import type { EntityName as Entity } from '../../../shared/sync/entities';

/** Stores an entity's state in one scope unless a newer version of it is already there. */
export function putConfirmed(db: LocalDb, entity: Entity, id: string, scope: string, version: number, data: unknown): void {
  prep(db, 
    `INSERT INTO confirmed (entity, id, scope, version, data) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (entity, id, scope) DO UPDATE SET version = excluded.version, data = excluded.data WHERE excluded.version > confirmed.version`,
  ).run(entity, id, scope, version, JSON.stringify(data));
}

export function deleteConfirmed(db: LocalDb, entity: Entity, id: string, scope: string, version: number): void {
  prep(db, 'DELETE FROM confirmed WHERE entity = ? AND id = ? AND scope = ? AND version < ?').run(entity, id, scope, version);
}

/** The entity as confirmed: its newest state among the scopes that hold it; undefined when none does. */
export function getConfirmed(db: LocalDb, entity: Entity, id: string): unknown {
  const row = prep(db, 'SELECT data FROM confirmed WHERE entity = ? AND id = ? ORDER BY version DESC LIMIT 1').get(entity, id) as
    | { data: string }
    | undefined;
  return row ? (JSON.parse(row.data) as unknown) : undefined;
}

/** The newest version any scope holds of the entity (0 when none). */
export function confirmedVersion(db: LocalDb, entity: Entity, id: string): number {
  const row = prep(db, 'SELECT MAX(version) AS v FROM confirmed WHERE entity = ? AND id = ?').get(entity, id) as { v: number | null };
  return row.v ?? 0;
}

export function getCursors(db: LocalDb): Record<string, number> {
  const rows = prep(db, 'SELECT scope, version FROM cursors').all() as { scope: string; version: number }[];
  return Object.fromEntries(rows.map((r) => [r.scope, r.version]));
}

/** Moves cursors forward (never back: a poke may have taken one further than a slower pull). */
export function advanceCursors(db: LocalDb, cursors: Record<string, number>): void {
  const stmt = prep(db, 
    'INSERT INTO cursors (scope, version) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET version = MAX(version, excluded.version)',
  );
  for (const [scope, version] of Object.entries(cursors)) stmt.run(scope, version);
}

/** Forgets everything pulled (scopes changed), the entities' view tables with it; the outbox stays. */
export function clearSynced(db: LocalDb, views: Readonly<Record<string, { clear(db: LocalDb): void }>>): void {
  db.exec('DELETE FROM confirmed; DELETE FROM cursors;');
  for (const view of Object.values(views)) view.clear(db);
}
