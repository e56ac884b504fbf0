import crypto from 'node:crypto';

// Lighter than the server's scrypt (this only guards a local cache the OS account already
// protects) but still far too slow to brute-force a password quickly.
// HOTLINE_SCRYPT_N lowers it for test runs that log in hundreds of times (never below 2^10).
const PARAMS = { r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function scryptCostFromEnv(): number {
  const n = Number(process.env.HOTLINE_SCRYPT_N ?? 16384);
  return Number.isInteger(n) && n >= 1024 && (n & (n - 1)) === 0 ? n : 16384;
}

export function makeVerifier(password: string): string {
  const salt = crypto.randomBytes(16);
  const N = Math.min(16384, scryptCostFromEnv());
  const key = crypto.scryptSync(password, salt, 32, { ...PARAMS, N });
  return `scrypt$${N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function checkVerifier(password: string, verifier: string): boolean {
  const [kind, n, salt, key] = verifier.split('$');
  if (kind !== 'scrypt' || !n || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const got = crypto.scryptSync(password, Buffer.from(salt, 'base64'), expected.length, { ...PARAMS, N: Number(n) });
  return crypto.timingSafeEqual(got, expected);
}
