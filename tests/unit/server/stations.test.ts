import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Queryable, Row, SqlValue } from '../../../src/server/db/driver';
import { stationCodeFor } from '../../../src/server/store/stations';
import { StationCode } from '../../../src/shared/domain/case';
import { BACKENDS } from '../../helpers/backends';
import { migratedDb, type MigratedDb } from '../../helpers/server-db';

/**
 * Holds each caller after a matching query until `parties` callers got there, or `timeoutMs`
 * passed (a correctly serialized implementation never lets them all arrive at once).
 */
function barrierAfter(q: Queryable, pattern: RegExp, state: { parties: number; arrived: number; release: Promise<void>; open: () => void }, timeoutMs: number): Queryable {
  return {
    all: (sql, params) => q.all(sql, params),
    run: (sql, params) => q.run(sql, params),
    async get<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
      const row = await q.get<T>(sql, params);
      if (pattern.test(sql)) {
        state.arrived += 1;
        if (state.arrived >= state.parties) state.open();
        await Promise.race([state.release, new Promise((r) => setTimeout(r, timeoutMs))]);
      }
      return row;
    },
  };
}

describe.each(BACKENDS)('station codes on $name', (backend) => {
  let m: MigratedDb;
  beforeEach(async () => {
    m = await migratedDb(backend);
  });
  afterEach(async () => {
    await m.close();
  });

  const codeFor = (key: string) => m.db.tx((q) => stationCodeFor(q, key));

  it('numbers new installs S0001, S0002 … and keeps each install’s code', async () => {
    const [k1, k2] = [crypto.randomUUID(), crypto.randomUUID()];
    expect(await codeFor(k1)).toBe('S0001');
    expect(await codeFor(k2)).toBe('S0002');
    expect(await codeFor(k1)).toBe('S0001');
    expect(StationCode.safeParse(await codeFor(crypto.randomUUID())).success).toBe(true);
  });

  // KNOWN BUG on PostgreSQL (reported to the lead): a new station is numbered from COUNT(*) under
  // READ COMMITTED, so installs logging in for the first time at the same moment pick the same
  // code and all but one fail on the UNIQUE constraint (HTTP 500 at login). The barrier makes the
  // interleaving certain. `it.fails` keeps the suite green and turns red once the bug is fixed:
  // then make it a plain `it` for both backends.
  const concurrentIt = it;
  concurrentIt('gives distinct codes to installs that log in for the first time at the same moment', async () => {
    const parties = 4;
    let open: () => void = () => undefined;
    const release = new Promise<void>((r) => {
      open = r;
    });
    const state = { parties, arrived: 0, release, open };
    const keys = Array.from({ length: parties }, () => crypto.randomUUID());
    const codes = await Promise.all(keys.map((key) => m.db.tx((q) => stationCodeFor(barrierAfter(q, /COUNT\(\*\)/i, state, 150), key))));
    expect(new Set(codes).size).toBe(parties);
  });
});
