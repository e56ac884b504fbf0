import type { CaseRecord, CaseStatus } from '../../shared/domain/case';
import type { ReferenceSet } from '../reference/reference-set';
import { redactPersonalData } from '../../shared/privacy/redact';
import { formatW3c } from './datetime';
import { bi, type Locale } from './locale';

/** GeoReport has two statuses; ours map onto them: finished (closed, merged) or not. */
export const CLOSED_STATUSES: readonly CaseStatus[] = ['closed', 'merged'];

export function open311Status(status: CaseStatus): 'open' | 'closed' {
  return CLOSED_STATUSES.includes(status) ? 'closed' : 'open';
}

const STATUS_NOTES: Record<CaseStatus, [string, string]> = {
  registered: ['已受理，等待派发', 'Registered; waiting to be dispatched'],
  answered: ['已在受理时直接答复', 'Answered directly at intake'],
  dispatched: ['已派发，等待承办单位签收', 'Dispatched; waiting for the responsible unit to sign for it'],
  accepted: ['承办单位已签收，正在办理', 'The responsible unit signed for it and is working on it'],
  returned: ['承办单位退回，等待重新派发', 'Returned by the unit; waiting to be dispatched again'],
  replied: ['承办单位已答复，等待回访', 'The unit replied; a callback to the citizen follows'],
  evaluated: ['已回访', 'The citizen was called back'],
  closed: ['已办结', 'Closed'],
  reopened: ['已重新办理', 'Reopened'],
  merged: ['重复诉求，已并入其他工单', 'Duplicate; merged into another request'],
};

/** The published form of a case: no caller name or phone, no operator's text, location at street level. */
export interface RequestOut {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string | null;
  service_code: string;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string;
  address_id: string | null;
  zipcode: null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/** Open311-only facts stored beside the case (null for cases from other channels). */
export interface RequestExtras {
  lat: number | null;
  lon: number | null;
  addressId: string | null;
  mediaUrl: string | null;
}

export const NO_EXTRAS: RequestExtras = { lat: null, lon: null, addressId: null, mediaUrl: null };

/** Public coordinates are rounded to 0.01° (about 1 km): the street/township, not the house. */
const COORDINATE_STEP = 100;
export const publicCoordinate = (v: number | null): number | null => (v === null ? null : Math.round(v * COORDINATE_STEP) / COORDINATE_STEP);

/**
 * Where a case is, as the public may see it: the district and the street/township it resolved to
 * (never the house number, building or flat the caller gave), else rounded coordinates, else ''.
 */
export function publicLocation(c: CaseRecord, extras: RequestExtras, ref: ReferenceSet, locale: Locale): string {
  const geo = ref.geography;
  const street = c.streetCode ? geo.street(c.streetCode) : undefined;
  const district = geo.district(street?.districtCode ?? c.districtCode ?? '');
  const name = (p: { nameZh: string; nameEn: string | null } | undefined) => (p ? bi(locale, p.nameZh, p.nameEn ?? p.nameZh) : '');
  if (district) return [name(district), name(street)].filter((n) => n !== '').join(locale === 'en' ? ', ' : '');
  const lat = publicCoordinate(extras.lat);
  const lon = publicCoordinate(extras.lon);
  return lat !== null && lon !== null ? `WGS84 ${lat.toFixed(2)}, ${lon.toFixed(2)}` : '';
}

/**
 * What the public reads of a case's text: an Open311 submitter's own description with personal
 * data redacted; never the free text an operator typed from a call (or the web form), only what
 * the call was about.
 */
export function publicDescription(c: CaseRecord, ref: ReferenceSet, locale: Locale): string {
  if (c.channel === 'open311') return redactPersonalData(c.description);
  const category = ref.category(c.categoryCode);
  const about = category ? bi(locale, category.nameZh, category.nameEn) : c.categoryCode;
  return bi(locale, `市民来电反映：${about}。（来电内容不公开）`, `A citizen called the hotline about: ${about}. (What the caller said is not published.)`);
}

/** What happens next, in a sentence, while a unit has the case. */
export function serviceNotice(c: CaseRecord, ref: ReferenceSet, locale: Locale): string | null {
  if (open311Status(c.status) === 'closed') return null;
  const unit = c.unitId ? ref.unit(c.unitId) : undefined;
  if (unit && (c.status === 'dispatched' || c.status === 'accepted')) {
    const name = bi(locale, unit.nameZh, unit.nameEn);
    if (c.replyBy === null) return bi(locale, `已派发至${name}办理。`, `Dispatched to ${name}.`);
    const by = formatW3c(c.replyBy);
    return bi(locale, `已派发至${name}，承办单位应于 ${by} 前答复。`, `Dispatched to ${name}, which must reply by ${by}.`);
  }
  if (c.status === 'registered' || c.status === 'returned' || c.status === 'reopened') {
    return bi(locale, '热线话务员将核实后派发至承办单位。', 'A hotline operator will review it and dispatch it to the responsible unit.');
  }
  return null;
}

export function presentRequest(c: CaseRecord, extras: RequestExtras, ref: ReferenceSet, locale: Locale): RequestOut {
  const category = ref.category(c.categoryCode);
  const unit = c.unitId ? ref.unit(c.unitId) : undefined;
  const status = open311Status(c.status);
  const notes = STATUS_NOTES[c.status];
  return {
    service_request_id: c.number,
    status,
    status_notes: bi(locale, notes[0], notes[1]),
    service_name: category ? bi(locale, category.nameZh, category.nameEn) : null,
    service_code: c.categoryCode,
    description: publicDescription(c, ref, locale),
    agency_responsible: unit ? bi(locale, unit.nameZh, unit.nameEn) : null,
    service_notice: serviceNotice(c, ref, locale),
    requested_datetime: formatW3c(c.createdAt),
    updated_datetime: formatW3c(status === 'closed' ? (c.closedAt ?? c.updatedAt) : c.updatedAt),
    expected_datetime: c.replyBy === null ? null : formatW3c(c.replyBy),
    address: publicLocation(c, extras, ref, locale),
    address_id: extras.addressId ?? c.streetCode ?? c.districtCode,
    zipcode: null,
    lat: publicCoordinate(extras.lat),
    long: publicCoordinate(extras.lon),
    media_url: extras.mediaUrl,
  };
}
