/**
 * Session and login settings, from the environment (each has a default; tests shorten them).
 *
 * - HOTLINE_SESSION_MAX_HOURS: a session's absolute life, one shift (default 12; fractions allowed).
 * - HOTLINE_ACCESS_TTL_MS: an access token's life (default 15 min).
 * - HOTLINE_LOGIN_FREE_FAILURES: wrong passwords per account before backoff (default 5); a source
 *   address gets four times as many (a call centre's PCs may share one).
 * - HOTLINE_LOGIN_LOCK_BASE_MS / HOTLINE_LOGIN_LOCK_MAX_MS: the first lockout, doubled on every
 *   further failure, up to the cap (default 2 s … 15 min).
 * - HOTLINE_SCRYPT_CONCURRENCY: password hashes computed at once (default 2, ~32 MiB each);
 *   HOTLINE_SCRYPT_QUEUE: logins allowed to wait for one (default 32), beyond which 503.
 * - HOTLINE_STATIONS_PER_DAY: new station codes one account may create in 24 h (default 20).
 */
export interface AuthConfig {
  sessionMaxMs: number;
  accessTtlMs: number;
  freeFailures: number;
  lockBaseMs: number;
  lockMaxMs: number;
  scryptConcurrency: number;
  scryptQueue: number;
  stationsPerDay: number;
}

function num(env: NodeJS.ProcessEnv, name: string, fallback: number, opts: { integer?: boolean; min?: number } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  const min = opts.min ?? 1;
  if (!Number.isFinite(value) || value < min || (opts.integer !== false && !Number.isInteger(value))) {
    throw new Error(`${name} must be a ${opts.integer === false ? 'number' : 'whole number'} ≥ ${min}, got ${raw}`);
  }
  return value;
}

export function authConfigFrom(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  return {
    sessionMaxMs: Math.round(num(env, 'HOTLINE_SESSION_MAX_HOURS', 12, { integer: false, min: 0.0001 }) * 3_600_000),
    accessTtlMs: num(env, 'HOTLINE_ACCESS_TTL_MS', 15 * 60_000, { min: 500 }),
    freeFailures: num(env, 'HOTLINE_LOGIN_FREE_FAILURES', 5),
    lockBaseMs: num(env, 'HOTLINE_LOGIN_LOCK_BASE_MS', 2000, { min: 100 }),
    lockMaxMs: num(env, 'HOTLINE_LOGIN_LOCK_MAX_MS', 15 * 60_000, { min: 100 }),
    scryptConcurrency: num(env, 'HOTLINE_SCRYPT_CONCURRENCY', 2),
    scryptQueue: num(env, 'HOTLINE_SCRYPT_QUEUE', 32, { min: 0 }),
    stationsPerDay: num(env, 'HOTLINE_STATIONS_PER_DAY', 20),
  };
}
