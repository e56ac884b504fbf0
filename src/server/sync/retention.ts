/**
 * How long a closed case stays in the workstations' caches. A team's workstations hold its open
 * cases and those closed in the last `CASE_RETENTION_DAYS` (default 90); older ones leave the sync
 * scopes (a tombstone each) and live on the server alone, where a search finds them. So a
 * workstation's store stays the size of a few months of its team's work, not of years.
 */
export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 24 * 3_600_000;

let configured: number | undefined;

export function caseRetentionMs(): number {
  if (configured === undefined) {
    const raw = process.env.CASE_RETENTION_DAYS;
    const days = raw === undefined || raw === '' ? DEFAULT_RETENTION_DAYS : Number(raw);
    if (!Number.isFinite(days) || days <= 0) throw new Error(`CASE_RETENTION_DAYS must be a positive number of days, got ${raw ?? ''}`);
    configured = days * DAY_MS;
  }
  return configured;
}

/** What scope decisions depend on besides the entity itself: the moment, and the retention. */
export interface ScopeContext {
  now: number;
  retentionMs: number;
}

export function scopeContextNow(): ScopeContext {
  return { now: Date.now(), retentionMs: caseRetentionMs() };
}
