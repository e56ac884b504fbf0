import path from 'node:path';
import { openLocalDb, type LocalDb } from '../../src/main/core/store/db';
import { makeTempDir, removeDir } from './tmp';

export interface TempLocalDb {
  db: LocalDb;
  file: string;
  dir: string;
  close(): void;
}

/** A workstation store in a real SQLite file under a fresh temp dir. */
export function tempLocalDb(): TempLocalDb {
  const dir = makeTempDir('hotline-ws-');
  const file = path.join(dir, 'workstation.sqlite');
  const db = openLocalDb(file);
  return {
    db,
    file,
    dir,
    close() {
      if (db.open) db.close();
      removeDir(dir);
    },
  };
}
