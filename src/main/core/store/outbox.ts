import { prep, type LocalDb } from './db';
import type { Mutation } from '../../../shared/sync/protocol';
import { MutationName } from '../../../shared/sync/mutations';

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

/** The next pending mutations after `afterSeq` (those up to it are already on their way). */
export function pendingBatch(db: LocalDb, clientId: string, limit: number, afterSeq = 0): OutboxEntry[] {
  return (
    prep(db, "SELECT * FROM outbox WHERE client_id = ? AND state = 'pending' AND seq > ? ORDER BY seq LIMIT ?").all(
      clientId,
      afterSeq,
      limit,
    ) as OutboxRow[]
  ).map(toEntry);
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
