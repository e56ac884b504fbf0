import { z } from 'zod';
import type { ReferenceSet } from '../reference/reference-set';
import type { ExtendedCategory } from '../../shared/reference/categories';
import { readAttributes, type AttributeValue } from './attributes';
import type { Fields } from './body';
import { Open311Error } from './respond';
import { serviceCategory } from './services';

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const coordinate = (limit: number) =>
  z
    .string()
    .trim()
    .regex(NUMBER, 'not a decimal number')
    .transform(Number)
    .pipe(z.number().min(-limit, `must be between -${limit} and ${limit}`).max(limit, `must be between -${limit} and ${limit}`));
const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);

/** The arguments of POST requests, as GeoReport names them; unknown ones are ignored. */
const Args = z.object({
  lat: coordinate(90).optional(),
  long: coordinate(180).optional(),
  address_string: text(200).min(2, 'at least 2 characters').optional(),
  address_id: text(40).optional(),
  // A case needs what a phone intake needs: a description of 5 to 4,000 characters.
  description: z.string({ error: 'required (5 to 4,000 characters)' }).trim().min(5, 'at least 5 characters').max(4000, 'at most 4,000 characters'),
  first_name: text(25).optional(),
  last_name: text(25).optional(),
  phone: z.string().trim().regex(/^\+?[0-9][0-9 -]{3,22}[0-9]$/, 'not a phone number').optional(),
  email: z.email('not an e-mail address').max(254, 'at most 254 characters').optional(),
  device_id: text(100).optional(),
  account_id: text(100).optional(),
  media_url: z.url({ protocol: /^https?$/, error: 'not an http(s) URL' }).max(2000, 'at most 2,000 characters').optional(),
});

export interface Submission {
  category: ExtendedCategory;
  lat: number | null;
  lon: number | null;
  /** The address text of the case, and where it resolved. */
  address: string;
  where: { districtCode: string | null; streetCode: string | null };
  addressId: string | null;
  description: string;
  callerName: string;
  callerPhone: string;
  contact: Record<string, string>;
  mediaUrl: string | null;
  answers: Record<string, AttributeValue>;
}

const CJK = /[\u3400-\u9fff]/;

/** Chinese names read family name first, without a space; others given name first. */
function fullName(first: string | undefined, last: string | undefined): string {
  const parts = [first, last].filter((p): p is string => Boolean(p));
  if (parts.length < 2) return parts[0] ?? '';
  return CJK.test(`${first ?? ''}${last ?? ''}`) ? `${last ?? ''}${first ?? ''}` : `${first ?? ''} ${last ?? ''}`;
}

/**
 * Validates a POSTed service request against the service and its attributes; every problem is
 * reported at once (400), an unknown service_code alone (404).
 */
export function readSubmission(fields: Fields, ref: ReferenceSet): Submission {
  const code = fields.args.get('service_code')?.trim() ?? '';
  if (!code) throw new Open311Error(400, 'service_code: required');
  const category = serviceCategory(ref, code);
  if (!category) throw new Open311Error(404, `service_code ${code} not found`);

  // GeoReport: an empty optional argument is the same as an absent one.
  const given = Object.fromEntries([...fields.args].filter(([, v]) => v.trim() !== ''));
  const parsed = Args.safeParse(given);
  const errors = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`);
  const args = parsed.success ? parsed.data : undefined;
  const attributes = readAttributes(category, fields.attributes);
  errors.push(...attributes.errors);

  // Location is checked on what was sent, so a bad description does not hide a missing location.
  const sent = (key: string) => key in given;
  if (sent('lat') !== sent('long')) errors.push('lat, long: send both or neither');
  if (!(sent('lat') && sent('long')) && !sent('address_string') && !sent('address_id')) {
    errors.push('location: send lat and long, address_string or address_id');
  }
  const addressId = given.address_id?.trim() ?? null;
  const place = addressId ? (ref.geography.street(addressId) ?? ref.geography.district(addressId)) : undefined;
  if (addressId && !place) errors.push(`address_id: ${addressId} is not a known street or district code`);
  if (!args || errors.length > 0) throw new Open311Error(400, errors);
  const lat = args.lat ?? null;
  const lon = args.long ?? null;

  let address = args.address_string ?? '';
  let where = address ? ref.locate(address) : { districtCode: null, streetCode: null };
  if (place) {
    // A code the client looked up places the case more firmly than free text.
    where = { districtCode: place.districtCode, streetCode: place.streetCode };
    if (!address) address = place.level === 'street' ? `${ref.geography.district(place.districtCode)?.nameZh ?? ''}${place.nameZh}` : place.nameZh;
  }
  if (!address && lat !== null && lon !== null) address = `WGS84 ${lat.toFixed(6)}, ${lon.toFixed(6)}`;

  const contact: Record<string, string> = {};
  if (args.email) contact.email = args.email;
  if (args.device_id) contact.deviceId = args.device_id;
  if (args.account_id) contact.accountId = args.account_id;
  return {
    category,
    lat,
    lon,
    address,
    where,
    addressId: place ? place.code : null,
    description: args.description,
    callerName: fullName(args.first_name, args.last_name),
    callerPhone: args.phone ?? '',
    contact,
    mediaUrl: args.media_url ?? null,
    answers: attributes.answers,
  };
}
