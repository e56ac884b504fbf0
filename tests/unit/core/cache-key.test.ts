import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newStoreKey, OS_SEALED, StoreKeys, unsealStoreKey, WrongPasswordError, type OsKeychain } from '../../../src/main/core/store/cache-key';
import { openLocalDb } from '../../../src/main/core/store/db';
import { CacheLockedError } from '../../../src/main/core/store/cipher';
import { makeTempDir, removeDir } from '../../helpers/tmp';

const dirs: string[] = [];
function dataDir(): string {
  const dir = makeTempDir('hotline-keys-');
  dirs.push(dir);
  return path.join(dir, 'ws');
}
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d);
});
const STORE = 'workstation.sqlite';
type Wraps = Record<string, { userId: string }>;
interface KeysJson {
  stores: Record<string, { users: Wraps }>;
}

/**
 * The OS keychain as the desktop shell gives it (safeStorage): here an AES-GCM key that lives only
 * in this process, as the OS account's secret lives only in the OS.
 */
function processKeychain(): OsKeychain {
  const secret = crypto.randomBytes(32);
  return {
    encrypt: (plain) => {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', secret, iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Promise.resolve(Buffer.concat([iv, c.getAuthTag(), body]));
    },
    decrypt: (sealed) => {
      const d = crypto.createDecipheriv('aes-256-gcm', secret, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Promise.resolve(Buffer.concat([d.update(sealed.subarray(28)), d.final()]));
    },
  };
}

describe('the store key, kept only wrapped', () => {
  it('opens the encrypted store offline with the password of a user who logged in here, not with a wrong one', () => {
    const dir = dataDir();
    const keys = new StoreKeys(dir);
    const key = newStoreKey();
    const file = path.join(dir, STORE);
    openLocalDb(file, { key }).close();
    // The online login of op1 wrapped the key with op1's password.
    keys.rememberForUser(STORE, 'op1', 'u-op1', 'hotline123', key);
    expect(fs.statSync(keys.file).mode & 0o777).toBe(0o600);
    // Nothing in the file is the key itself.
    const text = fs.readFileSync(keys.file, 'utf8');
    expect(text).not.toContain(key.toString('base64'));
    expect(text).not.toContain(key.toString('hex'));

    // Offline, later: the password opens it.
    const offline = new StoreKeys(dir).unlockWithPassword(STORE, 'op1', 'hotline123');
    expect(offline?.equals(key)).toBe(true);
    const db = openLocalDb(file, { key: offline ?? undefined });
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    db.close();
    // A wrong password, another user, a user who never logged in here: no key.
    expect(() => keys.unlockWithPassword(STORE, 'op1', 'hotline124')).toThrow(WrongPasswordError);
    expect(keys.unlockWithPassword(STORE, 'op2', 'hotline123')).toBeNull();
    expect(() => openLocalDb(file)).toThrow(CacheLockedError);
  });

  it('binds a wrap to its user: copied under another user it does not open', () => {
    const dir = dataDir();
    const keys = new StoreKeys(dir);
    keys.rememberForUser(STORE, 'op1', 'u-op1', 'pw-one', newStoreKey());
    const content = JSON.parse(fs.readFileSync(keys.file, 'utf8')) as KeysJson;
    const entry = content.stores[STORE];
    const op1 = entry?.users.op1;
    if (!entry || !op1) throw new Error('no wrap written');
    entry.users.op2 = { ...op1, userId: 'u-op2' };
    fs.writeFileSync(keys.file, JSON.stringify(content));
    expect(() => keys.unlockWithPassword(STORE, 'op2', 'pw-one')).toThrow(WrongPasswordError);
    keys.forgetUser(STORE, 'op1');
    expect(keys.usersOf(STORE)).toEqual(['op2']);
  });

  it('in the desktop app, the OS keychain seals one key for the workstation, made at first start and the same after', async () => {
    const dir = dataDir();
    const keychain = processKeychain();
    const first = await unsealStoreKey(dir, keychain);
    const again = await unsealStoreKey(dir, keychain);
    expect(again.equals(first)).toBe(true);
    expect(new StoreKeys(dir).has(OS_SEALED)).toBe(true);
    // Another OS account (another keychain) cannot unseal it.
    await expect(unsealStoreKey(dir, processKeychain())).rejects.toThrow();
  });
});
