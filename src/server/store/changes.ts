import type { Queryable } from '../db/driver';
import type { Change, Cursors, Entity, Poke } from '../../shared/sync/protocol';

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

interface ScopeTouch {
  prev: number;
  version: number;
  changes: Change[];
}

/**
 * Records the changes of one transaction in the change log: an entity's new state in each scope
 * that holds it, and a tombstone in each scope it left. `finish` moves the scope heads and returns
 * one poke per touched scope, to be sent after commit.
 */
export class ChangeRecorder {
  private readonly touched = new Map<string, ScopeTouch>();

  constructor(private readonly q: Queryable) {}

  /** `isNew`: the entity was just created, so no scope can hold it yet (saves a lookup). */
  async put(entity: Entity, id: string, scopes: readonly string[], data: unknown, isNew = false): Promise<void> {
    const held = isNew
      ? []
      : await this.q.all<{ scope: string }>('SELECT scope FROM changes WHERE entity = ? AND entity_id = ? AND data IS NOT NULL', [entity, id]);
    const json = data === null ? null : JSON.stringify(data);
    for (const scope of new Set(scopes)) await this.write(entity, id, scope, json, data);
    for (const { scope } of held) if (!scopes.includes(scope)) await this.write(entity, id, scope, null, null);
  }

  /** A snapshot to return to when a savepoint rolls the writes since back. */
  mark(): Map<string, ScopeTouch> {
    return new Map([...this.touched].map(([k, t]) => [k, { ...t, changes: [...t.changes] }]));
  }

  discardSince(mark: Map<string, ScopeTouch>): void {
    this.touched.clear();
    for (const [k, t] of mark) this.touched.set(k, t);
  }

  async finish(): Promise<Poke[]> {
    const pokes: Poke[] = [];
    for (const [scope, t] of this.touched) {
      await this.q.run('INSERT INTO scope_heads (scope, version) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET version = excluded.version', [
        scope,
        t.version,
      ]);
      pokes.push({ scope, prev: t.prev, version: t.version, changes: t.changes });
    }
    this.touched.clear();
    return pokes;
  }

  private async write(entity: Entity, id: string, scope: string, json: string | null, data: unknown): Promise<void> {
    const version = await nextVersion(this.q);
    await this.q.run(
      `INSERT INTO changes (version, entity, entity_id, scope, data) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (entity, entity_id, scope) DO UPDATE SET version = excluded.version, data = excluded.data`,
      [version, entity, id, scope, json],
    );
    let t = this.touched.get(scope);
    if (!t) {
      // Read after nextVersion took the counter lock: no other writer can move this head now.
      const head = await this.q.get<{ version: number }>('SELECT version FROM scope_heads WHERE scope = ?', [scope]);
      t = { prev: head?.version ?? 0, version, changes: [] };
      this.touched.set(scope, t);
    }
    t.version = version;
    t.changes.push({ version, scope, entity, id, data });
  }
}

/** One change-log write outside a larger transaction's recorder (seeding). */
export async function recordChange(q: Queryable, change: { entity: Entity; id: string; scope: string; data: unknown }): Promise<Poke[]> {
  const rec = new ChangeRecorder(q);
  await rec.put(change.entity, change.id, [change.scope], change.data);
  return rec.finish();
}

interface ChangeRow extends Record<string, unknown> {
  version: number;
  scope: string;
  entity: Entity;
  entity_id: string;
  data: string | null;
}

/**
 * The changes after each scope's cursor, in version order, at most `limit`. Because the order is
 * global, a page that ends at version V holds every change ≤ V of every requested scope, so all
 * cursors may move to V.
 */
export async function changesSince(
  q: Queryable,
  cursors: Cursors,
  limit: number,
  opts: { withRemaining?: boolean } = {},
): Promise<{ changes: Change[]; cursors: Cursors; more: boolean; remaining?: number }> {
  const scopes = Object.keys(cursors);
  if (scopes.length === 0) return { changes: [], cursors, more: false };
  const where = scopes.map(() => '(scope = ? AND version > ?)').join(' OR ');
  const params = scopes.flatMap((s) => [s, cursors[s] ?? 0]);
  // The lower bound lets the planner walk the primary key in version order and stop at the limit.
  const floor = Math.min(...scopes.map((s) => cursors[s] ?? 0));
  const rows = await q.all<ChangeRow>(
    `SELECT version, scope, entity, entity_id, data FROM changes WHERE version > ? AND (${where}) ORDER BY version LIMIT ?`,
    [floor, ...params, limit + 1],
  );
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  const next: Cursors = {};
  for (const s of scopes) next[s] = Math.max(cursors[s] ?? 0, last?.version ?? 0);
  let remaining: number | undefined;
  if (opts.withRemaining) {
    if (!more) remaining = 0;
    else {
      const after = scopes.map(() => '(scope = ? AND version > ?)').join(' OR ');
      const row = await q.get<{ n: number }>(`SELECT COUNT(*) AS n FROM changes WHERE ${after}`, scopes.flatMap((s) => [s, next[s] ?? 0]));
      remaining = row?.n ?? 0;
    }
  }
  return {
    changes: page.map((r) => ({
      version: r.version,
      scope: r.scope,
      entity: r.entity,
      id: r.entity_id,
      data: r.data === null ? null : (JSON.parse(r.data) as unknown),
    })),
    cursors: next,
    more,
    ...(remaining === undefined ? {} : { remaining }),
  };
}
