import { prep, type LocalDb } from './db';
import type { Mutation } from '../../../shared/sync/protocol';
import { MutationName, touchedEntities } from '../../../shared/sync/mutations';
import { entityKey } from '../../../shared/sync/entities';

export type OutboxState = 'pending' | 'pushed';

interface OutboxRow {
  client_id: string;
  seq: number;
  id: string;
  name: string;
  args: string;
  at: number;
  state: OutboxState;
}

export interface OutboxEntry extends Mutation {
  state: OutboxState;
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    clientId: row.client_id,
    seq: row.seq,
    id: row.id,
    name: MutationName.parse(row.name),
    args: JSON.parse(row.args) as unknown,
    at: row.at,
    state: row.state,
  };
}

export function addToOutbox(db: LocalDb, m: Mutation): void {
  prep(db, 'INSERT INTO outbox (client_id, seq, id, name, args, at, state) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    m.clientId,
    m.seq,
    m.id,
    m.name,
    JSON.stringify(m.args),
    m.at,
    'pending',
  );
}

/** Mutations of this client whose effect the confirmed state does not include yet, in order. */
export function unconfirmed(db: LocalDb, clientId: string): OutboxEntry[] {
  return (prep(db, 'SELECT * FROM outbox WHERE client_id = ? ORDER BY seq').all(clientId) as OutboxRow[]).map(toEntry);
}

/**
 * Entity keys (`entityKey`) each outbox mutation touches, by mutation id. An outbox row never changes and its id (a
 * UUID) is never reused, so a cached entry can never be wrong, whatever transactions roll back;
 * entries of rows that are gone are dropped when the cache outgrows the outbox.
 */
const touchCache = new WeakMap<LocalDb, Map<string, readonly string[]>>();

/**
 * This client's unconfirmed mutations that touch any of the entities `keys` names (`entityKey`),
 * in seq order: what a rebase of those entities must re-apply. Reads only the ids of the other
 * rows (what they touch is cached), so rebasing a few cases stays cheap while thousands of
 * mutations wait in the outbox.
 */
export function unconfirmedTouching(db: LocalDb, clientId: string, keys: ReadonlySet<string>): OutboxEntry[] {
  if (keys.size === 0) return [];
  let cache = touchCache.get(db);
  if (!cache) {
    cache = new Map();
    touchCache.set(db, cache);
  }
  const ids = prep(db, 'SELECT id FROM outbox WHERE client_id = ? ORDER BY seq').pluck().all(clientId) as string[];
  if (ids.length === 0) return [];
  const byId = prep(db, 'SELECT * FROM outbox WHERE id = ?');
  const out: OutboxEntry[] = [];
  for (const id of ids) {
    const known = cache.get(id);
    if (known && !known.some((k) => keys.has(k))) continue;
    const row = byId.get(id) as OutboxRow | undefined;
    if (!row) continue;
    const entry = toEntry(row);
    const touched = known ?? touchedEntities(entry.name, entry.args).map((r) => entityKey(r.entity, r.id));
    if (!known) cache.set(id, touched);
    if (touched.some((k) => keys.has(k))) out.push(entry);
  }
  if (cache.size > 2 * ids.length + 1000) {
    const live = new Set(ids);
    for (const id of cache.keys()) if (!live.has(id)) cache.delete(id);
  }
  return out;
}

/**
 * The next pending mutations after `afterSeq` (those up to it are already on their way): at most
 * `limit`, and no more than `maxBytes` of arguments (always at least one).
 */
export function pendingBatch(db: LocalDb, clientId: string, limit: number, afterSeq = 0, maxBytes = Number.POSITIVE_INFINITY): OutboxEntry[] {
  const rows = prep(db, "SELECT * FROM outbox WHERE client_id = ? AND state = 'pending' AND seq > ? ORDER BY seq LIMIT ?").all(
    clientId,
    afterSeq,
    limit,
  ) as OutboxRow[];
  let bytes = 0;
  let end = 0;
  for (const row of rows) {
    bytes += Buffer.byteLength(row.args);
    if (end > 0 && bytes > maxBytes) break;
    end += 1;
  }
  return rows.slice(0, end).map(toEntry);
}

/** Marks a run of acknowledged mutations at once. */
export function markPushedRange(db: LocalDb, clientId: string, fromSeq: number, toSeq: number): void {
  prep(db, "UPDATE outbox SET state = 'pushed' WHERE client_id = ? AND seq BETWEEN ? AND ? AND state = 'pending'").run(clientId, fromSeq, toSeq);
}

export function countUnconfirmed(db: LocalDb, clientId: string): number {
  return (prep(db, 'SELECT COUNT(*) AS n FROM outbox WHERE client_id = ?').get(clientId) as { n: number }).n;
}

export function markPushed(db: LocalDb, clientId: string, seq: number): void {
  markPushedRange(db, clientId, seq, seq);
}

export function removeFromOutbox(db: LocalDb, clientId: string, seq: number): OutboxEntry | undefined {
  const row = prep(db, 'DELETE FROM outbox WHERE client_id = ? AND seq = ? RETURNING *').get(clientId, seq) as OutboxRow | undefined;
  return row ? toEntry(row) : undefined;
}

/** Drops acknowledged mutations the confirmed state now includes (seq ≤ the server's lastSeq). */
export function removeConfirmed(db: LocalDb, clientId: string, lastSeq: number): OutboxEntry[] {
  return (
    prep(db, "DELETE FROM outbox WHERE client_id = ? AND seq <= ? AND state = 'pushed' RETURNING *").all(clientId, lastSeq) as OutboxRow[]
  ).map(toEntry);
}
