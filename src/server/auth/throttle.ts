import crypto from 'node:crypto';

interface Entry {
  /** Attempts counted against the key (an attempt counts from its start; a success takes it back). */
  failures: number;
  lockedUntil: number;
  lastAt: number;
}

export interface ThrottleConfig {
  /** Attempts per account before the first lockout; a source gets `sourceFactor` times as many. */
  freeFailures: number;
  lockBaseMs: number;
  lockMaxMs: number;
  sourceFactor?: number;
}

export type ThrottleCheck = { ok: true } | { ok: false; retryAfterMs: number; by: 'account' | 'source' };

/** What one attempt's start did: the keys it counted against, and whether it began a lockout. */
export interface AttemptTicket {
  account: string;
  source: string;
  /** This attempt locked the account (the first lockout of a streak): tell the admins. */
  lockedAccount: boolean;
  lockedSource: boolean;
}

const MAX_ENTRIES = 100_000;

/** The throttle key of a typed username: the same for accounts that exist and those that do not. */
export function accountKey(username: string): string {
  return `a:${crypto.createHash('sha256').update(username.trim().toLowerCase()).digest('base64url').slice(0, 22)}`;
}

/** A short hash of a typed username for logs (never the username itself: it is often a mistyped password). */
export function usernameHash(username: string): string {
  return crypto.createHash('sha256').update(`hotline-login:${username.trim().toLowerCase()}`).digest('hex').slice(0, 12);
}

/**
 * Login throttling per account and per source address, in this node's memory. Each attempt is
 * counted when it starts (so sixty attempts sent at once are counted before any of them is
 * checked); a right password takes its count back. Past the free attempts every further one locks
 * the key for base × 2^k (up to the cap); a locked key is answered 429 before any scrypt work.
 * A key quiet for twice the cap starts afresh.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly cfg: ThrottleConfig) {}

  private get forgetMs(): number {
    return this.cfg.lockMaxMs * 2;
  }

  private entry(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.lockedUntil <= now && now - e.lastAt > this.forgetMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  check(account: string, source: string, now = Date.now()): ThrottleCheck {
    const a = this.entry(account, now);
    const s = this.entry(source, now);
    const aWait = a ? a.lockedUntil - now : 0;
    const sWait = s ? s.lockedUntil - now : 0;
    if (aWait <= 0 && sWait <= 0) return { ok: true };
    return aWait >= sWait ? { ok: false, retryAfterMs: aWait, by: 'account' } : { ok: false, retryAfterMs: sWait, by: 'source' };
  }

  /** Counts an attempt against both keys (call right after a passing `check`, before any await). */
  begin(account: string, source: string, now = Date.now()): AttemptTicket {
    const lockedAccount = this.count(account, this.cfg.freeFailures, now);
    const lockedSource = this.count(source, this.cfg.freeFailures * (this.cfg.sourceFactor ?? 4), now);
    this.prune(now);
    return { account, source, lockedAccount, lockedSource };
  }

  /** The password was right: the account starts afresh, the source gets this attempt back. */
  succeed(ticket: AttemptTicket): void {
    this.entries.delete(ticket.account);
    const s = this.entries.get(ticket.source);
    if (s) s.failures = Math.max(0, s.failures - 1);
  }

  private count(key: string, free: number, now: number): boolean {
    const e = this.entry(key, now) ?? { failures: 0, lockedUntil: 0, lastAt: now };
    e.failures += 1;
    e.lastAt = now;
    this.entries.set(key, e);
    if (e.failures < free) return false;
    const wait = Math.min(this.cfg.lockBaseMs * 2 ** (e.failures - free), this.cfg.lockMaxMs);
    e.lockedUntil = Math.max(e.lockedUntil, now + wait);
    return e.failures === free;
  }

  private prune(now: number): void {
    if (this.entries.size <= MAX_ENTRIES) return;
    for (const [key, e] of this.entries) {
      if (e.lockedUntil <= now && now - e.lastAt > this.cfg.lockBaseMs) this.entries.delete(key);
      if (this.entries.size <= MAX_ENTRIES * 0.9) return;
    }
    // Everything is fresh (a flood from many addresses): drop the oldest rather than grow.
    for (const key of this.entries.keys()) {
      this.entries.delete(key);
      if (this.entries.size <= MAX_ENTRIES * 0.9) return;
    }
  }
}
