import crypto from 'node:crypto';

// Lighter than the server's scrypt (this only guards a local cache the OS account already
// protects) but still far too slow to brute-force a password quickly.
const PARAMS = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export function makeVerifier(password: string): string {
  const salt = crypto.randomBytes(16);
  const key = crypto.scryptSync(password, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function checkVerifier(password: string, verifier: string): boolean {
  const [kind, n, salt, key] = verifier.split('$');
  if (kind !== 'scrypt' || !n || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const got = crypto.scryptSync(password, Buffer.from(salt, 'base64'), expected.length, { ...PARAMS, N: Number(n) });
  return crypto.timingSafeEqual(got, expected);
}
