import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CACHE_KEY_BYTES } from './cipher';

/**
 * Where the key of each local store is kept: never as such beside the store, only wrapped.
 *  - by a user's password (browser mode, the CLI): scrypt(password) → AES-256-GCM. A user who
 *    logged in here before opens the store offline with the password; a stolen disk does not.
 *  - by the OS keychain (the desktop app): Electron's safeStorage, behind `OsKeychain` so that the
 *    core never imports electron (the shell gives it one, src/main/shell).
 * The file itself (`store-keys.json`, 0600 in the 0700 data dir) holds nothing that opens a store
 * without the password or the OS account.
 */
export const STORE_KEYS_FILE = 'store-keys.json';

/** The OS's secret store, as the shell offers it (Electron safeStorage's async API). */
export interface OsKeychain {
  encrypt(plain: Buffer): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<Buffer>;
}

/** The entry of the key the OS keychain seals: one key for every store of this workstation. */
export const OS_SEALED = 'workstation';

export class WrongPasswordError extends Error {
  constructor() {
    super('the password does not open this workstation cache');
    this.name = 'WrongPasswordError';
  }
}

const B64 = z.string().min(1).max(4096);
const PasswordWrap = z.object({ n: z.number().int().min(1024), salt: B64, iv: B64, tag: B64, sealed: B64, userId: z.string(), wrappedAt: z.number().int() });
type PasswordWrap = z.infer<typeof PasswordWrap>;
const StoreEntry = z.object({ os: B64.optional(), users: z.record(z.string(), PasswordWrap).default({}) });
const KeysFile = z.object({ version: z.literal(1), stores: z.record(z.string(), StoreEntry) });
type KeysFile = z.infer<typeof KeysFile>;

/** scrypt cost: 2^15 (~30 ms, 32 MiB); HOTLINE_SCRYPT_N lowers it for test runs that log in hundreds of times. */
function scryptN(): number {
  const n = Number(process.env.HOTLINE_SCRYPT_N ?? 32768);
  return Number.isInteger(n) && n >= 1024 && (n & (n - 1)) === 0 ? Math.min(n, 32768) : 32768;
}

function kek(password: string, salt: Buffer, n: number): Buffer {
  return crypto.scryptSync(password.normalize('NFC'), salt, 32, { N: n, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
}

function wrapWithPassword(key: Buffer, password: string, userId: string, now: number): PasswordWrap {
  const n = scryptN();
  const salt = crypto.randomBytes(16);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', kek(password, salt, n), iv);
  // The user id is bound into the tag: a wrap copied to another user's entry does not open.
  cipher.setAAD(Buffer.from(userId, 'utf8'));
  const sealed = Buffer.concat([cipher.update(key), cipher.final()]);
  const b = (x: Buffer) => x.toString('base64');
  return { n, salt: b(salt), iv: b(iv), tag: b(cipher.getAuthTag()), sealed: b(sealed), userId, wrappedAt: now };
}

function unwrapWithPassword(w: PasswordWrap, password: string): Buffer {
  const decipher = crypto.createDecipheriv('aes-256-gcm', kek(password, Buffer.from(w.salt, 'base64'), w.n), Buffer.from(w.iv, 'base64'));
  decipher.setAAD(Buffer.from(w.userId, 'utf8'));
  decipher.setAuthTag(Buffer.from(w.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(w.sealed, 'base64')), decipher.final()]);
  } catch {
    throw new WrongPasswordError();
  }
}

export class StoreKeys {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, STORE_KEYS_FILE);
  }

  private read(): KeysFile {
    if (!fs.existsSync(this.file)) return { version: 1, stores: {} };
    return KeysFile.parse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
  }

  private write(content: KeysFile): void {
    const dir = path.dirname(this.file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, this.file);
  }

  /** Whether a key was ever made for `store` (its file is then encrypted with it). */
  has(store: string): boolean {
    const entry = this.read().stores[store];
    return entry !== undefined && (entry.os !== undefined || Object.keys(entry.users).length > 0);
  }

  /** The users (by username) whose password opens `store`. */
  usersOf(store: string): string[] {
    return Object.keys(this.read().stores[store]?.users ?? {});
  }

  /**
   * The store's key for this user's password: null when the user has no wrap of it here (never
   * logged in here, or forgotten); WrongPasswordError when the password does not open it.
   */
  unlockWithPassword(store: string, username: string, password: string): Buffer | null {
    const wrap = this.read().stores[store]?.users[username];
    return wrap ? unwrapWithPassword(wrap, password) : null;
  }

  /** When this user's wrap was last renewed (their last online login here), or null. */
  wrappedAt(store: string, username: string): number | null {
    return this.read().stores[store]?.users[username]?.wrappedAt ?? null;
  }

  /** Keeps the key wrapped by this user's password (after an online login: the password is right). */
  rememberForUser(store: string, username: string, userId: string, password: string, key: Buffer, now = Date.now()): void {
    const content = this.read();
    const entry = content.stores[store] ?? { users: {} };
    entry.users[username] = wrapWithPassword(key, password, userId, now);
    content.stores[store] = entry;
    this.write(content);
  }

  /** Forgets one user's wrap (an admin reset their password: the old one must not open it offline). */
  forgetUser(store: string, username: string): void {
    const content = this.read();
    const entry = content.stores[store];
    if (!entry?.users[username]) return;
    entry.users = Object.fromEntries(Object.entries(entry.users).filter(([name]) => name !== username));
    this.write(content);
  }

  async unlockWithOs(store: string, keychain: OsKeychain): Promise<Buffer | null> {
    const sealed = this.read().stores[store]?.os;
    return sealed ? keychain.decrypt(Buffer.from(sealed, 'base64')) : null;
  }

  async rememberForOs(store: string, keychain: OsKeychain, key: Buffer): Promise<void> {
    const sealed = (await keychain.encrypt(key)).toString('base64');
    const content = this.read();
    const entry = content.stores[store] ?? { users: {} };
    entry.os = sealed;
    content.stores[store] = entry;
    this.write(content);
  }
}

/**
 * The desktop app's store key: unsealed by the OS keychain, or made and sealed at first start
 * (a plain store left by an older version is then encrypted in place when it opens).
 */
export async function unsealStoreKey(dataDir: string, keychain: OsKeychain): Promise<Buffer> {
  const keys = new StoreKeys(dataDir);
  const known = await keys.unlockWithOs(OS_SEALED, keychain);
  if (known) return known;
  const fresh = newStoreKey();
  await keys.rememberForOs(OS_SEALED, keychain, fresh);
  return fresh;
}

/** A fresh store key. */
export function newStoreKey(): Buffer {
  return crypto.randomBytes(CACHE_KEY_BYTES);
}
