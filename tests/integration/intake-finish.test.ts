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

  it('shows while typing where the address is, who would take the case and its deadlines', async () => {
    const p = await call(op, 'dispatch.preview', { categoryCode: 'noise.residential', address: '朝阳区望京街道望京西园三区 5 号楼', urgency: 'normal' });
    expect(p.place).toMatchObject({ level: 'community', districtCode: '110105', pathZh: expect.stringContaining('朝阳区 › 望京街道') as string });
    expect(p.confidence).toBeGreaterThan(0.5);
    expect(p.suggestions.length).toBeGreaterThan(0);
    expect(p.suggestions[0]).toMatchObject({ reason: { zh: expect.any(String) as string } });
    expect(p.deadlines).toEqual({ dispatchWithinMinutes: 120, signWithinMinutes: 1440, replyWithinMinutes: 10080, slaClass: 'general' });
    const emergency = await call(op, 'dispatch.preview', { categoryCode: 'noise.residential', address: '朝阳区望京街道', urgency: 'emergency' });
    expect(emergency.deadlines).toMatchObject({ dispatchWithinMinutes: 10, replyWithinMinutes: 120, slaClass: 'emergency' });
    const nowhere = await call(op, 'dispatch.preview', { categoryCode: 'noise.residential', address: 'x', urgency: 'normal' });
    expect(nowhere).toMatchObject({ place: null, confidence: 0 });
  });

  it('sends a construction-noise call at 望京街道 to the 朝阳区 urban-management enforcement bureau while typing, with the reason', async () => {
    const p = await call(op, 'dispatch.preview', { categoryCode: 'noise.construction', address: '朝阳区望京街道望京西园三区 5 号楼', urgency: 'normal' });
    expect(p.suggestions.map((s) => [s.unitId, s.reasonCode])).toEqual([
      ['dept.110105.urban_enforcement', 'territory_department'],
      ['street.110105026', 'territory_street'],
      ['district.110105', 'district_fallback'],
      ['bureau.hotline_centre', 'city_fallback'],
    ]);
    expect(p.suggestions[0]).toMatchObject({ nameZh: '朝阳区城市管理综合行政执法局', reason: { zh: '区级部门承办：施工噪声由朝阳区城市管理综合行政执法局查处' } });
    // 朝阳区 was recognised: manual dispatch is offered last, without saying the district is unknown.
    expect(p.suggestions.at(-1)?.reason.zh).not.toContain('未能确定');
    const units = await call(op, 'reference.units', {});
    expect(units.find((u) => u.id === 'dept.110105.urban_enforcement')).toEqual({ id: 'dept.110105.urban_enforcement', kind: 'district_dept', nameZh: '朝阳区城市管理综合行政执法局', nameEn: 'Chaoyang District Urban Management Law Enforcement Bureau' });
    // The retired code is no longer offered.
    const categories = await call(op, 'reference.categories', {});
    expect(categories.some((c) => c.code === 'urban.noise')).toBe(false);
    expect(categories.find((c) => c.code === 'noise.residential')?.nameZh).toContain('噪音扰民');
  });

  it('completes an address from the landmarks and roads too, each placed in its street', async () => {
    const soho = await call(op, 'reference.places', { q: '望京so', limit: 5 });
    expect(soho).toEqual([
      { level: 'street', code: '110105026', nameZh: '望京SOHO', pathZh: '朝阳区 › 望京街道 › 望京SOHO', districtCode: '110105', streetCode: '110105026', landmark: 'landmark' },
    ]);
    // By another name it goes by; a road too.
    expect((await call(op, 'reference.places', { q: '国贸大厦', limit: 5 }))[0]).toMatchObject({ nameZh: '国贸', pathZh: '朝阳区 › 建外街道 › 国贸', landmark: 'landmark' });
    expect((await call(op, 'reference.places', { q: '中关村大街', limit: 5 }))[0]).toMatchObject({ nameZh: '中关村大街', streetCode: '110108011', landmark: 'road' });
    // Streets still come before landmarks; communities after.
    const wangjing = await call(op, 'reference.places', { q: '望京', limit: 10 });
    expect(wangjing[0]).toMatchObject({ level: 'street', nameZh: '望京街道' });
    expect(wangjing[0]?.landmark).toBeUndefined();
    // And the preview places an address that names only the landmark.
    const p = await call(op, 'dispatch.preview', { categoryCode: 'noise.construction', address: '望京SOHO T3 旁工地', urgency: 'normal' });
    expect(p.place).toMatchObject({ level: 'street', code: '110105026' });
    expect(p.suggestions[0]?.unitId).toBe('dept.110105.urban_enforcement');
  });

  it('completes an address from the geography, and ranks categories by this operator’s use', async () => {
    const places = await call(op, 'reference.places', { q: '望京', limit: 5 });
    expect(places[0]).toMatchObject({ level: 'street', nameZh: '望京街道' });
    expect(places.every((p) => p.nameZh.includes('望京'))).toBe(true);
    expect(await call(op, 'reference.places', { q: ' ', limit: 5 })).toEqual([]);
    const usage = await call(op, 'cases.categoryUsage', {});
    expect(usage['noise.residential']).toBeGreaterThanOrEqual(1);
    expect(usage['utility.heating_fee_query']).toBe(1);
  });

  it('keeps a user’s settings on the workstation, apart from the workstation’s own and other users’', async () => {
    await call(op, 'prefs.set', { key: 'ui.language', value: 'en' });
    await call(op, 'prefs.set', { key: 'ui.panes', value: [30, 40, 30] });
    expect(await call(op, 'prefs.get', {})).toMatchObject({ 'ui.language': 'en', 'ui.panes': [30, 40, 30] });
    expect((await op.invoke('prefs.set', { key: 'Bad Key', value: 1 })).ok).toBe(false);
    expect((await op.invoke('prefs.set', { key: 'big', value: 'x'.repeat(5000) })).ok).toBe(false);
    await call(op, 'session.logout', {});
    expect(await call(op, 'prefs.get', {})).toEqual({});
    await call(op, 'prefs.set', { key: 'ui.language', value: 'zh-CN' });
    await call(op, 'session.login', { username: 'op1', password: 'hotline123' });
    expect((await call(op, 'prefs.get', {}))['ui.language']).toBe('en');
    await call(op, 'prefs.set', { key: 'ui.panes', value: null });
    expect(await call(op, 'prefs.get', {})).toEqual({ 'ui.language': 'en' });
  });
});
