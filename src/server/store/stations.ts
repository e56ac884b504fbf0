import type { Queryable } from '../db/driver';

export const MAX_STATION = 9999;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Who asks for a new code: each account may make `perDay` new ones in 24 hours. */
export interface StationLimit {
  userId: string;
  perDay: number;
  now: number;
}

/** No new station code: the account's daily allowance is spent, or every code is taken. */
export class StationLimitError extends Error {
  constructor(
    message: string,
    readonly code: 'station_limit' | 'stations_exhausted' = 'station_limit',
  ) {
    super(message);
    this.name = 'StationLimitError';
  }
}

/**
 * Each workstation install has a random station key; the server gives it a short station code
 * (`S0001`) once, which prefixes the case numbers it makes offline. The number comes from a
 * counter row, locked until commit, so concurrent first logins never share a code; two logins of
 * one install at once both end with the code that was committed first.
 */
export async function stationCodeFor(q: Queryable, stationKey: string, limit?: StationLimit): Promise<string> {
  const existing = await q.get<{ code: string }>('SELECT code FROM stations WHERE station_key = ?', [stationKey]);
  if (existing) return existing.code;
  if (limit) {
    const since = limit.now - DAY_MS;
    const made = await q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM stations WHERE created_by = ? AND created_at > ?', [limit.userId, since]);
    if (Number(made?.n ?? 0) >= limit.perDay) throw new StationLimitError(`this account made ${limit.perDay} new station codes in the last 24 hours; log in from a known workstation or ask an admin`);
  }
  const counter = await q.get<{ value: number | string }>("UPDATE counters SET value = value + 1 WHERE name = 'station' RETURNING value");
  if (!counter) throw new Error('station counter row missing');
  // The code has four digits (case numbers S0001-000042); past S9999 refuse (the transaction rolls
  // the counter back) rather than make a number no workstation or unit can read.
  if (Number(counter.value) > MAX_STATION) throw new StationLimitError(`all ${MAX_STATION} station codes are in use`, 'stations_exhausted');
  const code = `S${String(counter.value).padStart(4, '0')}`;
  await q.run('INSERT INTO stations (station_key, code, created_at, created_by) VALUES (?, ?, ?, ?) ON CONFLICT (station_key) DO NOTHING', [
    stationKey,
    code,
    limit?.now ?? Date.now(),
    limit?.userId ?? null,
  ]);
  const row = await q.get<{ code: string }>('SELECT code FROM stations WHERE station_key = ?', [stationKey]);
  if (!row) throw new Error('station row missing after insert');
  return row.code;
}
