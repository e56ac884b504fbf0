import type http from 'node:http';
import type { Database } from '../db/driver';
import type { Logger } from '../log';
import type { Poke } from '../../shared/sync/protocol';
import type { ReferenceSet } from '../reference/reference-set';
import { authenticateApiKey } from '../store/api-keys';
import { caseNumberOfToken, listRequests } from '../store/open311';
import { readFields } from './body';
import { OPEN311_BASE, type Open311Config } from './config';
import { createRequest } from './create';
import { pickLocale, type Locale } from './locale';
import { CLOSED_STATUSES, presentRequest, serviceNotice } from './present';
import { readRequestQuery } from './requests';
import { Open311Error, send, sendErrors, type Format } from './respond';
import { serviceCategory, serviceDefinition, serviceList } from './services';
import { readSubmission } from './submission';

export interface Open311Deps {
  db: Database;
  ref: ReferenceSet;
  log: Logger;
  poke: (pokes: readonly Poke[]) => void;
  open311: Open311Config;
}

interface Call {
  deps: Open311Deps;
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  format: Format;
  locale: Locale;
}

const SPEC = 'http://wiki.open311.org/GeoReport_v2';
const RESOURCE = /^(discovery|services|requests|tokens)(?:\/([^/]+?))?\.(json|xml)$/;

function only(call: Call, ...methods: string[]): void {
  if (!methods.includes(call.req.method ?? '')) {
    throw new Open311Error(405, `use ${methods.join(' or ')}`, { allow: methods.join(', ') });
  }
}

function discovery(call: Call): void {
  const host = call.req.headers.host ?? 'localhost';
  const url = call.deps.open311.baseUrl ?? `http://${host}${OPEN311_BASE}`;
  send(call.res, 200, call.format, 'discovery', {
    changeset: call.deps.open311.changeset,
    contact: '12345 市民服务热线 / 12345 citizen service hotline',
    key_service: 'API keys are issued by the hotline operations team (see docs/open311.md).',
    endpoints: [{ specification: SPEC, url, changeset: call.deps.open311.changeset, type: 'production', formats: ['text/xml', 'application/json'] }],
  });
}

/** The key from the `X-API-Key` header (or `Authorization: Bearer`), when the body has none. */
function headerKey(req: http.IncomingMessage): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header.trim() !== '') return header.trim();
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
}

export const QUERY_KEY_REFUSED =
  'api_key may not be sent in the query string (URLs end up in proxy and server logs): send it in the form body or the X-API-Key header, and replace this key, which has been exposed';

async function postRequest(call: Call): Promise<void> {
  const { deps, req } = call;
  const fields = await readFields(req);
  const key = fields.args.get('api_key') ?? headerKey(req) ?? '';
  const client = key ? await authenticateApiKey(deps.db, key, 'open311') : null;
  if (!client) throw new Open311Error(403, key ? 'api_key is not valid' : 'api_key is required to create a service request');
  const submission = readSubmission(fields, deps.ref);
  const { value, pokes } = await createRequest(deps.db, deps.ref, deps.open311, submission, client.keyId);
  deps.poke(pokes);
  deps.log.info('open311 request', { client: client.keyId, number: value.record.number, unitId: value.record.unitId });
  // service_notice and account_id "may not be returned": absent rather than null when there is none.
  const created: Record<string, string> = { service_request_id: value.record.number };
  const notice = serviceNotice(value.record, deps.ref, call.locale);
  if (notice) created.service_notice = notice;
  const accountId = fields.args.get('account_id')?.trim();
  if (accountId) created.account_id = accountId;
  send(call.res, 200, call.format, 'service_requests', [created]);
}

async function getRequests(call: Call, numbers?: string[]): Promise<void> {
  const filter = numbers ? { numbers, limit: 1 } : readRequestQuery(call.url.searchParams, call.deps.ref);
  const found = await listRequests(call.deps.db, filter, CLOSED_STATUSES);
  if (numbers && found.length === 0) throw new Open311Error(404, `service request ${numbers[0] ?? ''} not found`);
  const body = found.map((f) => presentRequest(f.record, f, call.deps.ref, call.locale));
  send(call.res, 200, call.format, 'service_requests', body);
}

async function route(call: Call, resource: string, id: string | undefined): Promise<void> {
  const { deps } = call;
  if (resource === 'discovery' && id === undefined) {
    only(call, 'GET');
    return discovery(call);
  }
  if (resource === 'services') {
    only(call, 'GET');
    if (id === undefined) return send(call.res, 200, call.format, 'services', serviceList(deps.ref, call.locale));
    const category = serviceCategory(deps.ref, id);
    if (!category) throw new Open311Error(404, `service_code ${id} not found`);
    return send(call.res, 200, call.format, 'service_definition', serviceDefinition(category, call.locale));
  }
  if (resource === 'requests') {
    if (id !== undefined) {
      only(call, 'GET');
      return getRequests(call, [id]);
    }
    only(call, 'GET', 'POST');
    return call.req.method === 'POST' ? postRequest(call) : getRequests(call);
  }
  if (resource === 'tokens' && id !== undefined) {
    only(call, 'GET');
    const number = await caseNumberOfToken(deps.db, id);
    if (!number) throw new Open311Error(404, `token ${id} not found`);
    return send(call.res, 200, call.format, 'service_requests', [{ service_request_id: number, token: id }]);
  }
  throw new Open311Error(404, 'no such GeoReport v2 resource');
}

/** GeoReport v2 under /open311/v2/: answers every request in its own JSON or XML, errors included. */
export async function handleOpen311(deps: Open311Deps, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
  if (url.pathname !== OPEN311_BASE && !url.pathname.startsWith(`${OPEN311_BASE}/`)) return false;
  const rest = url.pathname.slice(OPEN311_BASE.length + 1);
  const match = RESOURCE.exec(rest);
  // Even a path that names no resource is answered in the format its suffix asks for.
  const format: Format = rest.endsWith('.xml') ? 'xml' : 'json';
  const call: Call = { deps, req, res, url, format, locale: pickLocale(url, req) };
  try {
    // Refused on every resource, before anything else: a key in a URL is a leaked key.
    if (url.searchParams.has('api_key')) throw new Open311Error(400, QUERY_KEY_REFUSED);
    if (!match?.[1]) throw new Open311Error(404, 'no such GeoReport v2 resource (append .json or .xml)');
    let id: string | undefined;
    try {
      id = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    } catch {
      throw new Open311Error(400, 'the path is not valid percent-encoding');
    }
    await route(call, match[1], id);
  } catch (error) {
    if (error instanceof Open311Error) {
      // Whatever of the body was not read is drained so the client gets its answer.
      if (!req.complete) req.resume();
      sendErrors(res, format, error);
    } else {
      deps.log.error('open311 request failed', { path: url.pathname, error });
      sendErrors(res, format, new Open311Error(500, 'internal server error'));
    }
  }
  return true;
}
