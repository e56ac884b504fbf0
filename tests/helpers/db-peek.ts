import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

/**
 * Looks into a SQLite file another process is writing (the server's, a workstation's) through a
 * connection of its own: read-only while that process runs, so a test can watch progress without
 * taking part in it. After a crash, `readWrite` lets SQLite recover the WAL as the next opener would.
 */
export function peek<T>(file: string, fn: (db: BetterSqlite3.Database) => T, opts: { readWrite?: boolean } = {}): T {
  const db = new BetterSqlite3(file, { readonly: !opts.readWrite, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return fn(db);
  } finally {
    db.close();
  }
}

export const serverDbFile = (dataDir: string): string => path.join(dataDir, 'server.sqlite');
export const localDbFile = (dataDir: string): string => path.join(dataDir, 'workstation.sqlite');

export interface ServerCaseStats {
  /** Cases of the station. */
  cases: number;
  /** Case numbers present more than once (must stay empty). */
  duplicateNumbers: { number: string; n: number }[];
  /** Case ids present more than once (must stay empty). */
  duplicateIds: { id: string; n: number }[];
}

/** What the server holds for one station, read from its SQLite file. */
export function serverCaseStats(dataDir: string, station: string): ServerCaseStats {
  return peek(serverDbFile(dataDir), (db) => ({
    cases: (db.prepare('SELECT COUNT(*) AS n FROM cases WHERE station = ?').get(station) as { n: number }).n,
    duplicateNumbers: db.prepare('SELECT number, COUNT(*) AS n FROM cases GROUP BY number HAVING COUNT(*) > 1').all() as { number: string; n: number }[],
    duplicateIds: db.prepare('SELECT id, COUNT(*) AS n FROM cases GROUP BY id HAVING COUNT(*) > 1').all() as { id: string; n: number }[],
  }));
}

export function serverCaseNumbers(dataDir: string, station: string): string[] {
  return peek(serverDbFile(dataDir), (db) =>
    (db.prepare('SELECT number FROM cases WHERE station = ? ORDER BY number').all(station) as { number: string }[]).map((r) => r.number),
  );
}

export function serverCaseCount(dataDir: string, station?: string): number {
  return peek(serverDbFile(dataDir), (db) =>
    station === undefined
      ? (db.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n
      : (db.prepare('SELECT COUNT(*) AS n FROM cases WHERE station = ?').get(station) as { n: number }).n,
  );
}

export interface MutationLogStats {
  clientIds: string[];
  applied: number;
  rejected: number;
  /** Distinct mutation ids and seqs among all rows: equal to the row count when nothing repeats. */
  rows: number;
  distinctIds: number;
  distinctSeqs: number;
  maxSeq: number;
  rejections: { seq: number; code: string | null; message: string | null }[];
}

/** The server's mutation log for every client of a station (one workstation = one client per user). */
export function serverMutationLog(dataDir: string, station: string): MutationLogStats {
  return peek(serverDbFile(dataDir), (db) => {
    const clientIds = (db.prepare('SELECT client_id FROM clients WHERE station = ?').all(station) as { client_id: string }[]).map((r) => r.client_id);
    const marks = clientIds.map(() => '?').join(', ') || "''";
    const agg = db
      .prepare(
        `SELECT COUNT(*) AS rows, SUM(status = 'applied') AS applied, SUM(status = 'rejected') AS rejected,
           COUNT(DISTINCT mutation_id) AS distinctIds, COUNT(DISTINCT client_id || ':' || seq) AS distinctSeqs, MAX(seq) AS maxSeq
         FROM mutation_log WHERE client_id IN (${marks})`,
      )
      .get(...clientIds) as { rows: number; applied: number | null; rejected: number | null; distinctIds: number; distinctSeqs: number; maxSeq: number | null };
    const rejections = db
      .prepare(`SELECT seq, reason_code AS code, reason_message AS message FROM mutation_log WHERE client_id IN (${marks}) AND status = 'rejected' LIMIT 20`)
      .all(...clientIds) as { seq: number; code: string | null; message: string | null }[];
    return {
      clientIds,
      rows: agg.rows,
      applied: agg.applied ?? 0,
      rejected: agg.rejected ?? 0,
      distinctIds: agg.distinctIds,
      distinctSeqs: agg.distinctSeqs,
      maxSeq: agg.maxSeq ?? 0,
      rejections,
    };
  });
}

/** Cases in a workstation's local view (its `cases` table), by number. */
export function localCaseNumbers(dataDir: string): string[] {
  return peek(localDbFile(dataDir), (db) => (db.prepare('SELECT number FROM cases ORDER BY number').all() as { number: string }[]).map((r) => r.number));
}

export function localCaseCount(dataDir: string): number {
  return peek(localDbFile(dataDir), (db) => (db.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n);
}

export interface LocalConsistency {
  integrity: string;
  cases: number;
  pendingCases: number;
  outboxRows: number;
  /** View rows marked pending with no outbox row touching them (must be empty). */
  pendingWithoutOutbox: string[];
  /** Outbox rows whose case is missing from the view or not marked pending (must be empty). */
  outboxWithoutPending: { seq: number; caseId: string | null }[];
  /** Outbox seqs must run without a gap from the lowest to the highest. */
  outboxSeqGaps: number;
}

/**
 * Checks a workstation store after a crash (open it read-write: this is the recovery an
 * opener does): the file is intact, and the view and outbox agree — every pending view row has
 * an outbox row that touches it, every outbox row's case is in the view as pending.
 */
export function localConsistency(dataDir: string): LocalConsistency {
  return peek(
    localDbFile(dataDir),
    (db) => {
      const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
      const caseIdOf = "COALESCE(json_extract(o.args, '$.caseId'), json_extract(o.args, '$.id'))";
      const pendingWithoutOutbox = (
        db.prepare(`SELECT c.number FROM cases c WHERE c.pending = 1 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE ${caseIdOf} = c.id)`).all() as {
          number: string;
        }[]
      ).map((r) => r.number);
      const outboxWithoutPending = db
        .prepare(`SELECT o.seq, ${caseIdOf} AS caseId FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = ${caseIdOf} AND c.pending = 1)`)
        .all() as { seq: number; caseId: string | null }[];
      const seqs = db.prepare('SELECT client_id, MIN(seq) AS lo, MAX(seq) AS hi, COUNT(*) AS n FROM outbox GROUP BY client_id').all() as {
        lo: number;
        hi: number;
        n: number;
      }[];
      return {
        integrity,
        cases: (db.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n,
        pendingCases: (db.prepare('SELECT COUNT(*) AS n FROM cases WHERE pending = 1').get() as { n: number }).n,
        outboxRows: (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n,
        pendingWithoutOutbox,
        outboxWithoutPending,
        outboxSeqGaps: seqs.reduce((gaps, s) => gaps + (s.hi - s.lo + 1 - s.n), 0),
      };
    },
    { readWrite: true },
  );
}

/** Every case number of a team on the server: what a workstation of that team must hold. */
export function serverTeamNumbers(dataDir: string, team: string): string[] {
  return peek(serverDbFile(dataDir), (db) =>
    (db.prepare('SELECT number FROM cases WHERE team = ? ORDER BY number').all(team) as { number: string }[]).map((r) => r.number),
  );
}

/**
 * True while another connection holds the write lock of a SQLite file in WAL mode: a probe
 * `BEGIN IMMEDIATE` that fails at once with SQLITE_BUSY. On the server that means a write
 * transaction (e.g. a push batch) is open right now. The probe holds the lock for microseconds.
 */
export function writerBusy(file: string): boolean {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
      throw error;
    }
    db.exec('ROLLBACK');
    return false;
  } finally {
    db.close();
  }
}
