import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/app';
import type { TokenSigner, TokenClaims } from '../../src/server/auth/token';
import { shippedReferenceSet } from '../../src/server/reference/reference-set';
import { writeTx } from '../../src/server/lifecycle/write';
import { takeStep } from '../../src/server/lifecycle/steps';
import { findCase, insertCase } from '../../src/server/store/cases';
import { WorkstationCore } from '../../src/main/core/core';
import { formatCaseNumber, freshLifecycle, type CaseRecord } from '../../src/shared/domain/case';
import { Step, TRANSITIONS, type StepInput } from '../../src/shared/domain/lifecycle';
import { RatesReport, type RatesGroup } from '../../src/shared/domain/rates';
import { BACKENDS } from '../helpers/backends';
import { insertUser } from '../helpers/server-db';
import { Cleanup } from '../helpers/cleanup';
import { startTestServer, tokenSignerOf } from '../helpers/test-server';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { call } from '../helpers/core';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;
/** The day under test: [T0, T0 + 1 day), long past, so no dispatch in it is still pending. */
const T0 = Date.UTC(2024, 4, 1);
const A = 'district.110101';
const B = 'district.110105';
const DONG = '北京市东城区东华门街道南池子大街1号';
const CHAO = '北京市朝阳区建国路88号';

interface HttpReply {
  status: number;
  body: unknown;
}

const errorCode = (reply: HttpReply): string | undefined => (reply.body as { error?: { code?: string } } | null)?.error?.code;
const byKey = (report: RatesReport, key: string | null): RatesGroup | undefined => report.groups.find((g) => g.key === key);

describe.each(BACKENDS)('rates from the case events on $name', (backend) => {
  const ref = shippedReferenceSet();
  const cleanup = new Cleanup();
  let server: RunningServer;
  let signer: TokenSigner;
  let lead: TokenClaims;
  let leadToken: string;
  let seq = 0;
  const cases: Record<string, CaseRecord> = {};

  async function get(query: string, token: string | null = leadToken, method = 'GET'): Promise<HttpReply> {
    const res = await fetch(`${server.url}/api/rates?${query}`, { method, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  async function rates(query: string): Promise<RatesReport> {
    const reply = await get(query);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return RatesReport.parse(reply.body);
  }

  async function newCase(name: string, address: string, at: number): Promise<void> {
    seq += 1;
    const record: CaseRecord = {
      ...freshLifecycle(),
      id: crypto.randomUUID(),
      number: formatCaseNumber('S0001', seq),
      status: 'registered',
      channel: 'phone',
      callerPhone: '13800138000',
      callerName: '',
      categoryCode: 'urban.parking',
      address,
      description: 'a fixture case for the rates',
      createdBy: lead.sub,
      team: lead.team,
      station: 'S0001',
      createdAt: at,
      updatedAt: at,
      assignee: lead.sub,
      rev: 1,
      slaClass: 'general',
      ...ref.locate(address),
    };
    record.timeline = [{ at, kind: 'registered', actor: lead.sub, actorKind: 'staff', station: 'S0001', note: null, data: {} }];
    await writeTx(server.db, (q, rec) => insertCase(q, rec, record));
    cases[name] = record;
  }

  /** A lifecycle step through the server's own takeStep, at an explicit time, by whoever may take it. */
  async function step(name: string, input: StepInput, at: number): Promise<void> {
    const id = cases[name]?.id ?? '';
    const { value } = await writeTx(server.db, async (q, rec) => {
      const current = await findCase(q, id);
      if (!current) throw new Error(`no case ${name}`);
      const parsed = Step.parse(input);
      const actor =
        TRANSITIONS[parsed.action].by === 'unit'
          ? { kind: 'unit' as const, id: current.unitId ?? '', station: current.unitId }
          : { kind: 'staff' as const, id: lead.sub, station: 'S0001' };
      return takeStep(q, rec, ref, current, parsed, { at, actor });
    });
    cases[name] = value;
  }

  const reply = (contactedAt: number | null) => ({ action: 'reply', outcome: 'resolved', text: 'handled on site', contactedAt }) as const;

  beforeAll(async () => {
    ({ server } = await startTestServer(backend, cleanup));
    signer = await tokenSignerOf(server);
    lead = await insertUser(server.db, { role: 'lead' });
    leadToken = signer.sign({ ...lead, kind: 'access' });

    // urban.parking is `general`: sign for within 24 h, reply within 7 days.
    // c1 Dongcheng → A at +1h, signed +2h, contact +2.5h, evaluated +5h resolved/satisfied, closed.
    await newCase('c1', DONG, T0);
    await step('c1', { action: 'dispatch', unitId: A }, T0 + H);
    await step('c1', { action: 'accept' }, T0 + 2 * H);
    await step('c1', reply(T0 + 2.5 * H), T0 + 3 * H);
    await step('c1', { action: 'evaluate', resolved: true, satisfaction: 'satisfied' }, T0 + 5 * H);
    await step('c1', { action: 'close' }, T0 + 6 * H);
    // c2 Dongcheng → A at +1h, returned +2h; → B at +3h, signed +4h, replied +5h without a contact;
    // evaluated +6h unresolved/unsatisfied, reopened +7h, → B again +8h, signed +9h, contact +9.5h,
    // evaluated +11h resolved/basically.
    await newCase('c2', DONG, T0);
    await step('c2', { action: 'dispatch', unitId: A }, T0 + H);
    await step('c2', { action: 'return', reason: 'not our street' }, T0 + 2 * H);
    await step('c2', { action: 'dispatch', unitId: B }, T0 + 3 * H);
    await step('c2', { action: 'accept' }, T0 + 4 * H);
    await step('c2', reply(null), T0 + 5 * H);
    await step('c2', { action: 'evaluate', resolved: false, satisfaction: 'unsatisfied' }, T0 + 6 * H);
    await step('c2', { action: 'reopen', reason: 'still parked there' }, T0 + 7 * H);
    await step('c2', { action: 'dispatch', unitId: B }, T0 + 8 * H);
    await step('c2', { action: 'accept' }, T0 + 9 * H);
    await step('c2', reply(T0 + 9.5 * H), T0 + 10 * H);
    await step('c2', { action: 'evaluate', resolved: true, satisfaction: 'basically' }, T0 + 11 * H);
    // c3 Chaoyang → B at +2h, signed at +27h (late), contact +3h; evaluated the next day.
    await newCase('c3', CHAO, T0);
    await step('c3', { action: 'dispatch', unitId: B }, T0 + 2 * H);
    await step('c3', { action: 'accept' }, T0 + 27 * H);
    await step('c3', reply(T0 + 3 * H), T0 + 30 * H);
    await step('c3', { action: 'evaluate', resolved: true, satisfaction: 'satisfied' }, T0 + D + H);
    // c4 Chaoyang, a duplicate: → A at +1h, signed +2h, merged into c3 at +3h.
    await newCase('c4', CHAO, T0);
    await step('c4', { action: 'dispatch', unitId: A }, T0 + H);
    await step('c4', { action: 'accept' }, T0 + 2 * H);
    await step('c4', { action: 'merge', intoCaseId: cases.c3?.id ?? '', intoNumber: cases.c3?.number ?? '' }, T0 + 3 * H);
    // c5 Dongcheng → A the day before (-1h), signed at T0, evaluated +4h resolved/satisfied.
    await newCase('c5', DONG, T0 - 2 * H);
    await step('c5', { action: 'dispatch', unitId: A }, T0 - H);
    await step('c5', { action: 'accept' }, T0);
    await step('c5', reply(T0 + 0.5 * H), T0 + H);
    await step('c5', { action: 'evaluate', resolved: true, satisfaction: 'satisfied' }, T0 + 4 * H);
  });
  afterAll(() => cleanup.run());

  it('dispatch events carry their deadlines and reply events the reported contact', async () => {
    const rows = await server.db.all<{ kind: string; data: string }>("SELECT kind, data FROM case_events WHERE case_id = ? AND kind IN ('dispatch', 'reply') ORDER BY at", [cases.c1?.id ?? '']);
    expect(rows.map((r) => [r.kind, JSON.parse(r.data) as unknown])).toEqual([
      ['dispatch', expect.objectContaining({ unitId: A, from: null, signBy: T0 + H + D, replyBy: T0 + H + 7 * D })],
      ['reply', expect.objectContaining({ unitId: A, outcome: 'resolved', contactedAt: T0 + 2.5 * H })],
    ]);
  });

  it('per unit, with the default policy', async () => {
    const report = await rates(`from=${T0}&to=${T0 + D}&groupBy=unit`);
    expect(report.groups.map((g) => g.key)).toEqual([A, B]);
    // A: c1 (responded) and c2's first dispatch (returned → not responded); c4 merged, c5 dispatched
    // the day before → 1/2. Evaluations: c1 and c5 (whose dispatch was earlier; it is evaluated now),
    // both resolved and satisfied → 2/2, 2/2.
    expect(byKey(report, A)).toMatchObject({ dispatched: 2, pending: 0, responded: 1, responseRate: 0.5, evaluated: 2, resolved: 2, satisfiedWeighted: 2, resolutionRate: 1, satisfactionRate: 1 });
    // B: c2 at +3h (no contact reported → not), c2 at +8h (responded), c3 (signed late → not) → 1/3.
    // c2 evaluated twice: only the latest (+11h, resolved, basically → weight 0) counts → 1/1, 0/1.
    // c3's evaluation is the next day.
    expect(byKey(report, B)).toMatchObject({ dispatched: 3, responded: 1, evaluated: 1, resolved: 1, satisfaction: { satisfied: 0, basically: 1, unsatisfied: 0 }, resolutionRate: 1, satisfactionRate: 0 });
    expect(byKey(report, B)?.responseRate).toBeCloseTo(1 / 3, 12);
    // Total: 2 of 5 responded → 0.4; 3 evaluated, 3 resolved → 1; satisfied 2 of 3.
    expect(report.total).toMatchObject({ dispatched: 5, responded: 2, responseRate: 0.4, evaluated: 3, resolved: 3, resolutionRate: 1 });
    expect(report.total.satisfactionRate).toBeCloseTo(2 / 3, 12);
    expect(report.config).toEqual(ref.rates);
  });

  it('per district of the case', async () => {
    const report = await rates(`from=${T0}&to=${T0 + D}&groupBy=district`);
    expect(report.groups.map((g) => g.key)).toEqual(['110101', '110105']);
    // Dongcheng: c1, c2 ×3 dispatches → 2/4; evaluations c1, c2 (latest), c5 → resolved 3/3, satisfied 2/3.
    expect(byKey(report, '110101')).toMatchObject({ dispatched: 4, responded: 2, responseRate: 0.5, evaluated: 3, resolved: 3, resolutionRate: 1 });
    expect(byKey(report, '110101')?.satisfactionRate).toBeCloseTo(2 / 3, 12);
    // Chaoyang: c3 (signed late) → 0/1; c4 is a merged duplicate; nothing evaluated → null rates.
    expect(byKey(report, '110105')).toMatchObject({ dispatched: 1, responded: 0, responseRate: 0, evaluated: 0, resolutionRate: null, satisfactionRate: null });
  });

  it('places each fact in the half-open period by its own time', async () => {
    // The next day: c3's evaluation only; its late sign-for happened then, but its dispatch did not.
    const next = await rates(`from=${T0 + D}&to=${T0 + 2 * D}`);
    expect(next.groups).toHaveLength(1);
    expect(byKey(next, B)).toMatchObject({ dispatched: 0, responseRate: null, evaluated: 1, resolved: 1, satisfactionRate: 1 });
    // [+1h, +2h): the dispatches at +1h (c1 and c2's first to A; c4 merged) but not c3's at +2h.
    const hour = await rates(`from=${T0 + H}&to=${T0 + 2 * H}`);
    expect(hour.groups.map((g) => [g.key, g.dispatched, g.responded, g.evaluated])).toEqual([[A, 2, 1, 0]]);
    // The same day written in Beijing time.
    const iso = await rates(`from=${encodeURIComponent('2024-05-01T08:00:00+08:00')}&to=${encodeURIComponent('2024-05-02T00:00:00Z')}`);
    expect(iso.total).toEqual((await rates(`from=${T0}&to=${T0 + D}`)).total);
  });

  it('filters by unit and by district', async () => {
    const a = await rates(`from=${T0}&to=${T0 + D}&unitId=${A}`);
    expect(a.groups.map((g) => g.key)).toEqual([A]);
    expect(a.total).toMatchObject({ dispatched: 2, responded: 1, evaluated: 2 });
    const chao = await rates(`from=${T0}&to=${T0 + D}&groupBy=unit&districtCode=110105`);
    expect(chao.groups.map((g) => [g.key, g.dispatched, g.responded])).toEqual([[B, 1, 0]]);
    const none = await rates(`from=${T0}&to=${T0 + D}&unitId=nobody`);
    expect(none).toMatchObject({ groups: [], total: { dispatched: 0, evaluated: 0, responseRate: null, resolutionRate: null, satisfactionRate: null } });
  });

  it('leaves a dispatch whose deadlines still run out of the response rate', async () => {
    const now = Date.now();
    await newCase('c6', DONG, now - 20 * M);
    await step('c6', { action: 'dispatch', unitId: A }, now - 10 * M);
    const report = await rates(`from=${now - H}&to=${now + H}`);
    expect(byKey(report, A)).toMatchObject({ dispatched: 1, pending: 1, responded: 0, responseRate: null });
  });

  it('answers 401 without a valid access token and 403 to roles other than lead and admin', async () => {
    const q = `from=${T0}&to=${T0 + D}`;
    expect((await get(q, null)).status).toBe(401);
    expect(errorCode(await get(q, 'not-a-token'))).toBe('unauthenticated');
    expect((await get(q, signer.sign({ ...lead, kind: 'refresh' }))).status).toBe(401);
    expect((await get(q, signer.sign({ ...lead, kind: 'access' }, Date.now() - 16 * M))).status).toBe(401);
    for (const role of ['operator', 'trainer', 'editor'] as const) {
      const reply = await get(q, signer.sign({ ...lead, role, kind: 'access' }));
      expect([role, reply.status, errorCode(reply)]).toEqual([role, 403, 'forbidden']);
    }
    const admin = await get(q, signer.sign({ ...lead, role: 'admin', kind: 'access' }));
    expect(admin.status).toBe(200);
    expect((await get(q, leadToken, 'POST')).status).toBe(405);
  });

  it('answers 400 to a bad query, saying what is wrong', async () => {
    const bad: [string, RegExp][] = [
      [`to=${T0}`, /from/],
      [`from=${T0}&to=${T0}`, /to_not_after_from/],
      [`from=${T0 + D}&to=${T0}`, /to_not_after_from/],
      [`from=${T0}&to=${T0 + 93 * D}`, /period_too_long/],
      [`from=2024-05-01&to=2024-05-02`, /ISO 8601/],
      [`from=yesterday&to=${T0}`, /epoch ms/],
      [`from=${T0}&to=${T0 + D}&groupBy=team`, /groupBy/],
      [`from=${T0}&to=${T0 + D}&district=110101`, /district/],
      [`from=${T0}&to=${T0 + D}&districtCode=dongcheng`, /district_code_format/],
      [`from=${T0}&from=${T0 + 1}&to=${T0 + D}`, /given twice/],
    ];
    for (const [query, message] of bad) {
      const reply = await get(query);
      expect([query, reply.status, errorCode(reply)]).toEqual([query, 400, 'invalid_input']);
      expect((reply.body as { error: { message: string } }).error.message).toMatch(message);
    }
  });

  it('reaches a lead through the contract method rates.get; operators are refused; offline it says so', async () => {
    const root = makeTempDir('hotline-rates-ws-');
    cleanup.add(() => removeDir(root));
    const core = (name: string) => {
      const c = new WorkstationCore({ dataDir: path.join(root, name), serverUrl: server.url, mode: 'browser', version: 'test' });
      cleanup.add(() => c.close());
      return c;
    };
    const leadCore = core('lead');
    await call(leadCore, 'session.login', { username: 'lead1', password: 'hotline123' });
    const viaCore = await call(leadCore, 'rates.get', { from: T0, to: T0 + D, groupBy: 'district' });
    expect(viaCore).toEqual({ ...(await rates(`from=${T0}&to=${T0 + D}&groupBy=district`)), asOf: viaCore.asOf });
    expect(await leadCore.invoke('rates.get', { from: T0 + D, to: T0 })).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { to: 'to_not_after_from' } } });

    const opCore = core('op');
    await call(opCore, 'session.login', { username: 'op1', password: 'hotline123' });
    expect(await opCore.invoke('rates.get', { from: T0, to: T0 + D })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    await server.close();
    expect(await leadCore.invoke('rates.get', { from: T0, to: T0 + D })).toMatchObject({ ok: false, error: { code: 'server_unreachable' } });
  });
});
