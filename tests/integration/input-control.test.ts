import crypto from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/app';
import { findCase } from '../../src/server/store/cases';
import { formatCaseNumber } from '../../src/shared/domain/case';
import { UNIT_API_BASE } from '../../src/shared/units/api';
import { readApiKeys, unitKey } from '../helpers/api-keys';
import { BACKENDS, type FreshStorage } from '../helpers/backends';
import { Cleanup } from '../helpers/cleanup';
import { ProtocolClient } from '../helpers/protocol-client';
import { startTestServer } from '../helpers/test-server';

// Input hygiene (issue 13): NUL and the other C0 controls are refused with a 400 naming the field
// (a rejected mutation with the reason, over the socket) on every backend — PostgreSQL cannot store
// U+0000, which used to answer 500 and lose the case; and a 413 ends the keep-alive connection
// cleanly (Connection: close, after the body was drained) instead of resetting it.

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a keep-alive agent, the body sent in 16 KiB chunks as a real client would. */
function rawRequest(url: string, method: string, headers: Record<string, string>, body: Buffer, agent: http.Agent): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...headers, 'content-length': String(body.length) }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    let at = 0;
    const pump = (): void => {
      while (at < body.length) {
        const ok = req.write(body.subarray(at, at + 16_384));
        at += 16_384;
        if (!ok) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

describe.each(BACKENDS)('control characters and oversized bodies on $name', (backend) => {
  let storage: FreshStorage;
  let server: RunningServer;
  let op: ProtocolClient;
  const cleanup = new Cleanup();
  let seq = 0;

  beforeAll(async () => {
    ({ storage, server } = await startTestServer(backend, cleanup));
    op = await ProtocolClient.connect(server.url, 'op1');
    cleanup.add(() => op.close());
  }, 60_000);
  afterAll(() => cleanup.run());

  const newCase = (fields: Record<string, unknown> = {}) => ({
    id: crypto.randomUUID(),
    number: formatCaseNumber(op.login.station, ++seq),
    createdAt: Date.now(),
    callerPhone: '13800138000',
    callerName: '李女士',
    categoryCode: 'urban.parking',
    address: '东城区东华门街道',
    description: '门口违章停车，\n第二行\t缩进\r\n第三行',
    ...fields,
  });

  it('refuses a pushed mutation with a control character as rejected, naming the field, and keeps the socket and the next case', async () => {
    const bad = [
      { fields: { description: '门口违章\u0000停车' }, field: 'description', cp: 'U+0000' },
      { fields: { callerName: '李\u0007女士' }, field: 'callerName', cp: 'U+0007' },
      { fields: { address: '东城区\u001b[31m东华门街道' }, field: 'address', cp: 'U+001B' },
      { fields: { answers: { locationDetail: '5号楼\u0000' } }, field: 'answers.locationDetail', cp: 'U+0000' },
      { fields: { description: '孤立的代理项\ud800停车' }, field: 'description', cp: 'U+D800' },
    ];
    const good = newCase();
    const pushed = await op.push([...bad.map((b) => op.mutation('createCase', newCase(b.fields))), op.mutation('createCase', good)]);
    if (!pushed.ok) throw new Error('push refused as a whole');
    bad.forEach((b, i) => {
      const o = pushed.outcomes[i];
      expect(o?.status, b.field).toBe('rejected');
      expect(o?.reason?.code).toBe('invalid_args');
      expect(o?.reason?.message).toBe(`createCase: ${b.field}: ${b.cp === 'U+D800' ? 'unpaired surrogate' : 'control character'} ${b.cp} is not allowed`);
    });
    // The same push's valid case is stored, tabs and line breaks kept.
    expect(pushed.outcomes.at(-1)?.status).toBe('applied');
    expect((await findCase(server.db, good.id))?.description).toBe(good.description);
    const count = await server.db.get<{ n: unknown }>('SELECT count(*) AS n FROM cases');
    expect(Number(count?.n)).toBe(1);
    // A change to it with a NUL is refused the same way; the socket is still fine afterwards.
    const amend = await op.push([op.mutation('amendCase', { caseId: good.id, changes: { callerName: 'x\u0000' } })]);
    expect(amend.ok && amend.outcomes[0]?.reason?.message).toContain('changes.callerName: control character U+0000');
    const after = await op.push([op.mutation('createCase', newCase())]);
    expect(after.ok && after.outcomes[0]?.status).toBe('applied');
  });

  it('answers 400 naming the field on the HTTP APIs: login, unit API, Open311', async () => {
    const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'op1\u0000', password: 'hotline123', stationKey: crypto.randomUUID() }) });
    expect(login.status).toBe(400);
    expect(await login.json()).toEqual({ error: { code: 'invalid_input', message: 'username: control character U+0000 is not allowed' } });

    const created = newCase();
    const pushed = await op.push([op.mutation('createCase', created), op.mutation('dispatchCase', { caseId: created.id, expectedRev: 1, unitId: 'street.110101001' })]);
    expect(pushed.ok && pushed.outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
    const key = unitKey(readApiKeys(storage.dataDir), 'street.110101001');
    const reply = await fetch(`${server.url}${UNIT_API_BASE}/cases/${created.number}/reply`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'resolved', text: '已处理\u0000', contactedAt: Date.now() }) });
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as { error: { message: string } }).error.message).toBe('text: control character U+0000 is not allowed');
    expect((await findCase(server.db, created.id))?.status).toBe('dispatched');

    const apiKey = readApiKeys(storage.dataDir).o311_demo ?? '';
    const form = new URLSearchParams({ api_key: apiKey, service_code: 'urban.parking', address_string: '东城区东华门街道', description: '门口违章停车\u0000很久了' });
    const o311 = await fetch(`${server.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(o311.status).toBe(400);
    expect(await o311.json()).toEqual([{ code: 400, description: 'description: control character U+0000 is not allowed' }]);
    const attr = await fetch(`${server.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: apiKey, service_code: 'urban.parking', address_string: '东城区东华门街道', description: '门口违章停车很久了', attribute: { locationDetail: '\u0001' } }) });
    expect(await attr.json()).toEqual([{ code: 400, description: 'attribute[locationDetail]: control character U+0001 is not allowed' }]);
  });

  it('answers 413 with Connection: close after draining, on the JSON APIs and Open311, and the next request gets a fresh connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanup.add(() => agent.destroy());
    const huge = Buffer.from(JSON.stringify({ username: 'x'.repeat(300_000), password: 'y', stationKey: 'z' }));
    for (const [path, type] of [['/api/login', 'application/json'], ['/open311/v2/requests.json', 'application/x-www-form-urlencoded']] as const) {
      const res = await rawRequest(`${server.url}${path}`, 'POST', { 'content-type': type }, huge, agent);
      expect(res.status, path).toBe(413);
      expect(res.headers.connection, path).toBe('close');
      expect(res.body.length).toBeGreaterThan(0);
    }
    // The same agent carries on (a new connection) with the right answer.
    const ok = await rawRequest(`${server.url}/api/login`, 'POST', { 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ username: 'op1', password: 'wrong', stationKey: crypto.randomUUID() })), agent);
    expect(ok.status).toBe(401);
  });
});
