import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationCore } from '../../src/main/core/core';
import { BACKENDS } from '../helpers/backends';
import { Cleanup } from '../helpers/cleanup';
import { call } from '../helpers/core';
import { startTestServer } from '../helpers/test-server';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { caseDraft, closeWhenIdle, openCore } from '../helpers/workstations';

const backend = BACKENDS[0];

/**
 * Finishing a call: drafts kept as the operator types, and one key that registers a case and
 * sends it on (dispatch or direct answer) — all of it, or none of it.
 */
describe.runIf(backend)('intake drafts and one-key finish', () => {
  const cleanup = new Cleanup();
  let root: string;
  let serverUrl: string;
  let op: WorkstationCore;

  const login = async (dir: string, username = 'op1') => {
    const core = openCore(path.join(root, dir), serverUrl);
    await call(core, 'session.login', { username, password: 'hotline123' });
    await waitFor(async () => (await call(core, 'reference.units', {})).length > 300, 20_000, { message: 'units' });
    return core;
  };

  beforeAll(async () => {
    if (!backend) return;
    root = makeTempDir('hotline-finish-');
    cleanup.add(() => removeDir(root));
    serverUrl = (await startTestServer(backend, cleanup)).server.url;
    op = await login('op');
    cleanup.add(() => closeWhenIdle(op));
  });
  afterAll(() => cleanup.run());

  it('keeps a draft as typed, for its user only, across a restart of the workstation', async () => {
    const id = crypto.randomUUID();
    await call(op, 'drafts.save', { id, fields: { callerPhone: '１３８', description: '夜间施工' } });
    const saved = await call(op, 'drafts.save', { id, fields: { callerPhone: '13800138000', description: '夜间施工，凌晨还在打桩', urgency: 'urgent' } });
    expect(saved.fields).toEqual({ callerPhone: '13800138000', description: '夜间施工，凌晨还在打桩', urgency: 'urgent' });
    expect((await call(op, 'drafts.list', {})).map((d) => d.id)).toContain(id);
    await closeWhenIdle(op);
    op = await login('op');
    expect((await call(op, 'drafts.list', {})).find((d) => d.id === id)?.fields.description).toBe('夜间施工，凌晨还在打桩');
    // Another operator on this workstation later: not theirs to see.
    await closeWhenIdle(op);
    const other = await login('op', 'op2');
    expect(await call(other, 'drafts.list', {})).toEqual([]);
    await closeWhenIdle(other);
    op = await login('op');
    await call(op, 'drafts.discard', { id });
    expect((await call(op, 'drafts.list', {})).some((d) => d.id === id)).toBe(false);
  });

  it('registers and dispatches with one call, and the draft goes with it', async () => {
    const draftId = crypto.randomUUID();
    await call(op, 'drafts.save', { id: draftId, fields: { description: '噪音' } });
    const c = await call(op, 'cases.create', { ...caseDraft(1, 'one-key'), draftId, then: { action: 'dispatch', unitId: 'district.110105' } });
    expect(c).toMatchObject({ status: 'dispatched', unitId: 'district.110105', pending: true });
    expect((await call(op, 'drafts.list', {})).some((d) => d.id === draftId)).toBe(false);
    await waitFor(async () => !(await call(op, 'cases.get', { caseId: c.id })).pending, 20_000, { message: 'confirmed' });
    expect(await call(op, 'cases.get', { caseId: c.id })).toMatchObject({ status: 'dispatched', rev: 2 });
  });

  it('answers a consultation at intake with one call', async () => {
    const c = await call(op, 'cases.create', {
      ...caseDraft(2, 'consult'),
      categoryCode: 'utility.heating_fee_query',
      contactType: 'consultation',
      then: { action: 'answer', answer: '供暖费按建筑面积计收，居民 30 元/平方米·采暖季。' },
    });
    expect(c).toMatchObject({ status: 'answered', contactType: 'consultation' });
  });

  it('saves nothing when the next step is refused, and the draft stays', async () => {
    const draftId = crypto.randomUUID();
    await call(op, 'drafts.save', { id: draftId, fields: { description: '仍在' } });
    const before = (await call(op, 'cases.list', { scope: 'mine', limit: 500 })).length;
    const queued = (await call(op, 'sync.status', {})).pending;
    const unknownUnit = await op.invoke('cases.create', { ...caseDraft(3, 'refused'), draftId, then: { action: 'dispatch', unitId: 'no-such-unit' } });
    expect(unknownUnit.ok).toBe(false);
    if (!unknownUnit.ok) expect(unknownUnit.error.fields).toEqual({ unitId: 'unknown_unit' });
    const notDirect = await op.invoke('cases.create', { ...caseDraft(4, 'refused'), draftId, then: { action: 'answer', answer: '这不是咨询' } });
    expect(notDirect.ok).toBe(false);
    expect((await call(op, 'cases.list', { scope: 'mine', limit: 500 })).length).toBe(before);
    expect((await call(op, 'drafts.list', {})).some((d) => d.id === draftId)).toBe(true);
    // Nothing was queued either: no mutation of a case that does not exist goes to the server.
    expect((await call(op, 'sync.status', {})).pending).toBeLessThanOrEqual(queued);
  });
});
