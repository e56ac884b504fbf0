import fs from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * The workstation cache is a SQLCipher 4 file (better-sqlite3-multiple-ciphers): AES-256 pages,
 * HMAC-SHA512 per page, header included, so the file is noise without its key. The key is 32
 * random bytes given raw (no KDF: it is not a password; see cache-key.ts for how it is kept).
 * Pages are 16 KiB, as the plain store's were, so an older cache is encrypted in place.
 */
const CIPHER_PRAGMAS = ["cipher = 'sqlcipher'", 'legacy = 4', 'legacy_page_size = 16384'] as const;
export const CACHE_KEY_BYTES = 32;
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export class CacheLockedError extends Error {
  constructor(readonly file: string) {
    super(`${file} does not open with this key (a wrong key, or an encrypted cache opened without one)`);
    this.name = 'CacheLockedError';
  }
}

function rawKey(key: Buffer): string {
  if (key.length !== CACHE_KEY_BYTES) throw new Error(`the cache key must be ${CACHE_KEY_BYTES} bytes`);
  return `"x'${key.toString('hex')}'"`;
}

/** Gives an open connection its key; before anything else reads the file. */
export function keyStore(db: BetterSqlite3.Database, key: Buffer): void {
  for (const p of CIPHER_PRAGMAS) db.pragma(p);
  db.pragma(`key = ${rawKey(key)}`);
}

/** A plain (unencrypted) SQLite file with something in it: its first 16 bytes say so. */
export function isPlainSqliteFile(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    return fs.readSync(fd, head, 0, 16, 0) === 16 && head.equals(SQLITE_HEADER);
  } finally {
    fs.closeSync(fd);
  }
}

/** The store's file, -wal and -shm made 0600 (an older version left them 0644). */
export function restrictStoreFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
}

/**
 * Encrypts a plain cache in place, every row kept (the outbox's unsent mutations first of all):
 * its WAL folded in, 16 KiB pages, then SQLCipher's rekey, which rewrites each page in one
 * transaction (a crash leaves the plain file, and the next start tries again).
 */
export function encryptPlainStore(file: string, key: Buffer, open: () => BetterSqlite3.Database): void {
  const db = open();
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    if (Number(db.pragma('page_size', { simple: true })) !== 16384) {
      db.pragma('page_size = 16384');
      db.exec('VACUUM');
    }
    for (const p of CIPHER_PRAGMAS) db.pragma(p);
    db.pragma(`rekey = ${rawKey(key)}`);
  } finally {
    db.close();
  }
  restrictStoreFiles(file);
}
