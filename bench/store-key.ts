import crypto from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import Cipherable from 'better-sqlite3-multiple-ciphers';
import { keyStore } from '../src/main/core/store/cipher';

/**
 * `--encrypt` (HOTLINE_BENCH_ENCRYPT=1, inherited by the bench's child processes): every
 * workstation's store is a SQLCipher file, as in use; without it, plain SQLite, to compare.
 * A bench workstation gets its key directly (a login would unwrap it: that is not measured here).
 */
export const benchEncrypts = (): boolean => process.env.HOTLINE_BENCH_ENCRYPT === '1';

/** A fixed key per workstation directory for this bench run (the child and the parent agree on it). */
export function benchStoreKey(dataDir: string): Buffer | undefined {
  if (!benchEncrypts()) return undefined;
  return crypto.createHash('sha256').update(`hotline-bench:${process.env.HOTLINE_BENCH_KEY_SALT ?? ''}:${dataDir}`).digest();
}

/** A read-only look into a bench workstation's store, with its key when the bench encrypts. */
export function openBenchStore(file: string, dataDir: string): BetterSqlite3.Database {
  const db = new Cipherable(file, { readonly: true }) as unknown as BetterSqlite3.Database;
  const key = benchStoreKey(dataDir);
  if (key) keyStore(db, key);
  return db;
}
