import type { Queryable } from '../db/driver';
import type { Change, Entity } from '../../shared/sync/protocol';

/**
 * Takes the next version from the single counter row. The row stays locked until the
 * transaction ends, so on PostgreSQL writers are serialized for that moment and versions follow
 * commit order: a reader that saw version v can never miss a later commit below v.
 */
export async function nextVersion(q: Queryable): Promise<number> {
  const row = await q.get<{ version: number }>('UPDATE version_counter SET version = version + 1 WHERE id = 1 RETURNING version');
  if (!row) throw new Error('version_counter row missing');
  return row.version;
}

export async function currentVersion(q: Queryable): Promise<number> {
  const row = await q.get<{ version: number }>('SELECT version FROM version_counter WHERE id = 1');
  return row?.version ?? 0;
}

/** Records the entity's new state in the change log (one row per entity, latest wins). */
export async function recordChange(
  q: Queryable,
  change: { entity: Entity; id: string; scope: string; data: unknown },
): Promise<number> {
  const version = await nextVersion(q);
  await q.run(
    `INSERT INTO changes (version, entity, entity_id, scope, data) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (entity, entity_id) DO UPDATE SET version = excluded.version, scope = excluded.scope, data = excluded.data`,
    [version, change.entity, change.id, change.scope, change.data === null ? null : JSON.stringify(change.data)],
  );
  return version;
}

export async function changesSince(
  q: Queryable,
  scopes: readonly string[],
  cursor: number,
  limit: number,
): Promise<{ changes: Change[]; more: boolean }> {
  if (scopes.length === 0) return { changes: [], more: false };
  const marks = scopes.map(() => '?').join(', ');
  const rows = await q.all<{ version: number; entity: Entity; entity_id: string; data: string | null }>(
    `SELECT version, entity, entity_id, data FROM changes
     WHERE version > ? AND scope IN (${marks}) ORDER BY version LIMIT ?`,
    [cursor, ...scopes, limit + 1],
  );
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return {
    changes: page.map((r) => ({
      version: r.version,
      entity: r.entity,
      id: r.entity_id,
      data: r.data === null ? null : (JSON.parse(r.data) as unknown),
    })),
    more,
  };
}
