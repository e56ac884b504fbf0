import type http from 'node:http';
import { CLOSE_AFTER, MAX_BODY_BYTES, readBodyLimited } from '../http/json';
import { controlCharIn, describeControlChar } from '../../shared/text/control';
import { Open311Error } from './respond';

/** A POSTed request's fields: plain arguments, and `attribute[code]` answers (several for a list). */
export interface Fields {
  args: Map<string, string>;
  attributes: Map<string, string[]>;
}

const ATTRIBUTE_KEY = /^attribute\[([^\]]{1,80})\](\[\])?$/;

async function readBody(req: http.IncomingMessage): Promise<string> {
  const body = await readBodyLimited(req, MAX_BODY_BYTES, () => new Open311Error(413, `request body over ${MAX_BODY_BYTES} bytes`, CLOSE_AFTER));
  return body.toString('utf8');
}

function add(fields: Fields, key: string, value: string): void {
  // No NUL or other control character is stored (PostgreSQL cannot keep U+0000): refused, naming the field.
  const inKey = controlCharIn(key);
  const inValue = controlCharIn(value);
  if (inKey !== null || inValue !== null) {
    throw new Open311Error(400, describeControlChar({ field: inKey !== null ? 'argument name' : key, codePoint: inKey ?? inValue ?? 0 }));
  }
  const attr = ATTRIBUTE_KEY.exec(key);
  if (attr?.[1] !== undefined) {
    const list = fields.attributes.get(attr[1]) ?? [];
    list.push(value);
    fields.attributes.set(attr[1], list);
    return;
  }
  // A repeated plain argument keeps its first value, as an HTML form's first field would.
  if (!fields.args.has(key)) fields.args.set(key, value);
}

function scalar(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return '';
  throw new Open311Error(400, `${key}: expected a string, number or boolean`);
}

function fromJson(body: unknown): Fields {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Open311Error(400, 'the JSON body must be an object of request arguments');
  const fields: Fields = { args: new Map(), attributes: new Map() };
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === 'attribute' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      // {"attribute": {"code": "value" | ["v1", "v2"]}}
      for (const [code, v] of Object.entries(value as Record<string, unknown>)) {
        for (const one of Array.isArray(v) ? (v as unknown[]) : [v]) add(fields, `attribute[${code}]`, scalar(`attribute[${code}]`, one));
      }
    } else if (Array.isArray(value) && ATTRIBUTE_KEY.test(key)) {
      for (const one of value as unknown[]) add(fields, key, scalar(key, one));
    } else {
      add(fields, key, scalar(key, value));
    }
  }
  return fields;
}

/** Reads a POST body: form-encoded as GeoReport prescribes, or a JSON object of the same arguments. */
export async function readFields(req: http.IncomingMessage): Promise<Fields> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const form = type.startsWith('application/x-www-form-urlencoded');
  const json = type.startsWith('application/json');
  if (!form && !json) throw new Open311Error(415, 'send the request as application/x-www-form-urlencoded (or application/json)');
  const text = await readBody(req);
  if (json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Open311Error(400, 'the body is not valid JSON');
    }
    return fromJson(parsed);
  }
  const fields: Fields = { args: new Map(), attributes: new Map() };
  for (const [key, value] of new URLSearchParams(text)) add(fields, key, value);
  return fields;
}
