import type { Queryable, SqlValue } from '../db/driver';
import type { Change, Cursors, Entity, Poke } from '../../shared/sync/protocol';
import type { EntityName, EntityState } from '../../shared/sync/entities';
import { OWN_ROW_ENTITIES, SERVER_ENTITIES } from '../sync/entities';
import { scopeContextNow, type ScopeContext } from '../sync/retention';

/**
 * Takes the next version from the single counter row. The row stays locked until the
 * transaction ends, so on PostgreSQL writers are serialized for that moment and versions follow
 * commit order: a reader that saw version v can never miss a later commit below v.
 */
export async function nextVersion(q: Queryable, count = 1): Promise<number> {
  const row = await q.get<{ version: number }>('UPDATE version_counter SET version = version + ? WHERE id = 1 RETURNING version', [count]);
  if (!row) throw new Error('version_counter row missing');
  // With count > 1 the caller owns the whole block (returned - count, returned].
  return row.version - count + 1;
}

/**
 * Takes the version counter's row lock at the start of a write transaction, so that every
 * read-then-check in it (intent checks) sees the latest committed state, on several nodes too.
 * SQLite serializes write transactions already.
 */
export async function lockVersionCounter(q: Queryable, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await q.get('SELECT version FROM version_counter WHERE id = 1 FOR UPDATE');
}

export async function currentVersion(q: Queryable): Promise<number> {
  const row = await q.get<{ version: number }>('SELECT version FROM version_counter WHERE id = 1');
  return row?.version ?? 0;
}

interface PendingRow {
  entity: Entity;
  id: string;
  scope: string;
  /** The data as JSON; null for a tombstone. */
  json: string | null;
  data: unknown;
  /** The data lives in the entity's own row (a case's row in `cases`): the change row carries no copy. */
  inOwnRow: boolean;
}

export interface PutOptions {
  /** The entity was just created, so no scope can hold it yet (saves a lookup). */
  isNew?: boolean;
}

/** The JSON of each recorded change's data, as the recorder serialized it already. */
const dataJsons = new WeakMap<Change, string>();

/**
 * Each change as UTF-8 JSON, encoded once, on first use (only pokes that go to somebody are
 * encoded): from the data's serialization the recorder made, or from the change itself. Its
 * length bounds pokes; poke frames are made of these bytes.
 */
const changeWire = new WeakMap<Change, Buffer>();

/** A change serialized as JSON, in UTF-8 (the same bytes as `JSON.stringify(change)`). */
export function changeJsonBytes(change: Change): Buffer {
  let wire = changeWire.get(change);
  if (!wire) {
    const data = dataJsons.get(change);
    // The envelope around the data as serialized already (key order as in a recorded change).
    wire = Buffer.from(
      data === undefined
        ? JSON.stringify(change)
        : `{"version":${change.version},"scope":${JSON.stringify(change.scope)},"entity":${JSON.stringify(change.entity)},"id":${JSON.stringify(change.id)},"data":${data}}`,
    );
    changeWire.set(change, wire);
  }
  return wire;
}

/** The size of a change serialized as JSON (UTF-8 bytes). */
export function changeBytes(change: Change): number {
  return changeJsonBytes(change).length;
}

const rowKey = (entity: Entity, id: string, scope: string) => `${entity}\u0000${id}\u0000${scope}`;
const INSERT_CHUNK = 100;

/**
 * Records the changes of one transaction in the change log: an entity's new state in each scope
 * that holds it, and a tombstone in each scope it left. Rows are buffered and written by `finish`,
 * which takes one block of versions from the counter (still inside the transaction, so versions
 * follow commit order), moves the scope heads and returns one poke per touched scope, to be sent
 * after commit. A later write of the same entity in the same scope replaces the earlier one.
 */
export class ChangeRecorder {
  /** Every buffered write in order; a savepoint rollback truncates it. */
  private writes: PendingRow[] = [];
  /** Per entity: scope → whether this transaction left data (true) or a tombstone (false) there. */
  private byEntity = new Map<string, Map<string, boolean>>();
  /** Append-only rows nobody reads back within the transaction (timeline events, the mutation log). */
  private appends: { table: string; columns: string; values: SqlValue[] }[] = [];

  /** `scopes`: the moment and retention the entities' scopes are decided at (a case leaves them once retired). */
  constructor(
    private readonly q: Queryable,
    private readonly scopeCtx: ScopeContext = scopeContextNow(),
  ) {}

  /** Inserts the row when the transaction finishes, many rows per statement. */
  insertLater(table: string, columns: readonly string[], values: SqlValue[]): void {
    this.appends.push({ table, columns: columns.join(', '), values });
  }

  /**
   * Records the entity's new state in each scope the registry says holds it (and a tombstone in
   * each scope it left). An entity the registry keeps in its own row must have been written there
   * in this transaction: its change rows carry no copy. `state` null removes it everywhere.
   */
  async put<E extends EntityName>(entity: E, id: string, state: EntityState<E> | null, opts: PutOptions = {}): Promise<void> {
    const spec = SERVER_ENTITIES[entity];
    await this.write(entity, id, state === null ? [] : spec.scopes(state, this.scopeCtx), state, spec.ownRow !== undefined, opts);
  }

  /**
   * The change log's own mechanism, with the scopes given and the data copied into the change
   * rows: for tests of the log itself. Product code records through `put`, which asks the registry.
   */
  async putInScopes(entity: EntityName, id: string, scopes: readonly string[], data: unknown, opts: PutOptions = {}): Promise<void> {
    await this.write(entity, id, scopes, data, false, opts);
  }

  private async write(entity: EntityName, id: string, scopes: readonly string[], data: unknown, ownRow: boolean, opts: PutOptions): Promise<void> {
    const held = new Set<string>();
    if (!opts.isNew) {
      const rows = await this.q.all<{ scope: string }>('SELECT scope FROM changes WHERE entity = ? AND entity_id = ? AND tombstone = 0', [
        entity,
        id,
      ]);
      rows.forEach((r) => held.add(r.scope));
    }
    // What this transaction wrote already counts over what the table says.
    for (const [scope, hasData] of this.byEntity.get(rowKey(entity, id, '')) ?? []) {
      if (hasData) held.add(scope);
      else held.delete(scope);
    }
    const json = data === null ? null : JSON.stringify(data);
    const inOwnRow = json !== null && ownRow;
    const wanted = new Set(scopes);
    for (const scope of wanted) this.buffer({ entity, id, scope, json, data, inOwnRow });
    for (const scope of held) if (!wanted.has(scope)) this.buffer({ entity, id, scope, json: null, data: null, inOwnRow: false });
  }

  /** A mark to return to when a savepoint rolls the writes since back (O(1)). */
  mark(): { writes: number; appends: number } {
    return { writes: this.writes.length, appends: this.appends.length };
  }

  discardSince(mark: { writes: number; appends: number }): void {
    this.writes.length = mark.writes;
    this.appends.length = mark.appends;
    this.byEntity.clear();
    for (const w of this.writes) this.index(w);
  }

  private async flushAppends(): Promise<void> {
    const appends = this.appends;
    this.appends = [];
    for (let i = 0; i < appends.length; ) {
      const first = appends[i];
      if (!first) break;
      // Consecutive rows of one table and column list go in one statement.
      let j = i;
      while (j < appends.length && j - i < INSERT_CHUNK && appends[j]?.table === first.table && appends[j]?.columns === first.columns) j += 1;
      const chunk = appends.slice(i, j);
      const marks = `(${first.values.map(() => '?').join(', ')})`;
      await this.q.run(`INSERT INTO ${first.table} (${first.columns}) VALUES ${chunk.map(() => marks).join(', ')}`, chunk.flatMap((a) => a.values));
      i = j;
    }
  }

  async finish(): Promise<Poke[]> {
    await this.flushAppends();
    // A later write of the same entity in the same scope replaces the earlier one, and takes its place in the order.
    const last = new Map<string, PendingRow>();
    for (const w of this.writes) {
      const key = rowKey(w.entity, w.id, w.scope);
      last.delete(key);
      last.set(key, w);
    }
    this.writes = [];
    this.byEntity.clear();
    const rows = [...last.values()];
    if (rows.length === 0) return [];
    let version = await nextVersion(this.q, rows.length);
    const touched = new Map<string, Poke & { changes: Change[] }>();
    const values: (string | number | null)[][] = [];
    for (const r of rows) {
      let t = touched.get(r.scope);
      if (!t) {
        const head = await this.q.get<{ version: number }>('SELECT version FROM scope_heads WHERE scope = ?', [r.scope]);
        t = { scope: r.scope, prev: head?.version ?? 0, version, changes: [] };
        touched.set(r.scope, t);
      }
      t.version = version;
      const change: Change = { version, scope: r.scope, entity: r.entity, id: r.id, data: r.data };
      if (r.json !== null) dataJsons.set(change, r.json);
      t.changes.push(change);
      values.push([version, r.entity, r.id, r.scope, r.inOwnRow ? null : r.json, r.json === null ? 1 : 0]);
      version += 1;
    }
    for (let i = 0; i < values.length; i += INSERT_CHUNK) {
      const chunk = values.slice(i, i + INSERT_CHUNK);
      await this.q.run(
        `INSERT INTO changes (version, entity, entity_id, scope, data, tombstone) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
         ON CONFLICT (entity, entity_id, scope) DO UPDATE SET version = excluded.version, data = excluded.data, tombstone = excluded.tombstone`,
        chunk.flat(),
      );
    }
    for (const t of touched.values()) {
      await this.q.run('INSERT INTO scope_heads (scope, version) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET version = excluded.version', [
        t.scope,
        t.version,
      ]);
    }
    return [...touched.values()];
  }

  private buffer(row: PendingRow): void {
    this.writes.push(row);
    this.index(row);
  }

  private index(row: PendingRow): void {
    const key = rowKey(row.entity, row.id, '');
    let scopes = this.byEntity.get(key);
    if (!scopes) {
      scopes = new Map();
      this.byEntity.set(key, scopes);
    }
    scopes.set(row.scope, row.json !== null);
  }
}

/** One change-log write outside a larger transaction's recorder (seeding). */
export async function recordChange<E extends EntityName>(q: Queryable, change: { entity: E; id: string; state: EntityState<E> }): Promise<Poke[]> {
  const rec = new ChangeRecorder(q);
  await rec.put(change.entity, change.id, change.state);
  return rec.finish();
}

// The pull joins each entity kept in its own row (`SERVER_ENTITIES`), for change rows without data.
const OWN_ROW_COLUMNS = OWN_ROW_ENTITIES.map((e) => `, ${e.columns}`).join('');
const OWN_ROW_JOINS = OWN_ROW_ENTITIES.map(
  (e) => `\n     LEFT JOIN ${e.table} ${e.alias} ON c.data IS NULL AND c.tombstone = 0 AND c.entity = '${e.entity}' AND ${e.alias}.id = c.entity_id`,
).join('');

interface ChangeRow extends Record<string, unknown> {
  version: number;
  scope: string;
  entity: Entity;
  entity_id: string;
  tombstone: number;
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
  // Each scope's next changes come from its own range of the (scope, version) index, at most
  // limit + 1 of them: with the scopes OR-ed in one WHERE the planner gathered and sorted every
  // later change of every scope for each page, quadratic in a fresh workstation's initial sync.
  // One statement (UNION ALL), so one snapshot on PostgreSQL too. A case's data is built from its
  // row in `cases` unless the change row has its own copy (written before schema 4); a change row
  // is rewritten by every change of its entity, so in one snapshot the case row is the state at
  // the change's version.
  const branches = scopes.map(
    (_, i) => `SELECT * FROM (SELECT version, scope, entity, entity_id, tombstone, data FROM changes WHERE scope = ? AND version > ? ORDER BY version LIMIT ?) s${i}`,
  );
  const rows = await q.all<ChangeRow>(
    `SELECT c.version, c.scope, c.entity, c.entity_id, c.tombstone, c.data${OWN_ROW_COLUMNS}
     FROM (${branches.join(' UNION ALL ')}) c${OWN_ROW_JOINS}
     ORDER BY c.version`,
    scopes.flatMap((s) => [s, cursors[s] ?? 0, limit + 1]),
  );
  // Every change of a scope up to its branch's last row is in `rows`, and a full branch brings
  // limit + 1 of them: the first `limit` rows overall end before any full branch's last row, so
  // the page holds every change of every scope up to its end.
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
      data: r.tombstone === 1 ? null : r.data !== null ? (JSON.parse(r.data) as unknown) : (SERVER_ENTITIES[r.entity].ownRow?.build(r) ?? null),
    })),
    cursors: next,
    more,
    ...(remaining === undefined ? {} : { remaining }),
  };
}
