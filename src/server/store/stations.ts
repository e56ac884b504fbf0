import type { Queryable } from '../db/driver';

/**
 * Each workstation install has a random station key; the server gives it a short station code
 * (`S0001`) once, which prefixes the case numbers it makes offline. The number comes from a
 * counter row, locked until commit, so concurrent first logins never share a code; two logins of
 * one install at once both end with the code that was committed first.
 */
export async function stationCodeFor(q: Queryable, stationKey: string): Promise<string> {
  const existing = await q.get<{ code: string }>('SELECT code FROM stations WHERE station_key = ?', [stationKey]);
  if (existing) return existing.code;
  const counter = await q.get<{ value: number }>("UPDATE counters SET value = value + 1 WHERE name = 'station' RETURNING value");
  if (!counter) throw new Error('station counter row missing');
  const code = `S${String(counter.value).padStart(4, '0')}`;
  await q.run('INSERT INTO stations (station_key, code, created_at) VALUES (?, ?, ?) ON CONFLICT (station_key) DO NOTHING', [
    stationKey,
    code,
    Date.now(),
  ]);
  const row = await q.get<{ code: string }>('SELECT code FROM stations WHERE station_key = ?', [stationKey]);
  if (!row) throw new Error('station row missing after insert');
  return row.code;
}
