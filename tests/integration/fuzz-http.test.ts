import crypto from 'node:crypto';
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/app';
import { MutationName } from '../../src/shared/sync/mutations';
import { BACKENDS } from '../helpers/backends';
import { Cleanup } from '../helpers/cleanup';
import { ProtocolClient } from '../helpers/protocol-client';
import { startTestServer } from '../helpers/test-server';
import { readApiKeys } from '../helpers/api-keys';

// Fuzzing the server's surfaces with fast-check (issue 13): every HTTP endpoint gets wrong types,
// huge and deeply nested values, control characters and invalid UTF-8, with and without
// credentials; pushes carry arbitrary mutation arguments. The server never answers 5xx, never
// crashes, and still serves a normal request afterwards. FUZZ_RUNS raises the number of runs.

const RUNS = Number(process.env.FUZZ_RUNS ?? 120);

const PATHS = [
  '/healthz',
  '/api/login',
  '/api/refresh',
  '/api/logout',
  '/api/password',
  '/api/admin/users',
  '/api/admin/sessions',
  '/api/admin/audit',
  '/api/rates?from=0&to=1',
  '/api/cases/search?q=x',
  '/api/kb/articles/x/versions',
  '/api/units/v1/cases',
  '/api/units/v1/cases/S0001-000001',
  '/api/units/v1/cases/S0001-000001/accept',
  '/api/units/v1/cases/S0001-000001/reply',
  '/open311/v2/discovery.json',
  '/open311/v2/services.xml',
  '/open311/v2/requests.json',
  '/open311/v2/requests/S0001-000001.json',
  '/open311/v2/tokens/x.json',
];

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

function send(base: string, r: Sent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${r.path}`, { method: r.method, headers: { ...r.headers, 'content-length': String(r.body.length) }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

/** JSON values with the nasty parts: control characters, lone surrogates, big numbers, deep nesting. */
const nastyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\u001b[31m', 'x'.repeat(70_000), '１３８', '<x/>&'));
const nastyJson = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, nastyString, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(nastyString, tie('value'), { maxKeys: 4 })),
})).value;
const deep = fc.integer({ min: 1, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n));

describe.each(BACKENDS)('fuzzing the HTTP endpoints and the push on $name', (backend) => {
  const cleanup = new Cleanup();
  let server: RunningServer;
  let secrets: string[];

  beforeAll(async () => {
    let storage;
    ({ server, storage } = await startTestServer(backend, cleanup));
    const keys = readApiKeys(storage.dataDir);
    secrets = [keys.o311_demo ?? '', Object.values(keys)[0] ?? ''];
  }, 60_000);
  afterAll(() => cleanup.run());

  it(`${RUNS} random requests: never 5xx, and the server still answers`, async () => {
    const body = fc.oneof(
      nastyJson.map((v) => Buffer.from(JSON.stringify(v))),
      deep.map((s) => Buffer.from(s)),
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      fc.dictionary(fc.string({ maxLength: 12 }), nastyString, { maxKeys: 6 }).map((d) => Buffer.from(new URLSearchParams(d).toString())),
      fc.constant(Buffer.alloc(0)),
    );
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      path: fc.oneof(fc.constantFrom(...PATHS), fc.tuple(fc.constantFrom(...PATHS), fc.string({ unit: 'binary-ascii', maxLength: 20 })).map(([p, s]) => p + encodeURIComponent(s))),
      type: fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=latin1', ''),
      auth: fc.oneof(fc.constant(''), fc.constantFrom(...[0, 1]).map((i) => `Bearer ${secrets[i] ?? ''}`), fc.string({ maxLength: 30 }).map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, '')}`)),
      body,
    });
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = {};
        if (r.type) headers['content-type'] = r.type;
        if (r.auth) headers.authorization = r.auth;
        const status = await send(server.url, { method: r.method, path: r.path, headers, body: r.body });
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect(status, `${r.method} ${r.path}`).toBeLessThan(500);
        expect(status).toBeGreaterThanOrEqual(200);
      }),
      { numRuns: RUNS },
    );
    expect(await send(server.url, { method: 'GET', path: '/healthz', headers: {}, body: Buffer.alloc(0) })).toBe(200);
    // Several kinds of answer were seen, so the requests reached different handlers.
    expect(statuses.size).toBeGreaterThan(3);
  }, 300_000);

  it(`${RUNS} random pushes: each mutation applied or rejected with a reason, the socket stays`, async () => {
    const op = await ProtocolClient.connect(server.url, 'op1');
    cleanup.add(() => op.close());
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...MutationName.options), nastyJson, fc.record({ caseId: fc.constant(crypto.randomUUID()), description: nastyString, address: nastyString }), async (name, args, caseLike) => {
        const res = await op.push([op.mutation(name, args), op.mutation(name, { ...caseLike, id: crypto.randomUUID(), number: 'S0001-000001' })]);
        expect(res.ok).toBe(true);
        if (res.ok) for (const o of res.outcomes) expect(o.status === 'applied' || (o.status === 'rejected' && typeof o.reason?.message === 'string')).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(op.socket.connected).toBe(true);
  }, 300_000);
});
