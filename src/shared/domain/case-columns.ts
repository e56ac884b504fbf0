import type { CaseRecord } from './case';

type ScalarKey = { [K in keyof CaseRecord]: CaseRecord[K] extends string | number | null ? K : never }[keyof CaseRecord];

/**
 * The columns of a `cases` row and the record field each holds, for both stores: the server keeps
 * every one (its queries, the unit API and the rates filter by them), the workstation those its
 * queues filter and sort by (`local`). Every other field of the record lives in the row's `detail`
 * (JSON). Both stores' migrations must agree with this list (tests/unit/case-columns.test.ts).
 */
export const CASE_COLUMNS: readonly { column: string; key: ScalarKey; local: boolean }[] = [
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
];

/** [column, record key] pairs of one store. */
export function caseColumnsOf(store: 'server' | 'local'): readonly (readonly [string, ScalarKey])[] {
  return CASE_COLUMNS.filter((c) => store === 'server' || c.local).map((c) => [c.column, c.key] as const);
}
