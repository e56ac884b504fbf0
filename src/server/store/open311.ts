import type { Queryable, SqlValue } from '../db/driver';
import type { CaseRecord } from '../../shared/domain/case';
import { caseFromRow, type CaseRow } from './cases';

/** The next number of the server's Open311 case sequence (a counter row, locked until commit). */
export async function nextOpen311Seq(q: Queryable): Promise<number> {
  const row = await q.get<{ value: unknown }>("UPDATE counters SET value = value + 1 WHERE name = 'open311' RETURNING value");
  if (!row) throw new Error('open311 counter row missing');
  return Number(row.value);
}

export interface Open311RequestRow {
  token: string;
  caseId: string;
  clientKey: string;
  createdAt: number;
  lat: number | null;
  lon: number | null;
  addressId: string | null;
  mediaUrl: string | null;
  /** Attribute answers by code. */
  attributes: Record<string, unknown>;
  /** The submitter's contact details beyond the case's name and phone; never published. */
  contact: Record<string, string>;
}

export async function insertOpen311Request(q: Queryable, r: Open311RequestRow): Promise<void> {
  await q.run(
    `INSERT INTO open311_requests (token, case_id, client_key, created_at, lat, lon, address_id, media_url, attributes, contact)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.token, r.caseId, r.clientKey, r.createdAt, r.lat, r.lon, r.addressId, r.mediaUrl, JSON.stringify(r.attributes), JSON.stringify(r.contact)],
  );
}

/** The case number a token stands for, or null for an unknown token. */
export async function caseNumberOfToken(q: Queryable, token: string): Promise<string | null> {
  const row = await q.get<{ number: string }>('SELECT c.number FROM open311_requests o JOIN cases c ON c.id = o.case_id WHERE o.token = ?', [token]);
  return row?.number ?? null;
}

export interface RequestFilter {
  /** Case numbers; when given, every other filter is ignored (GeoReport: it "overrides all other arguments"). */
  numbers?: readonly string[];
  from?: number;
  to?: number;
  categoryCodes?: readonly string[];
  /** Only finished cases (true), only unfinished ones (false), or both (undefined). */
  closed?: boolean;
  limit: number;
}

export interface ListedRequest {
  record: CaseRecord;
  lat: number | null;
  lon: number | null;
  addressId: string | null;
  mediaUrl: string | null;
}

interface ListedRow extends CaseRow {
  o311_lat: unknown;
  o311_lon: unknown;
  o311_address_id: string | null;
  o311_media_url: string | null;
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Cases of every channel with their Open311 extras, newest first; a confidential case is never listed, not even by its number. */
export async function listRequests(q: Queryable, f: RequestFilter, closedStatuses: readonly string[]): Promise<ListedRequest[]> {
  const where: string[] = ['c.confidential = 0'];
  const params: SqlValue[] = [];
  if (f.numbers) {
    if (f.numbers.length === 0) return [];
    where.push(`c.number IN (${marks(f.numbers.length)})`);
    params.push(...f.numbers);
  } else {
    if (f.from !== undefined) {
      where.push('c.created_at >= ?');
      params.push(f.from);
    }
    if (f.to !== undefined) {
      where.push('c.created_at <= ?');
      params.push(f.to);
    }
    if (f.categoryCodes) {
      where.push(`c.category_code IN (${marks(f.categoryCodes.length)})`);
      params.push(...f.categoryCodes);
    }
    if (f.closed !== undefined) {
      where.push(`c.status ${f.closed ? '' : 'NOT '}IN (${marks(closedStatuses.length)})`);
      params.push(...closedStatuses);
    }
  }
  const rows = await q.all<ListedRow>(
    `SELECT c.*, o.lat AS o311_lat, o.lon AS o311_lon, o.address_id AS o311_address_id, o.media_url AS o311_media_url
     FROM cases c LEFT JOIN open311_requests o ON o.case_id = c.id
     WHERE ${where.join(' AND ')}
     ORDER BY c.created_at DESC, c.number DESC LIMIT ?`,
    [...params, f.limit],
  );
  return rows.map((r) => ({
    record: caseFromRow(r),
    lat: num(r.o311_lat),
    lon: num(r.o311_lon),
    addressId: r.o311_address_id,
    mediaUrl: r.o311_media_url,
  }));
}
