import type { CaseRecord } from './case';

type ScalarKey = { [K in keyof CaseRecord]: CaseRecord[K] extends string | number | boolean | null ? K : never }[keyof CaseRecord];

/**
 * The columns of a `cases` row and the record field each holds, for both stores: the server keeps
 * every one (its queries, the unit API and the rates filter by them), the workstation those its
 * queues filter and sort by (`local`). Every other field of the record lives in the row's `detail`
 * (JSON). Both stores' migrations must agree with this list (tests/unit/case-columns.test.ts).
 */
export const CASE_COLUMNS: readonly { column: string; key: ScalarKey; local: boolean; bool?: true }[] = [
  { column: 'id', key: 'id', local: true },
  { column: 'number', key: 'number', local: true },
  { column: 'status', key: 'status', local: true },
  { column: 'channel', key: 'channel', local: true },
  { column: 'caller_phone', key: 'callerPhone', local: true },
  { column: 'caller_name', key: 'callerName', local: true },
  { column: 'category_code', key: 'categoryCode', local: true },
  { column: 'address', key: 'address', local: true },
  { column: 'description', key: 'description', local: true },
  { column: 'created_by', key: 'createdBy', local: true },
  { column: 'team', key: 'team', local: true },
  { column: 'station', key: 'station', local: true },
  { column: 'created_at', key: 'createdAt', local: true },
  { column: 'updated_at', key: 'updatedAt', local: true },
  { column: 'assignee', key: 'assignee', local: true },
  { column: 'rev', key: 'rev', local: true },
  { column: 'sla_class', key: 'slaClass', local: false },
  { column: 'district_code', key: 'districtCode', local: false },
  { column: 'street_code', key: 'streetCode', local: false },
  { column: 'unit_id', key: 'unitId', local: true },
  { column: 'dispatched_at', key: 'dispatchedAt', local: false },
  { column: 'sign_by', key: 'signBy', local: true },
  { column: 'reply_by', key: 'replyBy', local: true },
  { column: 'closed_at', key: 'closedAt', local: false },
  { column: 'merged_into', key: 'mergedInto', local: false },
  // The intake record (server migration 5, local migration 3): queues sort and filter by these.
  { column: 'contact_type', key: 'contactType', local: true },
  { column: 'urgency', key: 'urgency', local: true },
  { column: 'language', key: 'language', local: true },
  { column: 'dispatch_by', key: 'dispatchBy', local: true },
  // Open311's public listing leaves confidential cases out in SQL.
  { column: 'confidential', key: 'confidential', local: false, bool: true },
];

export type CaseColumn = (typeof CASE_COLUMNS)[number];

/** The columns of one store. */
export function caseColumnsOf(store: 'server' | 'local'): readonly CaseColumn[] {
  return CASE_COLUMNS.filter((c) => store === 'server' || c.local);
}

/** A record field as its column stores it (booleans as 0/1: SQLite and PostgreSQL alike). */
export function toColumn(c: CaseColumn, record: CaseRecord): string | number | null {
  const value = record[c.key];
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/** A column's value as the record field (0/1 back to booleans). */
export function fromColumn(c: CaseColumn, value: unknown): unknown {
  return c.bool ? value === 1 || value === true || value === '1' : value;
}
