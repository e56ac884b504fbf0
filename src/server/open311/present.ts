import type { CaseRecord, CaseStatus } from '../../shared/domain/case';
import type { ReferenceSet } from '../reference/reference-set';
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

/** The published form of a case: no caller name or phone, contact details masked in the text. */
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

// Mainland mobiles and landlines (7+ digits, maybe split by spaces or dashes) and e-mail addresses.
const PHONE_LIKE = /\+?\d(?:[ -]?\d){6,}/g;
const EMAIL_LIKE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/** Operators type callback numbers into descriptions; a public listing must not show them. */
export function maskContacts(text: string): string {
  return text.replace(EMAIL_LIKE, '***@***').replace(PHONE_LIKE, (m) => `${m.slice(0, 3)}****`);
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
    description: maskContacts(c.description),
    agency_responsible: unit ? bi(locale, unit.nameZh, unit.nameEn) : null,
    service_notice: serviceNotice(c, ref, locale),
    requested_datetime: formatW3c(c.createdAt),
    updated_datetime: formatW3c(status === 'closed' ? (c.closedAt ?? c.updatedAt) : c.updatedAt),
    expected_datetime: c.replyBy === null ? null : formatW3c(c.replyBy),
    address: maskContacts(c.address),
    address_id: extras.addressId ?? c.streetCode ?? c.districtCode,
    zipcode: null,
    lat: extras.lat,
    long: extras.lon,
    media_url: extras.mediaUrl,
  };
}
