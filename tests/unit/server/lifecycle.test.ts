import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TokenClaims } from '../../../src/server/auth/token';
import { applyPush } from '../../../src/server/sync/push';
import { ensureClient } from '../../../src/server/store/clients';
import { findCase, teamScope } from '../../../src/server/store/cases';
import { changesSince } from '../../../src/server/store/changes';
import { writeTx } from '../../../src/server/lifecycle/write';
import { StepRefused, takeStep } from '../../../src/server/lifecycle/steps';
import { shippedReferenceSet } from '../../../src/server/reference/reference-set';
import type { Mutation, MutationOutcome, PushResponse } from '../../../src/shared/sync/protocol';
import type { MutationName } from '../../../src/shared/sync/mutations';
import type { StepInput } from '../../../src/shared/domain/lifecycle';
import { Step } from '../../../src/shared/domain/lifecycle';
import { CaseRecord, formatCaseNumber } from '../../../src/shared/domain/case';
import { BACKENDS } from '../../helpers/backends';
import { insertUser, migratedDb, seedCategories, type MigratedDb } from '../../helpers/server-db';

const STATION = 'S0001';
const ref = shippedReferenceSet();
const STREET_UNIT = 'street.110105001';

function ok(res: PushResponse): MutationOutcome[] {
  if (!res.ok) throw new Error(`push refused: ${res.error.code}: ${res.error.message}`);
  return res.outcomes;
}

describe.each(BACKENDS)('lifecycle on the server, on $name', (backend) => {
  let m: MigratedDb;
  let op: TokenClaims;
  let clientId: string;
  let seq = 0;

  beforeEach(async () => {
    m = await migratedDb(backend);
    await seedCategories(m.db);
    op = await insertUser(m.db, { station: STATION });
    clientId = crypto.randomUUID();
    seq = 0;
    await ensureClient(m.db, clientId, op.sub, STATION);
  });
  afterEach(async () => {
    await m.close();
  });

  const mutation = (name: MutationName, args: unknown): Mutation => {
    seq += 1;
    return { clientId, seq, id: crypto.randomUUID(), name, args, at: Date.now() };
  };
  const push = async (name: MutationName, args: unknown, as: TokenClaims = op): Promise<MutationOutcome> => {
    const outcomes = ok((await applyPush(m.db, as, STATION, { clientId, mutations: [mutation(name, args)] }, undefined, ref)).response);
    const last = outcomes.at(-1);
    if (!last) throw new Error('no outcome');
    return last;
  };
  const register = async (categoryCode = 'noise.residential', address = '朝阳区建外街道建国路 88 号'): Promise<CaseRecord> => {
    const id = crypto.randomUUID();
    const outcome = await push('createCase', {
      id,
      number: formatCaseNumber(STATION, seq + 1),
      createdAt: Date.now(),
      callerPhone: '13800138000',
      callerName: '王先生',
      categoryCode,
      address,
      description: '楼下工地夜间施工噪音扰民',
    });
    expect(outcome.status).toBe('applied');
    const found = await findCase(m.db, id);
    if (!found) throw new Error('case not saved');
    return found;
  };
  const current = async (id: string): Promise<CaseRecord> => {
    const found = await findCase(m.db, id);
    if (!found) throw new Error('case gone');
    return found;
  };
  /** A unit's step, as the unit API takes it. */
  const unitStep = (id: string, step: StepInput, unitId = STREET_UNIT, at = Date.now()) =>
    writeTx(m.db, async (q, rec) => {
      // Read inside the transaction (on SQLite the database's one connection is held by it).
      const found = await findCase(q, id);
      if (!found) throw new Error('case gone');
      return takeStep(q, rec, ref, found, Step.parse(step), { at, actor: { kind: 'unit', id: unitId, station: unitId } });
    });

  it('a replied case closes without a callback only when its type needs none (the SLA policy)', async () => {
    const praise = await register();
    expect(await push('amendCase', { caseId: praise.id, changes: { contactType: 'praise' } })).toMatchObject({ status: 'applied' });
    const complaint = await register();
    for (const c of [praise, complaint]) {
      const rev = (await current(c.id)).rev;
      expect(await push('dispatchCase', { caseId: c.id, expectedRev: rev, unitId: STREET_UNIT, note: '' })).toMatchObject({ status: 'applied' });
      await unitStep(c.id, { action: 'accept' });
      await unitStep(c.id, { action: 'reply', outcome: 'resolved', text: '已转达表扬', contactedAt: null });
    }
    const p = await current(praise.id);
    expect(await push('closeCase', { caseId: praise.id, expectedRev: p.rev })).toMatchObject({ status: 'applied' });
    expect((await current(praise.id)).status).toBe('closed');
    const k = await current(complaint.id);
    expect(await push('closeCase', { caseId: complaint.id, expectedRev: k.rev })).toMatchObject({
      status: 'rejected',
      reason: { code: 'invalid_step', message: 'a complaint is called back and evaluated before it closes' },
    });
    expect((await current(complaint.id)).status).toBe('replied');
  });

  it('registration records the SLA class, where the address is, and the first timeline event', async () => {
    const c = await register();
    expect(c).toMatchObject({ status: 'registered', slaClass: 'general', districtCode: '110105', rev: 1 });
    expect(c.streetCode).toBe(ref.locate('朝阳区建外街道建国路 88 号').streetCode);
    expect(c.timeline).toEqual([expect.objectContaining({ kind: 'registered', actor: op.sub, actorKind: 'staff', station: STATION })]);
  });

  it('dispatch: the unit, deadlines from the SLA policy, an event, and the team sees it', async () => {
    const c = await register('utility.heating');
    const before = Date.now();
    expect(await push('dispatchCase', { caseId: c.id, expectedRev: 1, unitId: 'company.heating', note: '供暖' })).toMatchObject({ status: 'applied' });
    const d = await current(c.id);
    expect(d).toMatchObject({ status: 'dispatched', unitId: 'company.heating', rev: 2, dispatchCount: 1 });
    const dispatchedAt = d.dispatchedAt ?? 0;
    expect(dispatchedAt).toBeGreaterThanOrEqual(before);
    // utility class: sign within 2 h, reply within 24 h (resources/reference/sla.json).
    expect(d.signBy).toBe(dispatchedAt + 2 * 3600_000);
    expect(d.replyBy).toBe(dispatchedAt + 24 * 3600_000);
    expect(d.timeline.at(-1)).toMatchObject({ kind: 'dispatch', note: '供暖', data: { unitId: 'company.heating', from: null } });
    const events = await m.db.all<{ kind: string }>('SELECT kind FROM case_events WHERE case_id = ? ORDER BY at, kind', [c.id]);
    expect(events.map((e) => e.kind).sort()).toEqual(['dispatch', 'registered']);
    // The team's change carries the new state; the row keeps no copy of it (the pull reads cases.detail).
    const team = await changesSince(m.db, { [teamScope('team-a')]: 0 }, 1000);
    const pulled = team.changes.filter((ch) => ch.id === c.id).map((ch) => ch.data);
    expect(pulled).toEqual([expect.objectContaining({ status: 'dispatched', unitId: 'company.heating', rev: 2 })]);
    // Built from the case's row, it is the whole record, field for field.
    expect(CaseRecord.strict().parse(pulled[0])).toEqual(d);
    const row = await m.db.get<{ data: string | null; tombstone: unknown }>("SELECT data, tombstone FROM changes WHERE entity = 'case' AND entity_id = ? AND scope = ?", [c.id, teamScope('team-a')]);
    expect(row && [row.data, Number(row.tombstone)]).toEqual([null, 0]);
  });

  it('refuses with a reason: unknown unit, stale revision (with the current case), illegal step, other team, wrong role', async () => {
    const c = await register();
    expect(await push('dispatchCase', { caseId: c.id, expectedRev: 1, unitId: 'bureau.nowhere' })).toMatchObject({
      status: 'rejected',
      reason: { code: 'unknown_unit' },
    });
    expect(await push('closeCase', { caseId: c.id, expectedRev: 1 })).toMatchObject({
      status: 'rejected',
      reason: { code: 'illegal_transition', message: expect.stringContaining('cannot close a case that is registered') as string },
    });
    await push('dispatchCase', { caseId: c.id, expectedRev: 1, unitId: STREET_UNIT });
    const stale = await push('dispatchCase', { caseId: c.id, expectedRev: 1, unitId: 'bureau.housing' });
    expect(stale).toMatchObject({ status: 'rejected', reason: { code: 'conflict', current: { status: 'dispatched', rev: 2 } } });
    const other = await insertUser(m.db, { team: 'team-b', station: STATION });
    await ensureClient(m.db, clientId, op.sub, STATION);
    expect(await push('evaluateCase', { caseId: c.id, expectedRev: 2, resolved: true, satisfaction: 'satisfied' }, other)).toMatchObject({
      reason: { code: 'forbidden' },
    });
    const trainer = await insertUser(m.db, { role: 'trainer', station: STATION });
    expect(await push('reopenCase', { caseId: c.id, expectedRev: 2, reason: '再次反映' }, trainer)).toMatchObject({ reason: { code: 'forbidden' } });
    // Nothing of the refused steps took effect.
    expect(await current(c.id)).toMatchObject({ status: 'dispatched', unitId: STREET_UNIT, rev: 2 });
  });

  it('answers only categories operators may answer at intake', async () => {
    const query = await register('labor.social_insurance_query');
    expect(await push('answerCase', { caseId: query.id, expectedRev: 1, answer: '携带身份证到社保网点办理' })).toMatchObject({ status: 'applied' });
    expect(await push('closeCase', { caseId: query.id, expectedRev: 2 })).toMatchObject({ status: 'applied' });
    expect(await current(query.id)).toMatchObject({ status: 'closed', answer: '携带身份证到社保网点办理', rev: 3 });
    const noise = await register('noise.residential');
    expect(await push('answerCase', { caseId: noise.id, expectedRev: 1, answer: '已记录' })).toMatchObject({ reason: { code: 'invalid_step' } });
  });

  it('runs the whole path: dispatch → sign for → reply → callback → closed → reopened → re-dispatched', async () => {
    const c = await register();
    await push('dispatchCase', { caseId: c.id, expectedRev: 1, unitId: STREET_UNIT });
    // Only the unit signs for it; hotline staff cannot.
    const asStaff = writeTx(m.db, async (q, rec) => {
      const found = await findCase(q, c.id);
      if (!found) throw new Error('case gone');
      return takeStep(q, rec, ref, found, Step.parse({ action: 'accept' }), { at: Date.now(), actor: { kind: 'staff', id: op.sub, station: STATION } });
    });
    await expect(asStaff).rejects.toMatchObject({ code: 'wrong_actor' });
    const accepted = await unitStep(c.id, { action: 'accept' });
    expect(accepted.value).toMatchObject({ status: 'accepted', rev: 3 });
    expect(accepted.pokes.map((p) => p.scope)).toContain(teamScope('team-a'));
    await unitStep(c.id, { action: 'reply', outcome: 'resolved', text: '已责令工地停止夜间施工', contactedAt: Date.now() });
    expect(await push('evaluateCase', { caseId: c.id, expectedRev: 4, resolved: false, satisfaction: 'unsatisfied', words: '还在施工' })).toMatchObject({ status: 'applied' });
    expect(await push('closeCase', { caseId: c.id, expectedRev: 5 })).toMatchObject({ status: 'applied' });
    expect(await push('reopenCase', { caseId: c.id, expectedRev: 6, reason: '市民再次来电反映' })).toMatchObject({ status: 'applied' });
    expect(await push('dispatchCase', { caseId: c.id, expectedRev: 7, unitId: 'bureau.urban_enforcement' })).toMatchObject({ status: 'applied' });
    const done = await current(c.id);
    expect(done).toMatchObject({ status: 'dispatched', unitId: 'bureau.urban_enforcement', dispatchCount: 2, reopenCount: 1, reply: null, evaluation: null });
    expect(done.timeline.map((e) => e.kind)).toEqual(['registered', 'dispatch', 'accept', 'reply', 'evaluate', 'close', 'reopen', 'dispatch']);
    expect(done.timeline.map((e) => e.actorKind)).toEqual(['staff', 'staff', 'unit', 'unit', 'staff', 'staff', 'staff', 'staff']);
    const audit = await m.db.all<{ kind: string; actor: string; station: string | null }>('SELECT kind, actor, station FROM case_events WHERE case_id = ?', [c.id]);
    expect(audit).toHaveLength(8);
    expect(audit.filter((e) => e.kind === 'accept')).toEqual([{ kind: 'accept', actor: STREET_UNIT, station: STREET_UNIT }]);
  });

  it('returned by the unit, then re-dispatched elsewhere (not back to the same unit)', async () => {
    const c = await register();
    await push('dispatchCase', { caseId: c.id, expectedRev: 1, unitId: STREET_UNIT });
    await unitStep(c.id, { action: 'return', reason: '该地址不属于本街道' });
    expect(await current(c.id)).toMatchObject({ status: 'returned', returnReason: '该地址不属于本街道', rev: 3 });
    expect(await push('dispatchCase', { caseId: c.id, expectedRev: 3, unitId: STREET_UNIT })).toMatchObject({ reason: { code: 'invalid_step' } });
    expect(await push('dispatchCase', { caseId: c.id, expectedRev: 3, unitId: 'street.110105002' })).toMatchObject({ status: 'applied' });
  });

  it('merges a duplicate into an open case; never into a closed one, itself or a missing one', async () => {
    const first = await register();
    const dup = await register();
    expect(await push('mergeCase', { caseId: dup.id, expectedRev: 1, intoCaseId: dup.id, intoNumber: dup.number })).toMatchObject({ reason: { code: 'invalid_step' } });
    expect(await push('mergeCase', { caseId: dup.id, expectedRev: 1, intoCaseId: crypto.randomUUID(), intoNumber: 'S0001-999999' })).toMatchObject({
      reason: { code: 'not_found' },
    });
    expect(await push('mergeCase', { caseId: dup.id, expectedRev: 1, intoCaseId: first.id, intoNumber: first.number })).toMatchObject({ status: 'applied' });
    expect(await current(dup.id)).toMatchObject({ status: 'merged', mergedInto: first.id });
    const target = await current(first.id);
    expect(target).toMatchObject({ status: 'registered', rev: 2 });
    expect(target.timeline.at(-1)).toMatchObject({ kind: 'absorbed', data: { caseId: dup.id, number: dup.number } });
    const query = await register('labor.social_insurance_query');
    await push('answerCase', { caseId: query.id, expectedRev: 1, answer: '携带身份证到社保网点办理' });
    await push('closeCase', { caseId: query.id, expectedRev: 2 });
    const third = await register();
    expect(await push('mergeCase', { caseId: third.id, expectedRev: 1, intoCaseId: query.id, intoNumber: query.number })).toMatchObject({
      reason: { code: 'invalid_step', message: expect.stringContaining('closed') as string },
    });
  });

  it('a unit acts only on a case dispatched to it, and only in order', async () => {
    const c = await register();
    await expect(unitStep(c.id, { action: 'accept' })).rejects.toBeInstanceOf(StepRefused);
    await push('dispatchCase', { caseId: c.id, expectedRev: 1, unitId: STREET_UNIT });
    await expect(unitStep(c.id, { action: 'reply', outcome: 'resolved', text: '已处理' })).rejects.toMatchObject({ code: 'illegal_transition' });
  });
});
