import type { Queryable } from '../db/driver';

/**
 * Each workstation install has a random station key; the server gives it a short station code
 * (`S0001`) once, which prefixes the case numbers it makes offline.
 */
export async function stationCodeFor(q: Queryable, stationKey: string): Promise<string> {
  const existing = await q.get<{ code: string }>('SELECT code FROM stations WHERE station_key = ?', [stationKey]);
  if (existing) return existing.code;
  const row = await q.get<{ n: number }>('SELECT COUNT(*) AS n FROM stations');
  const code = `S${String((row?.n ?? 0) + 1).padStart(4, '0')}`;
  await q.run('INSERT INTO stations (station_key, code, created_at) VALUES (?, ?, ?)', [stationKey, code, Date.now()]);
  return code;
}
