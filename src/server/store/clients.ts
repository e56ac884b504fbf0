import type { Queryable } from '../db/driver';
import type { ChangeRecorder } from './changes';

export interface ClientRow {
  clientId: string;
  userId: string;
  station: string;
  lastSeq: number;
}

/** Finds the client, registering it for this user on first sight; a client belongs to one user. */
export async function ensureClient(q: Queryable, clientId: string, userId: string, station: string): Promise<ClientRow> {
  await q.run(
    `INSERT INTO clients (client_id, user_id, station, last_seq, created_at) VALUES (?, ?, ?, 0, ?)
     ON CONFLICT (client_id) DO NOTHING`,
    [clientId, userId, station, Date.now()],
  );
  const row = await q.get<{ client_id: string; user_id: string; station: string; last_seq: number }>(
    'SELECT client_id, user_id, station, last_seq FROM clients WHERE client_id = ?',
    [clientId],
  );
  if (!row) throw new Error('client row missing after insert');
  return { clientId: row.client_id, userId: row.user_id, station: row.station, lastSeq: row.last_seq };
}

/** Locks the client row for the rest of the transaction (PostgreSQL) and returns its lastSeq. */
export async function lockClient(q: Queryable, clientId: string, dialect: 'sqlite' | 'postgres'): Promise<number> {
  const row = await q.get<{ last_seq: number }>(
    `SELECT last_seq FROM clients WHERE client_id = ?${dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
    [clientId],
  );
  return row?.last_seq ?? 0;
}

const LOG_COLUMNS = ['client_id', 'seq', 'mutation_id', 'name', 'status', 'reason_code', 'reason_message', 'reason_current', 'at'] as const;

/** Logs the mutation's outcome; written with the transaction's other rows when it finishes. */
export function recordMutation(
  rec: ChangeRecorder,
  entry: {
    clientId: string;
    seq: number;
    mutationId: string;
    name: string;
    status: 'applied' | 'rejected';
    reason?: { code: string; message: string; current?: unknown };
  },
): void {
  rec.insertLater('mutation_log', LOG_COLUMNS, [
      entry.clientId,
      entry.seq,
      entry.mutationId,
      entry.name,
      entry.status,
      entry.reason?.code ?? null,
      entry.reason?.message ?? null,
      entry.reason?.current === undefined ? null : JSON.stringify(entry.reason.current),
      Date.now(),
  ]);
}

/** Moves the client's lastSeq, in the same transaction as the mutations it counts. */
export async function setLastSeq(q: Queryable, clientId: string, lastSeq: number): Promise<void> {
  await q.run('UPDATE clients SET last_seq = ? WHERE client_id = ?', [lastSeq, clientId]);
}

export async function loggedMutation(
  q: Queryable,
  clientId: string,
  seq: number,
): Promise<
  { mutationId: string; status: 'applied' | 'rejected'; reasonCode: string | null; reasonMessage: string | null; reasonCurrent: unknown } | undefined
> {
  const row = await q.get<{
    mutation_id: string;
    status: 'applied' | 'rejected';
    reason_code: string | null;
    reason_message: string | null;
    reason_current: string | null;
  }>('SELECT mutation_id, status, reason_code, reason_message, reason_current FROM mutation_log WHERE client_id = ? AND seq = ?', [clientId, seq]);
  return row
    ? {
        mutationId: row.mutation_id,
        status: row.status,
        reasonCode: row.reason_code,
        reasonMessage: row.reason_message,
        reasonCurrent: row.reason_current === null ? undefined : (JSON.parse(row.reason_current) as unknown),
      }
    : undefined;
}

/** The client's last applied mutation seq (0 for a client that never pushed). */
export async function lastSeqOf(q: Queryable, clientId: string): Promise<number> {
  const row = await q.get<{ last_seq: number }>('SELECT last_seq FROM clients WHERE client_id = ?', [clientId]);
  return row?.last_seq ?? 0;
}
