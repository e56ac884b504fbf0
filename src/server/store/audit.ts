import crypto from 'node:crypto';
import type { Queryable } from '../db/driver';

/**
 * The audit trail of security events: who (a user id, or `system`) did what (`user.create`,
 * `session.end`, `login.locked` …) to whom, when, with details. Rows are only ever added.
 */
export interface AuditEntry {
  id: string;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

export async function audit(q: Queryable, entry: { actor: string; action: string; target?: string | null; detail?: Record<string, unknown>; at?: number }): Promise<void> {
  await q.run('INSERT INTO audit_log (id, at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)', [
    crypto.randomUUID(),
    entry.at ?? Date.now(),
    entry.actor,
    entry.action,
    entry.target ?? null,
    JSON.stringify(entry.detail ?? {}),
  ]);
}

/** Newest first; `action` filters by prefix (`login.`, `user.`). */
export async function listAudit(q: Queryable, opts: { limit: number; action?: string | undefined }): Promise<AuditEntry[]> {
  const rows = opts.action
    ? await q.all<Record<string, unknown>>('SELECT * FROM audit_log WHERE action LIKE ? ORDER BY at DESC, id LIMIT ?', [`${opts.action}%`, opts.limit])
    : await q.all<Record<string, unknown>>('SELECT * FROM audit_log ORDER BY at DESC, id LIMIT ?', [opts.limit]);
  return rows.map((r) => ({
    id: String(r['id']),
    at: Number(r['at']),
    actor: String(r['actor']),
    action: String(r['action']),
    target: typeof r['target'] === 'string' ? r['target'] : null,
    detail: JSON.parse(String(r['detail'])) as Record<string, unknown>,
  }));
}
