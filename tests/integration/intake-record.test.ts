import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationCore } from '../../src/main/core/core';
import type { RunningServer } from '../../src/server/app';
import type { CaseView } from '../../src/shared/domain/case';
import { UNIT_API_BASE } from '../../src/shared/units/api';
import { BACKENDS } from '../helpers/backends';
import { Cleanup } from '../helpers/cleanup';
import { call } from '../helpers/core';
import { readApiKeys, unitKey } from '../helpers/api-keys';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { startTestServer } from '../helpers/test-server';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { caseDraft, closeWhenIdle, openCore, waitSynced } from '../helpers/workstations';

const H = 3_600_000;

/**
 * The intake record end to end: real workstation cores (one behind a proxy that can cut it off),
 * a real server, the unit API and Open311 on the wire.
 */
describe.each(BACKENDS)('the intake record through workstations on $name', (backend) => {
  const cleanup = new Cleanup();
  let server: RunningServer;
  let proxy: FaultProxy;
  let op: WorkstationCore;
  let colleague: WorkstationCore;
  let keys: Record<string, string>;

  const confirmed = (core: WorkstationCore, id: string, ok: (c: CaseView) => boolean, message: string) =>
    waitFor(
      async () => {
        const c = await call(core, 'cases.get', { caseId: id });
        return !c.pending && ok(c) ? c : undefined;
      },
      20_000,
      { message },
    );

  const unitGet = async (unitId: string, route: string) => {
    const res = await fetch(`${server.url}${UNIT_API_BASE}${route}`, { headers: { authorization: `Bearer ${unitKey(keys, unitId)}` } });
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    const root = makeTempDir('hotline-intake-');
    cleanup.add(() => removeDir(root));
    const started = await startTestServer(backend, cleanup);
    server = started.server;
    keys = readApiKeys(started.storage.dataDir);
    proxy = await startFaultProxy(server.port);
    cleanup.add(() => proxy.close());
    op = openCore(path.join(root, 'op'), proxy.url, 3000);
    colleague = openCore(path.join(root, 'colleague'), server.url);
    cleanup.add(() => closeWhenIdle(op));
    cleanup.add(() => closeWhenIdle(colleague));
    await call(op, 'session.login', { username: 'op1', password: 'hotline123' });
    await call(colleague, 'session.login', { username: 'op2', password: 'hotline123' });
    for (const core of [op, colleague]) {
      await waitFor(async () => (await call(core, 'reference.units', {})).length > 300 && (await call(core, 'reference.sla', {})) !== null, 20_000, {
        message: 'reference data',
      });
    }
  });
  afterAll(() => cleanup.run());

  it('an emergency registered and dispatched offline carries its 2 h deadline at once, and still when it syncs', async () => {
    proxy.setMode({ kind: 'reset' });
    await waitFor(async () => !(await call(op, 'sync.status', {})).online, 10_000, { message: 'offline' });
    // A general-class category (noise: 7 days normally), but people are at risk now.
    const created = await call(op, 'cases.create', { ...caseDraft(1, 'emergency'), urgency: 'emergency' });
    expect(created.dispatchBy).toBe(created.createdAt + 10 * 60_000);
    const local = await call(op, 'cases.step', { caseId: created.id, step: { action: 'dispatch', unitId: 'district.110105' } });
    expect(local.pending).toBe(true);
    expect(local.replyBy).not.toBeNull();
    expect((local.replyBy ?? 0) - (local.dispatchedAt ?? 0)).toBe(2 * H);
    proxy.setMode({ kind: 'pass' });
    const synced = await confirmed(op, created.id, (c) => c.status === 'dispatched', 'emergency dispatch confirmed');
    expect(synced.urgency).toBe('emergency');
    expect((synced.replyBy ?? 0) - (synced.dispatchedAt ?? 0)).toBe(2 * H);
    expect((synced.signBy ?? 0) - (synced.dispatchedAt ?? 0)).toBe(0.5 * H);
    // What the unit sees: the same deadline and the urgency.
    const seen = JSON.parse((await unitGet('district.110105', `/cases/${synced.number}`)).text) as { case: { urgency: string; replyBy: number } };
    expect(seen.case).toMatchObject({ urgency: 'emergency', replyBy: synced.replyBy });
  });

  it('an anonymous confidential report: the unit and the public never see its caller, a colleague only with a logged reason', async () => {
    await waitSynced(op, 20_000);
    const report = await call(op, 'cases.create', {
      ...caseDraft(2, 'report'),
      callerPhone: '13912345678',
      callerName: '不该出现',
      callbackPhone: '13987654321',
      contactType: 'report',
      anonymous: true,
      confidential: true,
      description: '举报某公司拖欠工资三个月',
    });
    // Anonymous: the name is never kept, whatever was typed. The registrar still sees the number.
    expect(report.callerName).toBe('');
    expect(report.callerPhone).toBe('13912345678');
    expect(report.callerHidden).toBe(false);
    await call(op, 'cases.step', { caseId: report.id, step: { action: 'dispatch', unitId: 'district.110105' } });
    const done = await confirmed(op, report.id, (c) => c.status === 'dispatched', 'report dispatched');

    // On the wire: the unit's list and the case itself carry no number and no name.
    for (const route of ['/cases', `/cases/${done.number}`]) {
      const { status, text } = await unitGet('district.110105', route);
      expect(status).toBe(200);
      expect(text).toContain(done.number);
      expect(text).not.toContain('13912345678');
      expect(text).not.toContain('13987654321');
      expect(text).not.toContain('不该出现');
    }
    const one = JSON.parse((await unitGet('district.110105', `/cases/${done.number}`)).text) as { case: Record<string, unknown> };
    expect(one.case).toMatchObject({ callerName: null, callerPhone: null, confidential: true, contactType: 'report' });
    // The public Open311 listing: not there, not even when asked for by number.
    const listed = await (await fetch(`${server.url}/open311/v2/requests.json`)).text();
    expect(listed).not.toContain(done.number);
    const asked = await fetch(`${server.url}/open311/v2/requests/${done.number}.json`);
    expect(await asked.text()).not.toContain('13912345678');

    // A colleague of the team: the identity is withheld until they give a reason, which stays on the case.
    const hidden = await confirmed(colleague, report.id, (c) => c.status === 'dispatched', 'colleague has the report');
    expect(hidden).toMatchObject({ callerHidden: true, callerPhone: '', callbackPhone: null });
    const refused = await colleague.invoke('cases.revealCaller', { caseId: report.id, reason: '' });
    expect(refused.ok).toBe(false);
    const shown = await call(colleague, 'cases.revealCaller', { caseId: report.id, reason: '单位需要回访时核实' });
    expect(shown).toMatchObject({ callerHidden: false, callerPhone: '13912345678', callbackPhone: '13987654321' });
    const logged = await confirmed(op, report.id, (c) => c.timeline.some((e) => e.kind === 'caller_revealed'), 'the reveal reaches the registrar');
    expect(logged.timeline.find((e) => e.kind === 'caller_revealed')).toMatchObject({ note: '单位需要回访时核实' });
  });

  it('an English-speaking caller needing an interpreter; the urgency changed later moves its deadline, on the timeline', async () => {
    const c = await call(op, 'cases.create', { ...caseDraft(3, 'english'), language: 'en', interpreter: true, description: 'Construction noise every night after 23:00' });
    await call(op, 'cases.step', { caseId: c.id, step: { action: 'dispatch', unitId: 'district.110105' } });
    const dispatched = await confirmed(op, c.id, (x) => x.status === 'dispatched', 'english case dispatched');
    expect((dispatched.replyBy ?? 0) - (dispatched.dispatchedAt ?? 0)).toBe(168 * H);
    const seen = JSON.parse((await unitGet('district.110105', `/cases/${dispatched.number}`)).text) as { case: Record<string, unknown> };
    expect(seen.case).toMatchObject({ language: 'en', interpreter: true });
    await call(op, 'cases.amend', { caseId: c.id, changes: { urgency: 'urgent' } });
    const urgent = await confirmed(op, c.id, (x) => x.urgency === 'urgent', 'urgency confirmed');
    expect((urgent.replyBy ?? 0) - (urgent.dispatchedAt ?? 0)).toBe(24 * H);
    expect(urgent.timeline.at(-1)).toMatchObject({ kind: 'amended', data: { changes: { urgency: { from: 'normal', to: 'urgent' } } } });
  });

  it('repeat calls are not new cases: the count rises and the second one makes the case urgent', async () => {
    const c = await call(op, 'cases.create', caseDraft(4, 'repeat'));
    await call(op, 'cases.repeatCall', { caseId: c.id, note: '第二次来电催办' });
    await call(op, 'cases.repeatCall', { caseId: c.id, note: '' });
    const after = await confirmed(op, c.id, (x) => x.repeatCount === 2, 'repeat calls confirmed');
    expect(after.urgency).toBe('urgent');
    expect(after.dispatchBy).toBe(after.createdAt + 30 * 60_000);
    expect(after.timeline.filter((e) => e.kind === 'repeat_call')).toHaveLength(2);
    const mine = await call(op, 'cases.list', { scope: 'mine', limit: 500 });
    expect(mine.filter((x) => x.description === c.description)).toHaveLength(1);
  });

  it('a number is required unless the caller is anonymous', async () => {
    const res = await op.invoke('cases.create', { ...caseDraft(5, 'no-number'), callerPhone: '' });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.fields).toEqual({ callerPhone: 'required' });
    const anonymous = await call(op, 'cases.create', { ...caseDraft(6, 'withheld'), callerPhone: '', anonymous: true });
    expect(anonymous.callerPhone).toBe('');
    await confirmed(op, anonymous.id, () => true, 'an anonymous case without a number is confirmed');
  });

  it('a callback that reaches nobody is counted and retried later; the queue puts the case due first on top', async () => {
    const unitPost = (number: string, step: string, body: unknown) =>
      fetch(`${server.url}${UNIT_API_BASE}/cases/${number}/${step}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${unitKey(keys, 'district.110105')}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const replied: CaseView[] = [];
    for (const [i, window] of [[7, { from: '00:00', to: '00:01' }], [8, null]] as const) {
      const c = await call(op, 'cases.create', { ...caseDraft(i, 'callback'), callbackWindow: window });
      await call(op, 'cases.step', { caseId: c.id, step: { action: 'dispatch', unitId: 'district.110105' } });
      const d = await confirmed(op, c.id, (x) => x.status === 'dispatched', 'dispatched');
      expect((await unitPost(d.number, 'accept', {})).status).toBe(200);
      expect((await unitPost(d.number, 'reply', { outcome: 'resolved', text: '已处理完毕', contactedAt: Date.now() })).status).toBe(200);
      replied.push(await confirmed(op, c.id, (x) => x.status === 'replied', 'replied'));
    }
    const [narrow, any] = replied;
    if (!narrow || !any) throw new Error('no cases');
    // The one with a window of a minute after midnight is due tonight; the other now.
    const queue = (await call(op, 'cases.list', { scope: 'callback', limit: 100 })).map((c) => c.id);
    expect(queue.indexOf(any.id)).toBeLessThan(queue.indexOf(narrow.id));
    const retryAt = Date.now() + 365 * 24 * H;
    await call(op, 'cases.callbackAttempt', { caseId: any.id, attempt: { outcome: 'unreachable', retryAt, note: '无人接听' } });
    const tried = await confirmed(op, any.id, (x) => x.callbackAttempts === 1, 'attempt confirmed');
    expect(tried).toMatchObject({ status: 'replied', nextCallbackAt: retryAt });
    expect(tried.timeline.at(-1)).toMatchObject({ kind: 'callback_attempt', note: '无人接听', data: { outcome: 'unreachable', attempt: 1 } });
    const after = (await call(op, 'cases.list', { scope: 'callback', limit: 100 })).map((c) => c.id);
    expect(after.indexOf(any.id)).toBeGreaterThan(after.indexOf(narrow.id));
    // Only a case that waits for its callback takes an attempt.
    const open = await call(op, 'cases.create', caseDraft(9, 'not-replied'));
    expect((await op.invoke('cases.callbackAttempt', { caseId: open.id, attempt: { outcome: 'busy', retryAt: null } })).ok).toBe(false);
  });
});
