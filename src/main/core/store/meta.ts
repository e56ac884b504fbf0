import crypto from 'node:crypto';
import { prep, type LocalDb } from './db';

export function getMeta(db: LocalDb, key: string): string | undefined {
  const row = prep(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: LocalDb, key: string, value: string): void {
  prep(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** Random id of this workstation install; the server maps it to a station code. */
export function stationKey(db: LocalDb): string {
  let key = getMeta(db, 'station_key');
  if (!key) {
    key = crypto.randomUUID();
    setMeta(db, 'station_key', key);
  }
  return key;
}

/** Next number of the station-wide case counter; call inside the transaction that uses it. */
export function nextCaseSeq(db: LocalDb): number {
  const next = Number(getMeta(db, 'case_seq') ?? '0') + 1;
  setMeta(db, 'case_seq', String(next));
  return next;
}
