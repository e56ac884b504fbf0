import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { Semaphore, SemaphoreFull } from './semaphore';

const scryptRaw = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/**
 * Every scrypt of the server goes through this gate: a flood of logins costs at most
 * `concurrency` × ~32 MiB at once, and beyond `queue` waiting callers it is refused
 * (SemaphoreFull → 503) instead of queued without bound.
 */
export const scryptGate = new Semaphore(2, 32);

const scrypt = (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions): Promise<Buffer> =>
  scryptGate.run(() => scryptRaw(password, salt, keylen, options));

/**
 * scrypt cost. Default N=2^15, r=8, p=1: ~32 MiB and tens of ms per hash, OWASP's scrypt floor.
 * HOTLINE_SCRYPT_N lowers it for test runs that log in hundreds of times (never below 2^10).
 */
export function scryptCost(envValue = process.env.HOTLINE_SCRYPT_N, fallback = 32768): number {
  const n = Number(envValue ?? fallback);
  return Number.isInteger(n) && n >= 1024 && n <= 1048576 && (n & (n - 1)) === 0 ? n : fallback;
}

const PARAMS = { r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEYLEN = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const N = scryptCost();
  const key = await scrypt(password, salt, KEYLEN, { ...PARAMS, N });
  return `scrypt$${N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, 'base64');
  if (expected.length < 16) return false; // an empty key would make timingSafeEqual match any password
  try {
    const key = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: PARAMS.maxmem,
    });
    return crypto.timingSafeEqual(key, expected);
  } catch (error) {
    // A full gate is the server's state, not the password's: the caller answers 503.
    if (error instanceof SemaphoreFull) throw error;
    // Unreadable parameters in a stored hash: no password matches it.
    return false;
  }
}

/** Spends the same time as a real check, so unknown usernames are not revealed by timing. */
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password');
  await verifyPassword(password, await dummyHash);
}
