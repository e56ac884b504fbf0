import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalDb, type LocalDb } from '../../../src/main/core/store/db';
import { CacheLockedError } from '../../../src/main/core/store/cipher';
import { addToOutbox, unconfirmed } from '../../../src/main/core/store/outbox';
import { upsertAccount } from '../../../src/main/core/store/accounts';
import { createCaseArgs } from '../../helpers/fixtures';
import { makeTempDir, removeDir } from '../../helpers/tmp';

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const head = (file: string) => fs.readFileSync(file).subarray(0, 16).toString('latin1');
const USER = { id: 'u-op1', username: 'op1', displayName: '王芳', role: 'operator' as const, team: 'team-a' };

const dirs: string[] = [];
const open: LocalDb[] = [];
function tempStore(): { dir: string; file: string } {
  const dir = path.join(makeTempDir('hotline-cipher-'), 'ws');
  dirs.push(path.dirname(dir));
  return { dir, file: path.join(dir, 'workstation.sqlite') };
}
function track(db: LocalDb): LocalDb {
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) removeDir(d);
});

/** Two unsent mutations of op1, as the operator saved them. */
function queueTwo(db: LocalDb): string {
  const { clientId } = upsertAccount(db, USER);
  for (const seq of [1, 2]) addToOutbox(db, { clientId, seq, id: `m-${seq}`, name: 'createCase', args: createCaseArgs('S0001', seq), at: 1_750_000_000_000 + seq });
  return clientId;
}

describe('the workstation cache at rest', () => {
  it('is a SQLCipher file: no SQLite header, plain better-sqlite3 cannot read it, another key cannot either', () => {
    const { dir, file } = tempStore();
    const key = crypto.randomBytes(32);
    const db = track(openLocalDb(file, { key }));
    const clientId = queueTwo(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();

    expect(fs.statSync(file).size).toBeGreaterThan(0);
    expect(head(file)).not.toBe('SQLite format 3\0');
    // Plain text the store holds (a 3-byte needle would turn up in random ciphertext now and then).
    const bytes = fs.readFileSync(file);
    for (const needle of [clientId, '王芳', 'S0001-000001']) expect(bytes.includes(Buffer.from(needle)), needle).toBe(false);
    // The same rows in a plain store do show them (so the needles are meaningful).
    const other = tempStore();
    const plainDb = track(openLocalDb(other.file));
    const plainClient = queueTwo(plainDb);
    plainDb.pragma('wal_checkpoint(TRUNCATE)');
    plainDb.close();
    const plainBytes = fs.readFileSync(other.file);
    for (const needle of [plainClient, 'S0001-000001']) expect(plainBytes.includes(Buffer.from(needle)), needle).toBe(true);
    const plain = new BetterSqlite3(file);
    expect(() => plain.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    plain.close();
    expect(() => openLocalDb(file)).toThrow(CacheLockedError);
    expect(() => openLocalDb(file, { key: crypto.randomBytes(32) })).toThrow(CacheLockedError);

    const again = track(openLocalDb(file, { key }));
    expect(unconfirmed(again, clientId).map((m) => m.id)).toEqual(['m-1', 'm-2']);
    expect(mode(dir)).toBe(0o700);
    for (const f of fs.readdirSync(dir)) expect([f, mode(path.join(dir, f))]).toEqual([f, 0o600]);
  });

  it('encrypts a plain cache left by an older version in place, its unsent outbox rows kept', () => {
    const { dir, file } = tempStore();
    // The older version: a plain store, 0755 dir and 0644 files, two mutations not yet sent.
    fs.mkdirSync(dir, { recursive: true });
    const old = track(openLocalDb(file));
    const clientId = queueTwo(old);
    old.close();
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(file, 0o644);
    expect(head(file)).toBe('SQLite format 3\0');

    const key = crypto.randomBytes(32);
    const db = track(openLocalDb(file, { key }));
    expect(unconfirmed(db, clientId).map((m) => [m.id, m.seq, m.state])).toEqual([
      ['m-1', 1, 'pending'],
      ['m-2', 2, 'pending'],
    ]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(head(file)).not.toBe('SQLite format 3\0');
    expect(mode(dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(() => openLocalDb(file)).toThrow(CacheLockedError);
  });

  it('makes a new store 0600 in a 0700 dir even without a key', () => {
    const { dir, file } = tempStore();
    track(openLocalDb(file));
    expect(mode(dir)).toBe(0o700);
    for (const f of fs.readdirSync(dir)) expect([f, mode(path.join(dir, f))]).toEqual([f, 0o600]);
  });
});
