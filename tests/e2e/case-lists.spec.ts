import { test, expect, type Page } from '@playwright/test';
import fc from 'fast-check';
import { CaseStatus } from '../../src/shared/domain/case';
import { UNIT_API_BASE } from '../../src/shared/units/api';
import type { CaseListScope } from '../../src/shared/contract/contract';
import { LIST_SCOPES, listOf, updateList, type LoadedList, type ListOwner } from '../../src/renderer/src/store/lists';
import { start, type ServerProcess } from '../helpers/server-process';
import { startWorkstation, type WorkstationProcess } from '../helpers/workstation-process';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { readApiKeys, unitKey } from '../helpers/api-keys';
import { coreAt, rowAttribute, shownNumbers, showList } from './core-bridge';

// The renderer writes the four lists' rules once (src/renderer/src/store/lists.ts) and keeps its
// lists current in place with them. Here they are held against the core's own `cases.list`, and
// the lists on screen against the core's after changes that arrived as events only.

const ids = Array.from({ length: 10 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const me: ListOwner = { id: 'u1', team: 'team-a' };

/** Small ranges, so that equal times (ties) and every status and owner come up. */
const caseArb = (id: string, i: number) =>
  fc.record({
    id: fc.constant(id),
    number: fc.constant(`S0001-${String(900 - i * 7).padStart(6, '0')}`),
    status: fc.constantFrom(...CaseStatus.options),
    team: fc.constantFrom('team-a', 'team-b'),
    createdBy: fc.constantFrom('u1', 'u2'),
    assignee: fc.constantFrom(null, 'u1', 'u2'),
    createdAt: fc.integer({ min: 0, max: 4 }),
    updatedAt: fc.integer({ min: 0, max: 4 }),
    replyBy: fc.option(fc.integer({ min: 0, max: 4 })),
  });

const worldArb = fc.tuple(...ids.map((id, i) => fc.option(caseArb(id, i), { nil: undefined }))).map((cs) => cs.filter((c) => c !== undefined));
/** What one cases.changed brings: one to three cases changed, arrived or gone. */
const changesArb = fc.array(
  fc.integer({ min: 0, max: ids.length - 1 }).chain((i) => fc.option(caseArb(ids[i] ?? '', i), { nil: undefined }).map((c) => ({ id: ids[i] ?? '', c }))),
  { minLength: 1, maxLength: 3 },
);

test.describe('list rules, in place (pure)', () => {
  test('an in-place update gives the list the rules give, or asks for a reload; a complete list never asks', () => {
    const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);
    const seen = { complete: 0, cutInPlace: 0, cutReload: 0 };
    fc.assert(
      fc.property(fc.constantFrom(...LIST_SCOPES), fc.integer({ min: 1, max: 6 }), worldArb, fc.array(changesArb, { minLength: 1, maxLength: 6 }), (scope: CaseListScope, limit, first, steps) => {
        const world = new Map(first.map((c) => [c.id, c]));
        const load = (): LoadedList => {
          const loaded = listOf(scope, [...world.values()], me, limit);
          return { ids: loaded.map((c) => c.id), complete: loaded.length < limit };
        };
        let list = load();
        for (const step of steps) {
          for (const { id, c } of step) {
            if (c) world.set(id, c);
            else world.delete(id);
          }
          const changed = new Set(step.map((s) => s.id));
          const expected = listOf(scope, [...world.values()], me, limit).map((c) => c.id);
          const updated = updateList(scope, list, changed, (id) => world.get(id), me, limit);
          if (list.complete) seen.complete += 1;
          else if (updated) seen.cutInPlace += 1;
          else seen.cutReload += 1;
          if (updated) {
            if (!same(updated.ids, expected)) return false;
            // "complete" promises that no case of the list is missing.
            if (updated.complete && listOf(scope, [...world.values()], me, Infinity).length !== updated.ids.length) return false;
            list = updated;
          } else {
            if (list.complete) return false;
            list = load(); // what the store does: ask the core
          }
        }
        return true;
      }),
      { numRuns: 3000 },
    );
    // Not vacuous: lists cut at the limit are kept in place too, not only reloaded.
    expect(seen.cutInPlace).toBeGreaterThan(500);
    expect(seen.complete).toBeGreaterThan(500);
  });
});

test.describe('list rules against the core, and the lists on screen', () => {
  let server: ServerProcess;
  let serverData: string;
  let ws: WorkstationProcess;
  let keys: Record<string, string>;

  test.beforeAll(async () => {
    serverData = makeTempDir('hotline-e2e-lists-');
    server = await start(0, serverData);
    keys = readApiKeys(serverData);
    ws = await startWorkstation(server.url);
  });

  test.afterAll(async () => {
    await ws.stop();
    await server.stop();
    removeDir(serverData);
    removeDir(ws.dataDir);
  });

  async function unitCall(unitId: string, number: string, step: 'accept' | 'return' | 'reply', body: Record<string, unknown> = {}): Promise<void> {
    const res = await fetch(`${server.url}${UNIT_API_BASE}/cases/${number}/${step}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${unitKey(keys, unitId)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.text()).toBe(200);
  }

  /** A case from outside (Open311): the team's, not op1's; dispatched by the server at once. */
  async function open311(address: string): Promise<void> {
    const res = await fetch(`${server.url}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        api_key: keys.o311_demo ?? '',
        service_code: 'noise.residential',
        address_string: address,
        description: '工地夜间施工，噪音很大影响休息',
        'attribute[locationDetail]': '3号楼东侧',
        'attribute[noiseSource]': '建筑工地',
        'attribute[timeOfDay]': 'night',
        'attribute[ongoing]': 'true',
      }).toString(),
    });
    expect(res.status, await res.text()).toBe(200);
  }

  async function login(page: Page): Promise<void> {
    await expect(page.getByTestId('login-username')).toBeFocused();
    await page.keyboard.type('op1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('hotline123');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('sync-online')).toHaveAttribute('data-online', 'true');
    await expect(page.getByTestId('intake-category')).not.toHaveAttribute('data-categories', '0');
  }

  test('the rules give the core’s lists; lists kept by events alone match the core’s', async ({ page }) => {
    // The app's own bridge is the page's first WebSocket; count the calls it makes.
    const sent: string[] = [];
    let appSocket = false;
    page.on('websocket', (socket) => {
      if (appSocket) return;
      appSocket = true;
      socket.on('framesent', (frame) => {
        const msg: unknown = typeof frame.payload === 'string' ? JSON.parse(frame.payload) : null;
        if (typeof msg === 'object' && msg !== null && 'method' in msg && typeof msg.method === 'string') sent.push(msg.method);
      });
    });
    await page.goto(ws.url);
    await login(page);
    const core = coreAt(ws.url);
    const session = await core('session.current', {});
    if (!session) throw new Error('no session');
    const owner: ListOwner = { id: session.user.id, team: session.user.team };
    const synced = () => expect.poll(async () => (await core('sync.status', {})).pending, { timeout: 15_000 }).toBe(0);

    // op1's cases: registered, dispatched, then signed for, replied, returned by their units.
    const mine = [];
    for (let i = 0; i < 6; i += 1) {
      mine.push(await core('cases.create', { callerPhone: '13800138000', callerName: '', categoryCode: 'noise.residential', address: `朝阳区建外街道建国路 ${80 + i} 号`, description: `列表测试 #${i}：夜间施工噪音` }));
    }
    const units: string[] = [];
    for (const c of mine.slice(0, 5)) {
      const [suggestion] = await core('dispatch.suggest', { caseId: c.id });
      if (!suggestion) throw new Error('no unit suggested');
      units.push(suggestion.unitId);
      await core('cases.step', { caseId: c.id, step: { action: 'dispatch', unitId: suggestion.unitId, note: '' } });
    }
    await synced();
    const [c0, c1, c2, c3] = mine;
    if (!c0 || !c1 || !c2 || !c3) throw new Error('cases missing');
    await unitCall(units[0] ?? '', c0.number, 'accept');
    await unitCall(units[1] ?? '', c1.number, 'accept');
    await unitCall(units[1] ?? '', c1.number, 'reply', { outcome: 'resolved', text: '已处理', contactedAt: Date.now() });
    await unitCall(units[2] ?? '', c2.number, 'return', { reason: '不属于本单位' });
    await unitCall(units[3] ?? '', c3.number, 'accept');
    await unitCall(units[3] ?? '', c3.number, 'reply', { outcome: 'explained', text: '已解释', contactedAt: Date.now() });
    // The team's cases from outside, not op1's.
    await open311('朝阳区建外街道光华路 1 号');
    await open311('东城区东华门街道南池子大街 12 号');
    await expect.poll(async () => (await core('cases.list', { scope: 'team', limit: 500 })).length, { timeout: 15_000 }).toBe(8);
    await expect.poll(async () => (await core('cases.list', { scope: 'callback', limit: 500 })).length, { timeout: 15_000 }).toBe(2);

    // The rules over every case on the workstation give each list exactly, at any limit.
    const all = await core('cases.list', { scope: 'team', limit: 500 });
    // The queues are ordered by the deadlines of the SLA policy the workstation holds.
    const policy = await core('reference.sla', {});
    const counts: Record<string, number> = {};
    for (const scope of LIST_SCOPES) {
      for (const limit of [500, 3, 1]) {
        const fromCore = (await core('cases.list', { scope, limit })).map((c) => c.number);
        expect(listOf(scope, all, owner, limit, policy).map((c) => c.number), `${scope} limit ${limit}`).toEqual(fromCore);
        if (limit === 500) counts[scope] = fromCore.length;
      }
    }
    expect(counts).toEqual({ mine: 6, team: 8, callback: 2, withUnits: 5 });

    // Every list on screen once (loaded from the core), then changes reach them as events only.
    const tabs: [CaseListScope, string][] = [
      ['mine', 'Alt+1'],
      ['team', 'Alt+2'],
      ['callback', 'Alt+3'],
      ['withUnits', 'Alt+4'],
    ];
    for (const [scope, keys] of tabs) {
      await showList(page, scope, keys);
      await expect.poll(() => shownNumbers(page)).toEqual((await core('cases.list', { scope, limit: 200 })).map((c) => c.number));
    }
    const listCallsBefore = sent.filter((m) => m === 'cases.list').length;
    const getManyBefore = sent.filter((m) => m === 'cases.getMany').length;

    await unitCall(units[0] ?? '', c0.number, 'reply', { outcome: 'resolved', text: '已处理完毕', contactedAt: Date.now() }); // withUnits → callback
    await unitCall(units[4] ?? '', mine[4]?.number ?? '', 'return', { reason: '请改派' }); // stays with units, returned
    await open311('西城区西长安街街道府右街 2 号'); // team and withUnits
    await core('cases.create', { callerPhone: '13900001111', callerName: '', categoryCode: 'noise.residential', address: '朝阳区建外街道建国路 99 号', description: '列表测试：新登记的工单' }); // mine, team
    await expect.poll(async () => (await core('cases.list', { scope: 'callback', limit: 500 })).length, { timeout: 15_000 }).toBe(3);
    await expect.poll(async () => (await core('cases.list', { scope: 'team', limit: 500 })).length, { timeout: 15_000 }).toBe(10);
    await synced();

    for (const [scope, keys] of tabs) {
      await showList(page, scope, keys);
      const fromCore = (await core('cases.list', { scope, limit: 200 })).map((c) => c.number);
      await expect.poll(() => shownNumbers(page), { message: scope }).toEqual(fromCore);
      // Rows show the case as the core has it now.
      expect(await rowAttribute(page, 'data-status')).toEqual((await core('cases.list', { scope, limit: 200 })).map((c) => c.status));
    }
    // Updated in place: the changed cases were fetched by id, no list was reloaded.
    expect(sent.filter((m) => m === 'cases.list').length - listCallsBefore).toBe(0);
    expect(sent.filter((m) => m === 'cases.getMany').length - getManyBefore).toBeGreaterThan(0);
  });
});
