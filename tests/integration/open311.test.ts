import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { startServer, type RunningServer } from '../../src/server/app';
import { createLogger } from '../../src/server/log';
import { shippedReferenceSet } from '../../src/server/reference/reference-set';
import { LoginResponse } from '../../src/shared/sync/auth';
import { CaseRecord, StationCode } from '../../src/shared/domain/case';
import { SlaClass } from '../../src/shared/domain/reference';
import { PROTOCOL_VERSION, PullResponse, PushResponse, type Mutation } from '../../src/shared/sync/protocol';
import { BACKENDS, type FreshStorage } from '../helpers/backends';
import { Cleanup } from '../helpers/cleanup';
import { startTestServer } from '../helpers/test-server';
import { REPO_ROOT } from '../helpers/paths';
import { asSpark, parseXml, sparkJson } from '../helpers/xml';
import { readApiKeys } from '../helpers/api-keys';

// GeoReport v2 end to end on a real server: every endpoint in JSON (checked against the published
// Open311 schemas, tests/fixtures/open311) and XML (parsed back and compared with the JSON), the
// errors the spec names, and an Open311 request travelling to a team workstation as a dispatched case.

const FIXTURES = path.join(REPO_ROOT, 'tests/fixtures/open311');
const SCHEMAS = ['service', 'services', 'service-definition', 'request', 'requests', 'request-response', 'token-response', 'errors', 'discovery'] as const;
type SchemaName = (typeof SCHEMAS)[number];

// extendRefs: the published list schemas put minItems beside $ref, which draft-04 ignores anyway.
const ajv = new Ajv({ allErrors: true, format: 'full', unknownFormats: ['uid'], extendRefs: 'ignore' });
for (const name of SCHEMAS) ajv.addSchema(JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as object, `${name}.json`);

function expectSchema(name: SchemaName, body: unknown): void {
  const valid = ajv.validate(`${name}.json`, body);
  expect(valid, `${name}: ${ajv.errorsText(ajv.errors)}\n${JSON.stringify(body).slice(0, 400)}`).toBe(true);
}

const ARRAYS = new Set(['services', 'service_requests', 'errors', 'attributes', 'values', 'endpoints', 'formats']);

interface Reply {
  status: number;
  type: string;
  text: string;
}

const json = (r: Reply): unknown => JSON.parse(r.text);
const ref = shippedReferenceSet();
const NOISE = { address_string: '朝阳区建外街道建国路88号', description: '工地夜间施工，噪音很大影响休息', 'attribute[locationDetail]': '3号楼东侧', 'attribute[noiseSource]': '建筑工地', 'attribute[timeOfDay]': 'night', 'attribute[ongoing]': 'true' };

describe.each(BACKENDS)('Open311 GeoReport v2 on $name', (backend) => {
  let storage: FreshStorage;
  let server: RunningServer;
  let base: string;
  let apiKey: string;
  const sockets: Socket[] = [];
  const cleanup = new Cleanup();

  beforeAll(async () => {
    ({ storage, server } = await startTestServer(backend, cleanup));
    base = `${server.url}/open311/v2`;
    const keys = readApiKeys(storage.dataDir);
    apiKey = keys.o311_demo ?? '';
    expect(apiKey).not.toBe('');
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => cleanup.run());

  async function call(pathAndQuery: string, init: RequestInit = {}): Promise<Reply> {
    const res = await fetch(`${base}/${pathAndQuery}`, init);
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  /** GETs a resource in JSON and XML, checks both formats agree, and returns the JSON body. */
  async function getBoth(resource: string, query = '', status = 200): Promise<unknown> {
    const j = await call(`${resource}.json${query}`);
    const x = await call(`${resource}.xml${query}`);
    expect(j.status, j.text).toBe(status);
    expect(x.status, x.text).toBe(status);
    expect(j.type).toBe('application/json; charset=utf-8');
    expect(x.type).toBe('text/xml; charset=utf-8');
    const body = json(j);
    expect(sparkJson(parseXml(x.text), ARRAYS)).toEqual(asSpark(body));
    return body;
  }

  function post(fields: Record<string, string>, format: 'json' | 'xml' = 'json', query = ''): Promise<Reply> {
    return call(`requests.${format}${query}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: new URLSearchParams(fields).toString() });
  }

  async function create(fields: Record<string, string>): Promise<string> {
    const reply = await post({ api_key: apiKey, service_code: 'noise.residential', ...NOISE, ...fields });
    expect(reply.status, reply.text).toBe(200);
    const body = json(reply) as { service_request_id: string }[];
    expectSchema('request-response', body);
    return body[0]?.service_request_id ?? '';
  }

  async function login(username: string): Promise<LoginResponse> {
    const res = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'hotline123', stationKey: crypto.randomUUID() }) });
    expect(res.status).toBe(200);
    return LoginResponse.parse(await res.json());
  }

  function connected(session: LoginResponse, clientId: string): Promise<Socket> {
    const socket = io(server.url, { transports: ['websocket'], auth: { token: session.accessToken, clientId, protocolVersion: PROTOCOL_VERSION }, reconnection: false, forceNew: true });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }

  async function pullCases(socket: Socket): Promise<Map<string, CaseRecord>> {
    const cases = new Map<string, CaseRecord>();
    let cursors: Record<string, number> = {};
    for (;;) {
      const res = PullResponse.parse(await socket.timeout(5000).emitWithAck('pull', { cursors, limit: 1000 }));
      if (!res.ok) throw new Error(res.error.message);
      for (const c of res.changes) if (c.entity === 'case' && c.data) cases.set((c.data as CaseRecord).number, CaseRecord.parse(c.data));
      cursors = res.cursors;
      if (!res.more) return cases;
    }
  }

  it('validates against schemas that reject what the spec forbids', () => {
    expect(ajv.validate('requests.json', [{ service_request_id: 'S0001-000001', status: 'pending', service_code: 'x', requested_datetime: '2024-01-01T00:00:00Z' }])).toBe(false);
    expect(ajv.validate('requests.json', [{ service_request_id: 'S0001-000001', status: 'open', service_code: 'x', requested_datetime: 'yesterday' }])).toBe(false);
    expect(ajv.validate('services.json', [{ service_code: 'x', service_name: 'y', metadata: 'yes', type: 'realtime' }])).toBe(false);
    expect(ajv.validate('request-response.json', [{ service_request_id: 'S0001-000001', account_id: null }])).toBe(false);
  });

  it('answers discovery in JSON and XML', async () => {
    const body = await getBoth('discovery');
    expectSchema('discovery', body);
    expect(body).toMatchObject({ endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: base, type: 'production', formats: ['text/xml', 'application/json'] }] });
  });

  it('lists one service per leaf category, grouped by the parent, in Chinese or English', async () => {
    const body = (await getBoth('services')) as { service_code: string; service_name: string; group: string; metadata: boolean }[];
    expectSchema('services', body);
    const leaves = ref.leafCategories();
    expect(body.map((s) => s.service_code)).toEqual(leaves.map((c) => c.code));
    const noise = body.find((s) => s.service_code === 'noise.residential');
    expect(noise).toMatchObject({ service_name: '社会生活噪声（噪音扰民）', group: '噪声污染', metadata: true, type: 'realtime' });
    for (const s of body) expect(s.metadata).toBe((ref.category(s.service_code)?.intakeQuestions.length ?? 0) > 0);
    const en = json(await call('services.json?locale=en')) as typeof body;
    expect(en.find((s) => s.service_code === 'noise.residential')).toMatchObject({ service_name: 'Noise from neighbours and residents', group: 'Noise pollution' });
    const accept = await fetch(`${base}/services.json`, { headers: { 'accept-language': 'en-GB,en;q=0.8' } });
    expect(((await accept.json()) as typeof body)[0]?.service_name).toBe(leaves[0]?.nameEn);
  });

  it('defines a service from its intake questions', async () => {
    const body = (await getBoth('services/noise.residential')) as { service_code: string; attributes: { code: string; datatype: string; required: boolean; order: number; values?: { key: string }[] }[] };
    expectSchema('service-definition', body);
    const questions = ref.category('noise.residential')?.intakeQuestions ?? [];
    expect(body.service_code).toBe('noise.residential');
    expect(body.attributes.map((a) => [a.code, a.required, a.order])).toEqual(questions.map((q, i) => [q.key, q.required, i + 1]));
    expect(body.attributes.find((a) => a.code === 'timeOfDay')).toMatchObject({ datatype: 'singlevaluelist', values: [{ key: 'day' }, { key: 'night' }, { key: 'both' }] });
    expect(body.attributes.find((a) => a.code === 'ongoing')).toMatchObject({ datatype: 'singlevaluelist', values: [{ key: 'true' }, { key: 'false' }] });
    expect(body.attributes.find((a) => a.code === 'noiseSource')).toMatchObject({ datatype: 'text', variable: true });
    // A datetime question, from another category.
    const parking = (await getBoth('services/urban.parking')) as typeof body;
    expect(parking.attributes.find((a) => a.code === 'since')).toMatchObject({ datatype: 'datetime', required: false });
  });

  it('answers 404 for an unknown service, resource or request, in the format asked for', async () => {
    for (const [resource, query] of [['services/no.such', ''], ['requests/S9999-000001', ''], ['tokens/nope', ''], ['nothing', '']] as const) {
      const body = await getBoth(resource, query, 404);
      expectSchema('errors', body);
      expect((body as { code: number }[])[0]?.code).toBe(404);
    }
    // A parent category is a group, not a service.
    expect((await call('services/urban.json')).status).toBe(404);
    const noFormat = await call('services');
    expect(noFormat.status).toBe(404);
    expectSchema('errors', json(noFormat));
  });

  it('answers 405 to a method the resource does not take', async () => {
    const reply = await call('services.xml', { method: 'DELETE' });
    expect(reply.status).toBe(405);
    expect(sparkJson(parseXml(reply.text), ARRAYS)).toEqual([{ code: '405', description: 'use GET' }]);
  });

  it('refuses a request without a valid api_key with 403', async () => {
    for (const fields of [{}, { api_key: '' }, { api_key: 'o311_demo.wrong' }] as Record<string, string>[]) {
      const reply = await post({ ...fields, service_code: 'noise.residential', ...NOISE });
      expect(reply.status).toBe(403);
      expectSchema('errors', json(reply));
    }
    // A unit's key is not an Open311 key.
    const keys = readApiKeys(storage.dataDir);
    const unitKey = Object.entries(keys).find(([id]) => id.startsWith('uk_'))?.[1] ?? '';
    expect((await post({ api_key: unitKey, service_code: 'noise.residential', ...NOISE })).status).toBe(403);
    const xml = await post({ service_code: 'noise.residential', ...NOISE }, 'xml');
    expect(xml.status).toBe(403);
    expect(parseXml(xml.text).children[0]?.children.map((c) => c.name)).toEqual(['code', 'description']);
  });

  it('takes the api_key from the body or the X-API-Key header, never from the query string', async () => {
    const viaHeader = await call('requests.json', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-api-key': apiKey }, body: new URLSearchParams({ service_code: 'noise.residential', ...NOISE }).toString() });
    expect(viaHeader.status, viaHeader.text).toBe(200);
    // A key in the URL is refused even when it is valid (it would sit in proxy logs), on every resource.
    for (const reply of [await post({ service_code: 'noise.residential', ...NOISE }, 'json', `?api_key=${encodeURIComponent(apiKey)}`), await call(`requests.json?api_key=${encodeURIComponent(apiKey)}`), await call('services.xml?api_key=x')]) {
      expect(reply.status, reply.text).toBe(400);
      expect(reply.text).toContain('api_key may not be sent in the query string');
    }
    const before = await server.db.get<{ n: unknown }>("SELECT count(*) AS n FROM cases WHERE channel = 'open311'");
    await post({ api_key: apiKey, service_code: 'noise.residential', ...NOISE }, 'json', `?api_key=${encodeURIComponent(apiKey)}`);
    expect(await server.db.get<{ n: unknown }>("SELECT count(*) AS n FROM cases WHERE channel = 'open311'")).toEqual(before);
  });

  it('answers 404 for an unknown service_code and 400 for a missing one', async () => {
    const unknown = await post({ api_key: apiKey, service_code: 'no.such', ...NOISE });
    expect(unknown.status).toBe(404);
    expectSchema('errors', json(unknown));
    const missing = await post({ api_key: apiKey, ...NOISE });
    expect(missing.status).toBe(400);
  });

  it('answers 400 naming each problem: no location, bad and missing attributes, short description', async () => {
    const { address_string: _a, ...noLocation } = NOISE;
    const reply = await post({ api_key: apiKey, service_code: 'noise.residential', ...noLocation });
    expect(reply.status).toBe(400);
    expectSchema('errors', json(reply));
    expect(json(reply)).toEqual([{ code: 400, description: 'location: send lat and long, address_string or address_id' }]);

    const bad = await post({ ...NOISE, api_key: apiKey, service_code: 'noise.residential', description: '吵', lat: '39.9', 'attribute[timeOfDay]': 'noon', 'attribute[ongoing]': '', 'attribute[colour]': 'red' });
    expect(bad.status).toBe(400);
    const text = (json(bad) as { description: string }[]).map((e) => e.description).join('\n');
    expect(text).toMatch(/^description: at least 5 characters$/m);
    expect(text).toMatch(/^lat, long: send both or neither$/m);
    expect(text).toMatch(/^attribute\[timeOfDay\]: must be one of: day, night, both$/m);
    expect(text).toMatch(/^attribute\[ongoing\]: required/m);
    expect(text).toMatch(/^attribute\[colour\]: service noise.residential has no such attribute$/m);

    const parking = { api_key: apiKey, service_code: 'urban.parking', address_string: '海淀区中关村大街1号', description: '小区门口长期有车辆乱停' };
    const wrongTypes = await post({ ...parking, 'attribute[locationDetail]': '南门', 'attribute[blocking]': 'none', 'attribute[since]': 'yesterday', lat: '91', long: '116.3' });
    expect((json(wrongTypes) as { description: string }[]).map((e) => e.description)).toEqual([
      'lat: must be between -90 and 90',
      'attribute[since]: "yesterday" is not an ISO 8601 date-time with a time zone',
    ]);
    const xml = await post({ ...parking, 'attribute[blocking]': 'none' }, 'xml');
    expect(xml.status).toBe(400);
    expect(sparkJson(parseXml(xml.text), ARRAYS)).toEqual([{ code: '400', description: 'attribute[locationDetail]: required (Exact location (building, entrance, house number or crossing))' }]);
  });

  it('answers 415 to another content type and 413 to a body that is too large', async () => {
    const other = await call('requests.json', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(other.status).toBe(415);
    expectSchema('errors', json(other));
    const big = await call('requests.json', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `description=${'x'.repeat(70_000)}` });
    expect(big.status).toBe(413);
  });

  it('turns a POSTed request into an open311 case dispatched to the suggested unit, which the team workstation pulls', async () => {
    const op1 = await login('op1');
    const socket = await connected(op1, crypto.randomUUID());
    const before = await pullCases(socket);

    const reply = await post({ api_key: apiKey, service_code: 'noise.residential', ...NOISE, first_name: '芳', last_name: '王', phone: '13800138000', email: 'wang@example.org', account_id: 'acct-7', media_url: 'https://example.org/p/1.jpg' });
    expect(reply.status, reply.text).toBe(200);
    const created = json(reply) as { service_request_id: string; service_notice: string; account_id: string }[];
    expectSchema('request-response', created);
    const number = created[0]?.service_request_id ?? '';
    expect(number).toMatch(/^S\d{4}-\d{6}$/);
    expect(created[0]?.account_id).toBe('acct-7');

    const where = ref.locate(NOISE.address_string);
    const suggested = ref.suggest('noise.residential', where)[0];
    if (!suggested) throw new Error('no suggestion for the test address');
    const unit = ref.unit(suggested.unitId);
    expect(created[0]?.service_notice).toContain(unit?.nameZh);

    const after = await pullCases(socket);
    expect(before.has(number)).toBe(false);
    const record = after.get(number);
    if (!record) throw new Error(`case ${number} not pulled by the team workstation`);
    expect(record).toMatchObject({ channel: 'open311', status: 'dispatched', team: 'team-a', unitId: suggested.unitId, categoryCode: 'noise.residential', callerName: '王芳', callerPhone: '13800138000', assignee: null, description: NOISE.description, address: NOISE.address_string, districtCode: where.districtCode, streetCode: where.streetCode, dispatchCount: 1 });
    expect(StationCode.parse(record.station)).toBe(number.slice(0, 5));
    expect(record.timeline.map((e) => [e.kind, e.actor, e.actorKind])).toEqual([
      ['registered', 'open311', 'system'],
      ['dispatch', 'open311', 'system'],
    ]);
    expect(record.timeline[0]?.data).toMatchObject({ channel: 'open311', answers: { locationDetail: '3号楼东侧', noiseSource: '建筑工地', timeOfDay: 'night', ongoing: true } });
    // The same deadlines an operator's dispatch gets from the SLA policy.
    const deadlines = ref.deadlines(SlaClass.parse(ref.category('noise.residential')?.slaClass), record.dispatchedAt ?? 0);
    expect([record.signBy, record.replyBy]).toEqual([deadlines.signBy, deadlines.replyBy]);
    // Its creator is the service account, which cannot log in.
    const creator = await server.db.get<{ username: string; role: string; team: string }>('SELECT username, role, team FROM users WHERE id = ?', [record.createdBy]);
    expect(creator).toEqual({ username: 'open311', role: 'service', team: 'team-a' });
    const refused = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'open311', password: '!service-account', stationKey: crypto.randomUUID() }) });
    expect(refused.status).toBe(401);

    // Published: location, media and the unit; never the caller's name, phone or e-mail.
    const one = (await getBoth(`requests/${number}`)) as Record<string, unknown>[];
    expectSchema('requests', one);
    expect(one).toHaveLength(1);
    // The address at street level: district and street/township, not 建国路88号.
    const street = ref.geography.street(where.streetCode ?? '');
    const streetLevel = `${ref.geography.district(where.districtCode ?? '')?.nameZh ?? ''}${street?.nameZh ?? ''}`;
    expect(street).toBeDefined();
    expect(one[0]).toMatchObject({ service_request_id: number, status: 'open', service_code: 'noise.residential', service_name: '社会生活噪声（噪音扰民）', agency_responsible: unit?.nameZh, address_id: where.streetCode, address: streetLevel, media_url: 'https://example.org/p/1.jpg', lat: null, long: null });
    expect(one[0]?.expected_datetime).toBe(new Date(deadlines.replyBy + 8 * 3_600_000).toISOString().slice(0, 19) + '+08:00');
    const listed = JSON.stringify(json(await call('requests.json')));
    for (const secret of ['13800138000', '王芳', 'wang@example.org', 'acct-7', '88号']) expect(listed).not.toContain(secret);
  });

  it('accepts a JSON body with lat/long and an attribute object, and keeps the coordinates', async () => {
    const reply = await call('requests.json', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: apiKey, service_code: 'urban.parking', lat: 39.9087, long: 116.3975, description: '车辆堵塞消防通道，无法通行', attribute: { locationDetail: '5号楼', blocking: 'fire_lane', since: '2024-05-01T08:30:00+08:00' } }),
    });
    expect(reply.status, reply.text).toBe(200);
    const number = (json(reply) as { service_request_id: string }[])[0]?.service_request_id ?? '';
    const got = (json(await call(`requests/${number}.json`)) as Record<string, unknown>[])[0];
    // Published to about 1 km (the street/township), not to the house.
    expect(got).toMatchObject({ lat: 39.91, long: 116.4, address: 'WGS84 39.91, 116.40', status: 'open' });
    // Coordinates name no district: only the city's manual-dispatch desk would fit, so the case
    // waits, registered, for an operator to place and dispatch it.
    expect(ref.suggest('urban.parking', ref.locate(''))[0]?.reasonCode).toBe('city_fallback');
    const row = await server.db.get<{ status: string; unit_id: string | null }>('SELECT status, unit_id FROM cases WHERE number = ?', [number]);
    expect(row).toEqual({ status: 'registered', unit_id: null });
  });

  it("publishes an Open311 submitter's description with phone numbers, ID numbers and e-mail addresses redacted", async () => {
    const number = await create({ description: '夜间施工，请回电 １３８．１２３４．５６７８ 或 一三八 一二三四 五六七八，邮箱 li(at)example(dot)org，身份证 110105 19491231 002X，2024-05-01 起' });
    const got = (json(await call(`requests/${number}.json`)) as { description: string }[])[0];
    expect(got?.description).toBe('夜间施工，请回电 **** 或 ****，邮箱 ***@***，身份证 ****，2024-05-01 起');
  });

  it('maps a token to its request', async () => {
    const number = await create({});
    const row = await server.db.get<{ token: string }>('SELECT o.token FROM open311_requests o JOIN cases c ON c.id = o.case_id WHERE c.number = ?', [number]);
    const body = await getBoth(`tokens/${row?.token ?? ''}`);
    expectSchema('token-response', body);
    expect(body).toEqual([{ service_request_id: number, token: row?.token }]);
  });

  it('filters requests by id, service, date and status; merged cases read as closed; phone cases appear without caller data', async () => {
    const kept = await create({ description: '第一次反映：夜间施工噪音' });
    const dup = await create({ description: '重复反映：夜间施工噪音' });
    const other = await create({ description: '楼下餐馆油烟很大', address_string: '海淀区中关村街道', 'attribute[noiseSource]': '餐馆' });

    // A phone case registered by an operator, whose description holds a callback number.
    const op1 = await login('op1');
    const clientId = crypto.randomUUID();
    const socket = await connected(op1, clientId);
    const phoneCase = { id: crypto.randomUUID(), number: `${op1.station}-000001`, createdAt: Date.now(), callerPhone: '13912345678', callerName: '李雷', categoryCode: 'urban.parking', address: '东城区东华门街道南池子大街12号3单元502', description: '门口有车乱停，请回电 139 1234 5678 或 li@example.org' };
    const cases = await pullCases(socket);
    const dupCase = cases.get(dup);
    const keptCase = cases.get(kept);
    if (!dupCase || !keptCase) throw new Error('open311 cases not pulled');
    const mutations: Mutation[] = [
      { clientId, seq: 1, id: crypto.randomUUID(), name: 'createCase', at: Date.now(), args: phoneCase },
      { clientId, seq: 2, id: crypto.randomUUID(), name: 'mergeCase', at: Date.now(), args: { caseId: dupCase.id, expectedRev: dupCase.rev, intoCaseId: keptCase.id, intoNumber: kept } },
    ];
    const pushed = PushResponse.parse(await socket.timeout(5000).emitWithAck('push', { clientId, mutations }));
    expect(pushed.ok && pushed.outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);

    const ids = (body: unknown) => (body as { service_request_id: string }[]).map((r) => r.service_request_id);
    const all = await getBoth('requests');
    expectSchema('requests', all);
    expect(ids(all)).toEqual(expect.arrayContaining([kept, dup, other, phoneCase.number]));
    const phone = (all as { service_request_id: string; description: string; service_code: string }[]).find((r) => r.service_request_id === phoneCase.number);
    // What the operator typed from the call is never published; the place only to the street.
    expect(phone).toMatchObject({ description: '市民来电反映：违章停车。（来电内容不公开）', address: '东城区东华门街道' });
    expect(JSON.stringify(all)).not.toMatch(/13912345678|李雷|li@example|门口有车乱停|南池子|502/);

    const closed = await getBoth('requests', '?status=closed');
    expectSchema('requests', closed);
    expect(ids(closed)).toEqual([dup]);
    expect((closed as { status: string; status_notes: string }[])[0]).toMatchObject({ status: 'closed', status_notes: '重复诉求，已并入其他工单' });
    const open = ids(await getBoth('requests', '?status=open'));
    expect(open).toEqual(expect.arrayContaining([kept, other, phoneCase.number]));
    expect(open).not.toContain(dup);
    expect(ids(await getBoth('requests', '?status=open,closed'))).toEqual(ids(all));

    const parking = (await getBoth('requests', '?service_code=urban.parking')) as { service_code: string }[];
    expect(parking.length).toBeGreaterThan(0);
    expect(parking.every((r) => r.service_code === 'urban.parking')).toBe(true);
    expect(ids(parking)).toContain(phoneCase.number);

    // service_request_id overrides every other filter.
    expect(ids(await getBoth('requests', `?service_request_id=${kept},${other},S9999-000009&status=closed&service_code=urban.parking`)).sort()).toEqual([kept, other].sort());

    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const window = ids(await getBoth('requests', `?start_date=${iso(now - 3_600_000)}&end_date=${iso(now + 60_000)}`));
    expect(window).toEqual(expect.arrayContaining([kept, dup, other]));
    expect(await getBoth('requests', `?start_date=${iso(now - 30 * 86_400_000)}&end_date=${iso(now - 29 * 86_400_000)}`)).toEqual([]);
    // Only an end date: the 90 days before it.
    expect(await getBoth('requests', `?end_date=${iso(now - 86_400_000)}`)).toEqual([]);
    expect(ids(await getBoth('requests', `?start_date=${encodeURIComponent('2020-01-01T08:00:00+08:00')}`))).toEqual([]);

    for (const query of ['?start_date=yesterday', '?end_date=2024-01-01', `?start_date=${iso(now - 100 * 86_400_000)}&end_date=${iso(now)}`, `?start_date=${iso(now)}&end_date=${iso(now - 1000)}`, '?status=pending', '?service_code=no.such']) {
      const body = await getBoth('requests', query, 400);
      expectSchema('errors', body);
    }
  });

  it('escapes text in XML', async () => {
    // (A control character never gets this far: it is refused at input, tests/integration/input-control.test.ts.)
    const number = await create({ description: 'A <b>bold</b> & "quoted" \'claim\' ]]> end' });
    const x = await call(`requests/${number}.xml`);
    const parsed = sparkJson(parseXml(x.text), ARRAYS) as { description: string }[];
    expect(parsed[0]?.description).toBe('A <b>bold</b> & "quoted" \'claim\' ]]> end');
    expect(x.text).toContain('A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &apos;claim&apos; ]]&gt; end</description>');
  });
});

describe('Open311 team option', () => {
  it('puts Open311 cases and the service account in the configured team', async () => {
    const backend = BACKENDS[0];
    if (!backend) throw new Error('no backend');
    const storage = await backend.fresh();
    const cleanup = new Cleanup();
    cleanup.add(() => storage.dispose());
    try {
      const server = await startServer({ port: 0, dataDir: storage.dataDir, logger: createLogger({}, 'error'), open311Team: 'team-b' });
      cleanup.add(() => server.close());
      const keys = readApiKeys(storage.dataDir);
      const res = await fetch(`${server.url}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ api_key: keys.o311_demo ?? '', service_code: 'noise.residential', ...NOISE }).toString(),
      });
      expect(res.status).toBe(200);
      const number = ((await res.json()) as { service_request_id: string }[])[0]?.service_request_id ?? '';
      expect(await server.db.get('SELECT team FROM cases WHERE number = ?', [number])).toEqual({ team: 'team-b' });
      expect(await server.db.get("SELECT team FROM users WHERE username = 'open311'")).toEqual({ team: 'team-b' });
    } finally {
      await cleanup.run();
    }
  });
});
