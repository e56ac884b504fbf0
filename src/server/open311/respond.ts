import type http from 'node:http';
import { toXml, type ItemNames } from './xml';

export type Format = 'json' | 'xml';

/** One entry of GeoReport's error array: `code` is the HTTP status, `description` says what is wrong. */
export interface Open311ErrorItem {
  code: number;
  description: string;
}

/** An error answered in GeoReport's shape; `errors` may list several problems of one request. */
export class Open311Error extends Error {
  readonly errors: readonly Open311ErrorItem[];

  constructor(
    readonly status: number,
    descriptions: string | readonly string[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    const list = typeof descriptions === 'string' ? [descriptions] : descriptions;
    super(list.join('; '));
    this.name = 'Open311Error';
    this.errors = list.map((description) => ({ code: status, description }));
  }
}

/** The array fields of GeoReport documents and the element each of their items becomes in XML. */
const ITEM_NAMES: ItemNames = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

const CONTENT_TYPE: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

export function send(res: http.ServerResponse, status: number, format: Format, root: string, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = format === 'json' ? JSON.stringify(body) : toXml(root, body, ITEM_NAMES);
  res.writeHead(status, {
    ...headers,
    'content-type': CONTENT_TYPE[format],
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

export function sendErrors(res: http.ServerResponse, format: Format, error: Open311Error): void {
  send(res, error.status, format, 'errors', error.errors, error.headers);
}
