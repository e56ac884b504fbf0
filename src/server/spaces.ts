import type { Space } from '../shared/domain/space';
import type { Database } from './db/driver';
import { openDatabase } from './db/open';

/**
 * The server's store of each data space. The live store is the city's: cases, users, stations,
 * API keys (the token keys live outside every store: auth/token-keys.ts). The training store is practice: its own SQLite file, or its own
 * PostgreSQL schema, with the same migrations, the reference data and a mirror of the user
 * directory (without password hashes), but never a live case, and nothing else reads it. A
 * session's token names its space; sync serves that space's store and rooms only, and the unit
 * API, Open311 and the rates read the live store alone, so practice cannot leak by construction.
 */
export interface SpaceStores {
  readonly live: Database;
  /** The store of a space; the training store is opened, migrated and prepared on first use. */
  get(space: Space): Promise<Database>;
  /** The stores opened so far, with their space. */
  opened(): [Space, Database][];
  close(): Promise<void>;
}

export function openSpaceStores(
  live: Database,
  opts: { databaseUrl?: string | undefined; dataDir: string },
  /** Migrates and seeds a newly opened non-live store. */
  prepare: (db: Database, space: Space) => Promise<void>,
): SpaceStores {
  let training: Promise<Database> | undefined;
  let trainingDb: Database | undefined;
  return {
    live,
    get(space) {
      if (space === 'live') return Promise.resolve(live);
      training ??= (async () => {
        const db = openDatabase({ ...opts, space });
        try {
          await prepare(db, space);
        } catch (error) {
          training = undefined;
          await db.close();
          throw error;
        }
        trainingDb = db;
        return db;
      })();
      return training;
    },
    opened: () => (trainingDb ? [['live', live], ['training', trainingDb]] : [['live', live]]),
    async close() {
      // A training store still being prepared is closed once it is ready.
      const pending = training;
      training = undefined;
      const db = await pending?.catch(() => undefined);
      await db?.close();
      await live.close();
    },
  };
}
