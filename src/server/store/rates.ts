import type { Queryable } from '../db/driver';
import { ContactType } from '../../shared/domain/contact';

/** The lifecycle events the rates are made of. */
export const RATE_EVENT_KINDS = ['answer', 'dispatch', 'accept', 'return', 'reply', 'evaluate', 'merge'] as const;

/** One event of a case, with the case's columns the rates need. */
export interface RateEventRow {
  caseId: string;
  at: number;
  kind: string;
  /** The event's JSON data (actorKind, note and what the step recorded). */
  data: string;
  districtCode: string | null;
  mergedInto: string | null;
  slaClass: string | null;
  categoryCode: string;
  contactType: ContactType;
  dispatchedAt: number | null;
  signBy: number | null;
  replyBy: number | null;
}

/** BIGINT columns come back as strings from pg. */
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Ids of the cases with an answer at intake, a dispatch or an evaluation in [from, to) (index case_events_kind_at),
 * in a stable order so callers can read their events in chunks.
 */
export async function caseIdsWithRateEvents(q: Queryable, from: number, to: number): Promise<string[]> {
  const rows = await q.all<{ case_id: string }>(
    `SELECT DISTINCT case_id FROM case_events WHERE kind IN ('answer', 'dispatch', 'evaluate') AND at >= ? AND at < ? ORDER BY case_id`,
    [from, to],
  );
  return rows.map((r) => r.case_id);
}

/**
 * Every rate event of the given cases, whenever it happened (a sign-for after the period still
 * decides a dispatch inside it; a later evaluation decides which one is latest), ordered by case
 * and time.
 */
export async function rateEventsOf(q: Queryable, caseIds: readonly string[]): Promise<RateEventRow[]> {
  if (caseIds.length === 0) return [];
  const rows = await q.all(
    `SELECT e.case_id, e.at, e.kind, e.data, c.district_code, c.merged_into, c.sla_class, c.category_code, c.contact_type, c.dispatched_at, c.sign_by, c.reply_by
       FROM case_events e JOIN cases c ON c.id = e.case_id
      WHERE e.case_id IN (${caseIds.map(() => '?').join(', ')})
        AND e.kind IN (${RATE_EVENT_KINDS.map(() => '?').join(', ')})
      ORDER BY e.case_id, e.at`,
    [...caseIds, ...RATE_EVENT_KINDS],
  );
  return rows.map((r) => ({
    caseId: String(r.case_id),
    at: Number(r.at),
    kind: String(r.kind),
    data: String(r.data),
    districtCode: (r.district_code as string | null) ?? null,
    mergedInto: (r.merged_into as string | null) ?? null,
    slaClass: (r.sla_class as string | null) ?? null,
    categoryCode: String(r.category_code),
    contactType: ContactType.catch('complaint').parse(r.contact_type),
    dispatchedAt: num(r.dispatched_at),
    signBy: num(r.sign_by),
    replyBy: num(r.reply_by),
  }));
}
