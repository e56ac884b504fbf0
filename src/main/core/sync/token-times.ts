import { z } from 'zod';

const Times = z.object({ iat: z.number(), exp: z.number() });

/** When a server token was issued and when it expires (server time), read from its payload; zeros if unreadable. */
export function tokenTimes(token: string): { iat: number; exp: number } {
  try {
    return Times.parse(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')));
  } catch {
    return { iat: 0, exp: 0 };
  }
}

/**
 * When to get the next access token: a minute before this one expires, or at three quarters of
 * its life if it is shorter than four minutes (server time).
 */
export function renewAt(times: { iat: number; exp: number }): number {
  return times.exp - Math.min(60_000, Math.max(0, times.exp - times.iat) / 4);
}
