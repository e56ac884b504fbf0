import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkstationCore } from '../../src/main/core/core';
import { readApiKeys, unitKey } from '../helpers/api-keys';
import { UNIT_API_BASE } from '../../src/shared/units/api';
import type { CaseView } from '../../src/shared/domain/case';
import { call } from '../helpers/core';
import { start, type ServerProcess } from '../helpers/server-process';
import { BACKENDS, type FreshStorage } from '../helpers/backends';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { Cleanup } from '../helpers/cleanup';

/**
 * The life of a case through real workstation cores, a real server process and the unit API:
 * intake → dispatch (the workstation's own suggestion) → unit signs for and replies → the callback
 * queue → evaluated → closed → reopened → re-dispatched; and a dispatch queued offline.
 */
describe.each(BACKENDS)('case lifecycle through workstations and the unit API on $name', (backend) => {
  const cleanup = new Cleanup();
  let storage: FreshStorage;
  let server: ServerProcess;
  let op: WorkstationCore;
  let lead: WorkstationCore;
  let keys: Record<string, string>;

  beforeAll(async () => {
    const root = makeTempDir('hotline-lifecycle-');
    cleanup.add(() => removeDir(root));
    storage = await backend.fresh();
    cleanup.add(() => storage.dispose());
    server = await start(0, storage.dataDir, { databaseUrl: storage.databaseUrl });
    cleanup.add(() => server.stop());
    keys = readApiKeys(storage.dataDir);
    const core = (name: string) => {
      const c = new WorkstationCore({ dataDir: path.join(root, name), serverUrl: server.url, mode: 'browser', version: 'test' });
      cleanup.add(() => c.close());
      return c;
    };
    op = core('op');
    lead = core('lead');
    await call(op, 'session.login', { username: 'op1', password: 'hotline123' });
    await call(lead, 'session.login', { username: 'lead1', password: 'hotline123' });
    await waitFor(async () => (await call(op, 'reference.units', {})).length > 300, 20_000, { message: 'units on the workstation' });
  });
  afterAll(() => cleanup.run());

  const unit = async (method: 'GET' | 'POST', unitId: string, route: string, body?: unknown) => {
    const key = unitKey(keys, unitId);
    const res = await fetch(`${server.url}${UNIT_API_BASE}${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json();
  };
  const confirmed = (core: WorkstationCore, id: string, status: CaseView['status']) =>
    waitFor(async () => {
      const c = await call(core, 'cases.get', { caseId: id });
      return !c.pending && c.status === status ? c : undefined;
    }, 15_000, { message: `case ${id} confirmed ${status}` });

  it('intake → suggested unit → signed for → replied → callback → closed → reopened → re-dispatched', async () => {
    const created = await call(op, 'cases.create', {
      callerPhone: '13911112222',
      callerName: '赵先生',
      categoryCode: 'noise.residential',
      address: '朝阳区建外街道建国路 88 号',
      description: '楼下工地夜间施工噪音扰民',
      answers: { locationDetail: '3号楼东侧', noiseSource: '建筑工地', timeOfDay: 'night', ongoing: true },
    });
    const suggestions = await call(op, 'dispatch.suggest', { caseId: created.id });
    // Neighbourhood noise goes by territory to the street office (routing.json).
    expect(suggestions[0]).toMatchObject({ unitId: 'street.110105001', reasonCode: 'territory_street' });
    expect(suggestions[0]?.nameZh).toContain('建外');
    const unitId = suggestions[0]?.unitId ?? '';
    const after = await call(op, 'cases.step', { caseId: created.id, step: { action: 'dispatch', unitId, note: '' } });
    expect(after).toMatchObject({ status: 'dispatched', unitId, pending: true });
    const dispatched = await confirmed(op, created.id, 'dispatched');
    expect(dispatched.replyBy).toBe((dispatched.dispatchedAt ?? 0) + 7 * 24 * 3600_000);

    // The unit sees the intake answers with the case.
    const seen = (await unit('GET', unitId, `/cases/${created.number}`)) as { case: { answers: unknown } };
    expect(seen.case.answers).toEqual({ locationDetail: '3号楼东侧', noiseSource: '建筑工地', timeOfDay: 'night', ongoing: true });
    await unit('POST', unitId, `/cases/${created.number}/accept`, {});
    await unit('POST', unitId, `/cases/${created.number}/reply`, { outcome: 'resolved', text: '已责令施工方夜间停工', contactedAt: Date.now() });
    // The reply reaches both workstations by poke, and the case enters the team's callback queue.
    await confirmed(op, created.id, 'replied');
    await waitFor(async () => (await call(lead, 'cases.list', { scope: 'callback' })).some((c) => c.id === created.id), 15_000, { message: 'callback queue on the lead' });

    await call(op, 'cases.step', { caseId: created.id, step: { action: 'evaluate', resolved: true, satisfaction: 'basically', words: '基本满意' } });
    await confirmed(op, created.id, 'evaluated');
    await call(op, 'cases.step', { caseId: created.id, step: { action: 'close' } });
    const closed = await confirmed(lead, created.id, 'closed');
    expect(closed.evaluation).toMatchObject({ resolved: true, satisfaction: 'basically' });
    expect(closed.timeline.map((e) => e.kind)).toEqual(['registered', 'dispatch', 'accept', 'reply', 'evaluate', 'close']);
    expect(closed.timeline.find((e) => e.kind === 'accept')).toMatchObject({ actorKind: 'unit', actor: unitId });

    await call(lead, 'cases.step', { caseId: created.id, step: { action: 'reopen', reason: '市民来电：夜间施工再次出现' } });
    await confirmed(op, created.id, 'reopened');
    await call(op, 'cases.step', { caseId: created.id, step: { action: 'dispatch', unitId: 'bureau.urban_enforcement', note: '属地处理无效，转城管执法' } });
    const again = await confirmed(op, created.id, 'dispatched');
    expect(again).toMatchObject({ unitId: 'bureau.urban_enforcement', dispatchCount: 2, reopenCount: 1 });
  });

  it('returned by the unit, suggested again without it, re-dispatched', async () => {
    const c = await call(op, 'cases.create', {
      callerPhone: '13911113333',
      callerName: '',
      categoryCode: 'noise.residential',
      address: '朝阳区建外街道光华路 1 号',
      description: '广场舞音响声音过大',
    });
    await call(op, 'cases.step', { caseId: c.id, step: { action: 'dispatch', unitId: 'street.110105001', note: '' } });
    await confirmed(op, c.id, 'dispatched');
    await unit('POST', 'street.110105001', `/cases/${c.number}/return`, { reason: '该广场属于相邻街道' });
    const returned = await confirmed(op, c.id, 'returned');
    expect(returned.returnReason).toBe('该广场属于相邻街道');
    // The lead's workstation learns of the return by its own poke, independently of the operator's.
    await waitFor(async () => (await call(lead, 'cases.list', { scope: 'withUnits' })).some((x) => x.id === c.id && x.status === 'returned'), 15_000, {
      message: 'returned case in the lead\'s withUnits list',
    });
    const suggestions = await call(op, 'dispatch.suggest', { caseId: c.id });
    expect(suggestions.some((s) => s.unitId === 'street.110105001')).toBe(false);
    // Back to the unit that returned it: refused on the workstation, before anything is queued.
    const refused = await op.invoke('cases.step', { caseId: c.id, step: { action: 'dispatch', unitId: 'street.110105001', note: '' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { unitId: 'invalid_step' } } });
    expect((await call(op, 'sync.status', {})).pending).toBe(0);
    await call(op, 'cases.step', { caseId: c.id, step: { action: 'dispatch', unitId: suggestions[0]?.unitId ?? '', note: '改派' } });
    await confirmed(op, c.id, 'dispatched');
  });

  it('refuses at once what cannot be done here, with the reason', async () => {
    const c = await call(op, 'cases.create', { callerPhone: '13911114444', callerName: '', categoryCode: 'noise.residential', address: '朝阳区', description: '噪音扰民问题反映' });
    const close = await op.invoke('cases.step', { caseId: c.id, step: { action: 'close' } });
    expect(close).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const answer = await op.invoke('cases.step', { caseId: c.id, step: { action: 'answer', answer: '已记录您的问题' } });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { answer: 'not_direct_answer' } } });
    const merge = await op.invoke('cases.step', { caseId: c.id, step: { action: 'merge', intoNumber: c.number } });
    expect(merge).toMatchObject({ ok: false, error: { fields: { intoNumber: 'same_case' } } });
    const unknownUnit = await op.invoke('cases.step', { caseId: c.id, step: { action: 'dispatch', unitId: 'bureau.nowhere' } });
    expect(unknownUnit).toMatchObject({ ok: false, error: { fields: { unitId: 'unknown_unit' } } });
    // Malformed intake answers are refused by field; unanswered ones are not (the case is saved).
    const draft = { callerPhone: '13911115555', callerName: '', categoryCode: 'noise.residential', address: '朝阳区', description: '噪音扰民问题反映' };
    const bad = await op.invoke('cases.create', { ...draft, answers: { timeOfDay: 'noon', ongoing: 'yes', color: 'red' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { 'answers.timeOfDay': 'intake_choice', 'answers.ongoing': 'intake_type', 'answers.color': 'intake_unknown' } } });
    const partial = await call(op, 'cases.create', { ...draft, answers: { timeOfDay: 'day' } });
    expect(partial.answers).toEqual({ timeOfDay: 'day' });
  });
});
