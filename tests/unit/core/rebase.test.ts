import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPoke, applyPullPage, rebaseCases } from '../../../src/main/core/sync/rebase';
import { LOCAL_MUTATORS as localMutators } from '../../../src/main/core/entities';
import { addToOutbox, countUnconfirmed, markPushed, removeFromOutbox, unconfirmed, unconfirmedTouching } from '../../../src/main/core/store/outbox';
import { getCaseView, listCases } from '../../../src/main/core/features/cases/store';
import { getConfirmed, getCursors } from '../../../src/main/core/store/confirmed';
import { categoryExists, listCategories } from '../../../src/main/core/features/reference/categories-store';
import { getUser } from '../../../src/main/core/features/reference/users-store';
import { nextMutationSeq, upsertAccount } from '../../../src/main/core/store/accounts';
import type { Change, Cursors, Poke } from '../../../src/shared/sync/protocol';
import { freshLifecycle, type CaseRecord } from '../../../src/shared/domain/case';
import type { UserInfo } from '../../../src/shared/domain/user';
import type { MutationArgsOf, MutationName } from '../../../src/shared/sync/mutations';
import { entityKey } from '../../../src/shared/sync/entities';
import { tempLocalDb, type TempLocalDb } from '../../helpers/local-db';
import { caseRecord, createCaseArgs } from '../../helpers/fixtures';

const STATION = 'S0001';
const TEAM = 'team:team-a';
const MINE = 'user:user-1';
let t: TempLocalDb;
let actor: { userId: string; team: string; station: string; clientId: string };

beforeEach(() => {
  t = tempLocalDb();
  const account = upsertAccount(t.db, { id: 'user-1', username: 'op1', displayName: '王芳', role: 'operator', team: 'team-a' });
  actor = { userId: account.id, team: account.team, station: STATION, clientId: account.clientId };
});
afterEach(() => {
  t.close();
});

/** What the core does for a mutation: outbox row and optimistic effect in one transaction. */
function enqueue<N extends MutationName>(name: N, args: MutationArgsOf<N>): number {
  return t.db.transaction(() => {
    const s = nextMutationSeq(t.db, actor.clientId);
    const at = Date.now();
    addToOutbox(t.db, { clientId: actor.clientId, seq: s, id: crypto.randomUUID(), name, args, at });
    localMutators[name](t.db, actor, args, at);
    return s;
  })();
}

function createLocally(n: number): { seq: number; args: MutationArgsOf<'createCase'> } {
  const args = createCaseArgs(STATION, n);
  return { seq: enqueue('createCase', args), args };
}

/** The server's record of a case this workstation created (the server sets updatedAt). */
function serverRecordOf(args: MutationArgsOf<'createCase'>, patch: Partial<CaseRecord> = {}): CaseRecord {
  const { id, number, createdAt, callerPhone, callerName, categoryCode, address, description } = args;
  return {
    ...freshLifecycle(),
    id,
    number,
    createdAt,
    callerPhone,
    callerName,
    categoryCode,
    address,
    description,
    status: 'registered',
    channel: 'phone',
    createdBy: actor.userId,
    team: actor.team,
    station: STATION,
    updatedAt: createdAt + 777,
    assignee: actor.userId,
    rev: 1,
    ...patch,
  };
}

const caseChange = (version: number, record: CaseRecord | null, scope = TEAM, id = record?.id ?? ''): Change => ({
  version,
  scope,
  entity: 'case',
  id,
  data: record,
});

/** A non-reset pull page whose cursors (all granted scopes) end at its last change. */
function page(changes: Change[], lastSeq = 0, cursors?: Cursors) {
  const end = Math.max(0, ...changes.map((c) => c.version));
  return { reset: false, changes, cursors: cursors ?? { ref: end, [TEAM]: end, [MINE]: end }, lastSeq };
}

describe('applyPullPage', () => {
  it('confirmed state replaces the old, and a removal deletes it', () => {
    const theirs = caseRecord({ createdBy: 'user-2' });
    const r1 = applyPullPage(t.db, actor, page([caseChange(1, theirs)]));
    expect(r1.changed.case).toEqual([theirs.id]);
    expect(getCaseView(t.db, theirs.id)).toEqual({ ...theirs, pending: false });
    expect(getCursors(t.db)).toEqual({ ref: 1, [TEAM]: 1, [MINE]: 1 });

    const updated = { ...theirs, status: 'dispatched' as const, address: '海淀区中关村大街 2 号', updatedAt: theirs.updatedAt + 60_000, rev: 2 };
    applyPullPage(t.db, actor, page([caseChange(5, updated)]));
    expect(getCaseView(t.db, theirs.id)).toEqual({ ...updated, pending: false });
    expect(getConfirmed(t.db, 'case', theirs.id)).toEqual(updated);

    applyPullPage(t.db, actor, page([caseChange(6, null, TEAM, theirs.id)]));
    expect(getCaseView(t.db, theirs.id)).toBeUndefined();
    expect(getConfirmed(t.db, 'case', theirs.id)).toBeUndefined();
    expect(getCursors(t.db)).toEqual({ ref: 6, [TEAM]: 6, [MINE]: 6 });
  });

  it('applies reference categories and their removal', () => {
    const heating = { code: 'utility.heating', parent: 'utility', nameZh: '供暖', nameEn: 'Heating', slaClass: 'utility' as const, directAnswer: false, intakeQuestions: [] };
    applyPullPage(t.db, actor, page([{ version: 1, scope: 'ref', entity: 'category', id: heating.code, data: heating }]));
    expect(listCategories(t.db)).toEqual([heating]);
    applyPullPage(t.db, actor, page([{ version: 2, scope: 'ref', entity: 'category', id: heating.code, data: null }]));
    expect(categoryExists(t.db, heating.code)).toBe(false);
  });

  it('applies the user directory and its removals', () => {
    const lead: UserInfo = { id: 'lead-1', username: 'lead1', displayName: '刘洋', role: 'lead', team: 'team-a' };
    applyPullPage(t.db, actor, page([{ version: 1, scope: 'ref', entity: 'user', id: lead.id, data: lead }]));
    expect(getUser(t.db, lead.id)).toEqual(lead);
    applyPullPage(t.db, actor, page([{ version: 2, scope: 'ref', entity: 'user', id: lead.id, data: { ...lead, displayName: '刘洋洋' } }]));
    expect(getUser(t.db, lead.id)?.displayName).toBe('刘洋洋');
    applyPullPage(t.db, actor, page([{ version: 3, scope: 'ref', entity: 'user', id: lead.id, data: null }]));
    expect(getUser(t.db, lead.id)).toBeUndefined();
  });

  it('an acknowledged mutation leaves the outbox once its seq is confirmed, and the server version wins', () => {
    const { seq, args } = createLocally(1);
    expect(getCaseView(t.db, args.id)?.pending).toBe(true);
    markPushed(t.db, actor.clientId, seq);
    const confirmed = serverRecordOf(args);
    const result = applyPullPage(t.db, actor, page([caseChange(10, confirmed)], seq));
    expect(result.confirmedMutations.map((m) => m.seq)).toEqual([seq]);
    expect(result.changed.case).toEqual([args.id]);
    expect(countUnconfirmed(t.db, actor.clientId)).toBe(0);
    expect(getCaseView(t.db, args.id)).toEqual({ ...confirmed, pending: false });
  });

  it('a page that does not yet cover a pushed mutation keeps it pending on top', () => {
    const { seq, args } = createLocally(1);
    markPushed(t.db, actor.clientId, seq);
    applyPullPage(t.db, actor, page([caseChange(3, caseRecord())], seq - 1));
    expect(countUnconfirmed(t.db, actor.clientId)).toBe(1);
    expect(getCaseView(t.db, args.id)).toMatchObject({ number: args.number, pending: true });
  });

  it('a mutation still marked pending stays even when lastSeq covers it (its acknowledgement was lost)', () => {
    const { seq, args } = createLocally(1);
    applyPullPage(t.db, actor, page([caseChange(4, serverRecordOf(args))], seq));
    expect(unconfirmed(t.db, actor.clientId).map((m) => [m.seq, m.state])).toEqual([[seq, 'pending']]);
    // The view shows the local effect over the confirmed row until the resend is acknowledged.
    expect(getCaseView(t.db, args.id)?.pending).toBe(true);
    expect(getConfirmed(t.db, 'case', args.id)).toBeDefined();
  });

  it('acknowledged mutations leave only with the last page of a pull, so no case of theirs vanishes in between', () => {
    const first = createLocally(1);
    const second = createLocally(2);
    markPushed(t.db, actor.clientId, first.seq);
    markPushed(t.db, actor.clientId, second.seq);
    // lastSeq covers both, but this page holds only the first one's change: the second comes later.
    const early = applyPullPage(t.db, actor, { ...page([caseChange(5, serverRecordOf(first.args))], second.seq), more: true });
    expect(early.confirmedMutations).toEqual([]);
    expect(countUnconfirmed(t.db, actor.clientId)).toBe(2);
    expect(getCaseView(t.db, second.args.id)).toMatchObject({ number: second.args.number, pending: true });
    expect(getCaseView(t.db, first.args.id)).toMatchObject({ number: first.args.number, pending: true });
    const last = applyPullPage(t.db, actor, { ...page([caseChange(6, serverRecordOf(second.args))], second.seq), more: false });
    expect(last.confirmedMutations.map((m) => m.seq)).toEqual([first.seq, second.seq]);
    expect(new Set(last.changed.case)).toEqual(new Set([first.args.id, second.args.id]));
    expect(countUnconfirmed(t.db, actor.clientId)).toBe(0);
    expect(getCaseView(t.db, first.args.id)).toEqual({ ...serverRecordOf(first.args), pending: false });
    expect(getCaseView(t.db, second.args.id)).toEqual({ ...serverRecordOf(second.args), pending: false });
  });

  it('view = confirmed + pending: confirmed cases, confirmed own case, and the pending one on top', () => {
    const theirs = caseRecord({ createdBy: 'user-2', createdAt: 1 });
    const first = createLocally(1);
    const second = createLocally(2);
    markPushed(t.db, actor.clientId, first.seq);
    const result = applyPullPage(t.db, actor, page([caseChange(7, theirs), caseChange(8, serverRecordOf(first.args))], first.seq));
    expect(new Set(result.changed.case)).toEqual(new Set([theirs.id, first.args.id]));
    expect(unconfirmed(t.db, actor.clientId).map((m) => m.seq)).toEqual([second.seq]);
    const view = listCases(t.db, { team: 'team-a', limit: 10 });
    expect(view.map((c) => [c.id, c.pending])).toEqual([
      [second.args.id, true],
      [first.args.id, false],
      [theirs.id, false],
    ]);
    expect(getCaseView(t.db, first.args.id)?.updatedAt).toBe(first.args.createdAt + 777);
  });

  it('applies a page in one transaction: a malformed change leaves everything as it was', () => {
    const { seq, args } = createLocally(1);
    markPushed(t.db, actor.clientId, seq);
    const good = caseRecord();
    const bad: Change = { version: 12, scope: TEAM, entity: 'case', id: 'broken', data: { id: 'broken', number: 'nonsense' } };
    expect(() => applyPullPage(t.db, actor, page([caseChange(11, good), bad], seq))).toThrow();
    expect(getCaseView(t.db, good.id)).toBeUndefined();
    expect(getCursors(t.db)).toEqual({});
    expect(countUnconfirmed(t.db, actor.clientId)).toBe(1);
    expect(getCaseView(t.db, args.id)?.pending).toBe(true);
  });

  it('advances the cursors even for an empty page, and never moves one back', () => {
    applyPullPage(t.db, actor, page([], 0, { ref: 17, [TEAM]: 17 }));
    expect(getCursors(t.db)).toEqual({ ref: 17, [TEAM]: 17 });
    applyPullPage(t.db, actor, page([], 0, { ref: 12, [TEAM]: 20 }));
    expect(getCursors(t.db)).toEqual({ ref: 17, [TEAM]: 20 });
  });

  it('a case held in several scopes shows its newest state, and goes only when every scope let it go', () => {
    const mine = caseRecord({ createdBy: 'user-2', assignee: actor.userId });
    applyPullPage(t.db, actor, page([caseChange(3, mine, TEAM), caseChange(4, mine, MINE)]));
    expect(listCases(t.db, { mine: actor.userId, limit: 10 }).map((c) => c.id)).toEqual([mine.id]);

    // Reassigned away: new state in the team scope, a tombstone in ours.
    const away = { ...mine, assignee: 'user-3', rev: 2 };
    applyPullPage(t.db, actor, page([caseChange(5, away, TEAM), caseChange(7, null, MINE, mine.id)]));
    expect(getCaseView(t.db, mine.id)).toEqual({ ...away, pending: false });
    expect(listCases(t.db, { mine: actor.userId, limit: 10 })).toEqual([]);
    expect(listCases(t.db, { team: 'team-a', limit: 10 }).map((c) => c.id)).toEqual([mine.id]);

    // Gone from the team too (it left every scope we hold): gone from the view.
    applyPullPage(t.db, actor, page([caseChange(9, null, TEAM, mine.id)]));
    expect(getCaseView(t.db, mine.id)).toBeUndefined();
    expect(getConfirmed(t.db, 'case', mine.id)).toBeUndefined();
  });

  it('an older change of a scope never replaces a newer one', () => {
    const theirs = caseRecord({ createdBy: 'user-2' });
    const newer = { ...theirs, assignee: 'user-3', rev: 2 };
    applyPullPage(t.db, actor, page([caseChange(8, newer)]));
    applyPullPage(t.db, actor, page([caseChange(6, theirs)]));
    expect(getCaseView(t.db, theirs.id)).toMatchObject({ assignee: 'user-3', rev: 2 });
    // Nor does an older tombstone delete it.
    applyPullPage(t.db, actor, page([caseChange(7, null, TEAM, theirs.id)]));
    expect(getCaseView(t.db, theirs.id)).toMatchObject({ rev: 2 });
  });

  it('a reset page drops everything pulled before, replaces the cursors, and keeps pending mutations on top', () => {
    const old = caseRecord({ createdBy: 'user-2' });
    const lead: UserInfo = { id: 'lead-1', username: 'lead1', displayName: '刘洋', role: 'lead', team: 'team-a' };
    const heating = { code: 'utility.heating', parent: null, nameZh: '供暖', nameEn: 'Heating', slaClass: 'utility' as const, directAnswer: false, intakeQuestions: [] };
    const before: Change[] = [
      caseChange(40, old),
      { version: 41, scope: 'ref', entity: 'user', id: lead.id, data: lead },
      { version: 42, scope: 'ref', entity: 'category', id: heating.code, data: heating },
    ];
    applyPullPage(t.db, actor, page(before, 0, { ref: 42, [TEAM]: 42, 'team:old': 42 }));
    const pending = createLocally(1);
    expect(getCaseView(t.db, old.id)).toBeDefined();

    const fresh = caseRecord({ createdBy: 'user-2', number: 'S0009-000002' });
    const res = applyPullPage(t.db, actor, { reset: true, changes: [caseChange(2, fresh)], cursors: { ref: 2, [TEAM]: 2, [MINE]: 2 }, lastSeq: 0 });
    expect(getCaseView(t.db, old.id)).toBeUndefined();
    expect(getConfirmed(t.db, 'case', old.id)).toBeUndefined();
    expect(getUser(t.db, lead.id)).toBeUndefined();
    expect(listCategories(t.db)).toEqual([]);
    // Cursors start over from the page: lower than before, and the scope no longer granted is gone.
    expect(getCursors(t.db)).toEqual({ ref: 2, [TEAM]: 2, [MINE]: 2 });
    expect(getCaseView(t.db, fresh.id)).toEqual({ ...fresh, pending: false });
    expect(getCaseView(t.db, pending.args.id)).toMatchObject({ pending: true });
    expect(new Set(res.changed.case)).toEqual(new Set([fresh.id, pending.args.id]));
    expect(countUnconfirmed(t.db, actor.clientId)).toBe(1);
  });
});

describe('applyPoke', () => {
  const poke = (scope: string, prev: number, version: number, changes?: Change[]): Poke => ({ scope, prev, version, ...(changes ? { changes } : {}) });

  it('applies inline changes when the cursor is at prev, and moves only that scope’s cursor', () => {
    applyPullPage(t.db, actor, page([], 0, { ref: 10, [TEAM]: 10, [MINE]: 10 }));
    const theirs = caseRecord({ createdBy: 'user-2' });
    const res = applyPoke(t.db, actor, poke(TEAM, 10, 11, [caseChange(11, theirs)]));
    expect(res).toEqual({ applied: true, changed: { case: [theirs.id] } });
    expect(getCaseView(t.db, theirs.id)).toEqual({ ...theirs, pending: false });
    expect(getCursors(t.db)).toEqual({ ref: 10, [TEAM]: 11, [MINE]: 10 });
  });

  it('applies when the cursor is past prev but not yet at the poke’s version', () => {
    applyPullPage(t.db, actor, page([], 0, { [TEAM]: 12 }));
    const a = caseRecord({ createdBy: 'user-2' });
    const b = caseRecord({ createdBy: 'user-2', number: 'S0009-000002' });
    const res = applyPoke(t.db, actor, poke(TEAM, 10, 14, [caseChange(11, a), caseChange(14, b)]));
    expect(res.applied).toBe(true);
    expect(getCaseView(t.db, b.id)).toBeDefined();
    expect(getCursors(t.db)[TEAM]).toBe(14);
  });

  it('refuses and asks for a pull when the cursor is behind prev (a change in between is missing)', () => {
    applyPullPage(t.db, actor, page([], 0, { [TEAM]: 9 }));
    const theirs = caseRecord({ createdBy: 'user-2' });
    expect(applyPoke(t.db, actor, poke(TEAM, 10, 11, [caseChange(11, theirs)]))).toEqual({ applied: false, needPull: true });
    expect(getCaseView(t.db, theirs.id)).toBeUndefined();
    expect(getConfirmed(t.db, 'case', theirs.id)).toBeUndefined();
    expect(getCursors(t.db)).toEqual({ [TEAM]: 9 });
  });

  it('ignores a stale poke: the cursor is already at or past its version', () => {
    const current = caseRecord({ createdBy: 'user-2', assignee: 'user-3', rev: 2 });
    applyPullPage(t.db, actor, page([caseChange(11, current)], 0, { [TEAM]: 11 }));
    const older = { ...current, assignee: 'user-2', rev: 1 };
    expect(applyPoke(t.db, actor, poke(TEAM, 9, 11, [caseChange(11, older)]))).toEqual({ applied: false, needPull: false });
    expect(applyPoke(t.db, actor, poke(TEAM, 5, 8, [caseChange(8, older)]))).toEqual({ applied: false, needPull: false });
    expect(getCaseView(t.db, current.id)).toMatchObject({ assignee: 'user-3', rev: 2 });
    expect(getCursors(t.db)).toEqual({ [TEAM]: 11 });
  });

  it('asks for a pull for a scope it has no cursor for, or when the changes were too big to ride along', () => {
    expect(applyPoke(t.db, actor, poke(TEAM, 0, 1, [caseChange(1, caseRecord())]))).toEqual({ applied: false, needPull: true });
    applyPullPage(t.db, actor, page([], 0, { [TEAM]: 5 }));
    expect(applyPoke(t.db, actor, poke(TEAM, 5, 6))).toEqual({ applied: false, needPull: true });
    expect(getCursors(t.db)).toEqual({ [TEAM]: 5 });
  });

  it('keeps pending mutations on top of what a poke confirms', () => {
    const { seq, args } = createLocally(1);
    markPushed(t.db, actor.clientId, seq);
    applyPullPage(t.db, actor, page([], 0, { [TEAM]: 3, [MINE]: 3 }));
    // Our own case comes back in a poke before the pull that would confirm our seq.
    const res = applyPoke(t.db, actor, poke(TEAM, 3, 4, [caseChange(4, serverRecordOf(args))]));
    expect(res).toEqual({ applied: true, changed: { case: [args.id] } });
    expect(countUnconfirmed(t.db, actor.clientId)).toBe(1);
    expect(getCaseView(t.db, args.id)?.pending).toBe(true);
    expect(getConfirmed(t.db, 'case', args.id)).toEqual(serverRecordOf(args));
  });

  it('a tombstone poke for our scope leaves the case to the team scope that still holds it', () => {
    const held = caseRecord({ createdBy: 'user-2', assignee: actor.userId });
    applyPullPage(t.db, actor, page([caseChange(1, held, TEAM), caseChange(2, held, MINE)]));
    const away = { ...held, assignee: 'user-3', rev: 2 };
    expect(applyPoke(t.db, actor, poke(TEAM, 2, 3, [caseChange(3, away, TEAM)])).applied).toBe(true);
    expect(applyPoke(t.db, actor, poke(MINE, 2, 4, [caseChange(4, null, MINE, held.id)])).applied).toBe(true);
    expect(getCaseView(t.db, held.id)).toEqual({ ...away, pending: false });
    expect(listCases(t.db, { mine: actor.userId, limit: 10 })).toEqual([]);
  });

  it('applies a poke in one transaction: a malformed change changes nothing', () => {
    applyPullPage(t.db, actor, page([], 0, { [TEAM]: 3 }));
    const good = caseRecord();
    const bad: Change = { version: 5, scope: TEAM, entity: 'case', id: 'broken', data: { id: 'broken' } };
    expect(() => applyPoke(t.db, actor, poke(TEAM, 3, 5, [caseChange(4, good), bad]))).toThrow();
    expect(getCaseView(t.db, good.id)).toBeUndefined();
    expect(getCursors(t.db)).toEqual({ [TEAM]: 3 });
  });
});

describe('rebaseCases (rollback of a rejected mutation)', () => {
  it('a rejected create disappears from the view; the other pending case stays', () => {
    const rejected = createLocally(1);
    const kept = createLocally(2);
    removeFromOutbox(t.db, actor.clientId, rejected.seq);
    rebaseCases(t.db, actor, [rejected.args.id]);
    expect(getCaseView(t.db, rejected.args.id)).toBeUndefined();
    expect(getCaseView(t.db, kept.args.id)?.pending).toBe(true);
  });

  it('a case with confirmed state returns to it when its pending mutation is dropped', () => {
    const { seq, args } = createLocally(1);
    // The server confirmed the case from an earlier identical mutation; the view shows ours on top.
    const confirmed = serverRecordOf(args, { status: 'dispatched' });
    applyPullPage(t.db, actor, page([caseChange(2, confirmed)]));
    expect(getCaseView(t.db, args.id)).toMatchObject({ status: 'registered', pending: true });
    removeFromOutbox(t.db, actor.clientId, seq);
    rebaseCases(t.db, actor, [args.id]);
    expect(getCaseView(t.db, args.id)).toEqual({ ...confirmed, pending: false });
  });

  it('recomputes only the cases it is given', () => {
    const a = createLocally(1);
    const b = createLocally(2);
    removeFromOutbox(t.db, actor.clientId, a.seq);
    removeFromOutbox(t.db, actor.clientId, b.seq);
    rebaseCases(t.db, actor, [a.args.id]);
    expect(getCaseView(t.db, a.args.id)).toBeUndefined();
    expect(getCaseView(t.db, b.args.id)).toBeDefined();
    rebaseCases(t.db, actor, []);
    expect(getCaseView(t.db, b.args.id)).toBeDefined();
  });
});

describe('unconfirmedTouching (what a rebase re-applies)', () => {
  it('finds exactly the mutations of the given cases, in seq order, among many', () => {
    const made = Array.from({ length: 300 }, (_, i) => createLocally(i + 1));
    const target = made[120] as (typeof made)[number];
    const reassign = enqueue('reassignCase', { caseId: target.args.id, toUserId: 'user-3', expectedRev: 1 });
    const wanted = new Set([target.args.id, (made[7] as (typeof made)[number]).args.id].map((id) => entityKey('case', id)));
    expect(unconfirmedTouching(t.db, actor.clientId, wanted).map((m) => m.seq)).toEqual([made[7]?.seq, target.seq, reassign]);
    expect(unconfirmedTouching(t.db, actor.clientId, new Set([entityKey('case', 'no-such-case')]))).toEqual([]);
    // The key names the entity kind too: a case id alone matches nothing.
    expect(unconfirmedTouching(t.db, actor.clientId, new Set([target.args.id]))).toEqual([]);
    expect(unconfirmedTouching(t.db, actor.clientId, new Set())).toEqual([]);
  });

  it('still finds a mutation whose removal was rolled back, and forgets one removed for good', () => {
    const a = createLocally(1);
    const b = createLocally(2);
    const ids = new Set([a.args.id, b.args.id].map((id) => entityKey('case', id)));
    expect(unconfirmedTouching(t.db, actor.clientId, ids)).toHaveLength(2);
    expect(() =>
      t.db.transaction(() => {
        removeFromOutbox(t.db, actor.clientId, a.seq);
        expect(unconfirmedTouching(t.db, actor.clientId, ids).map((m) => m.seq)).toEqual([b.seq]);
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    expect(unconfirmedTouching(t.db, actor.clientId, ids).map((m) => m.seq)).toEqual([a.seq, b.seq]);
    removeFromOutbox(t.db, actor.clientId, a.seq);
    expect(unconfirmedTouching(t.db, actor.clientId, ids).map((m) => m.seq)).toEqual([b.seq]);
  });

  it('rebasing one case of a long outbox re-applies only its own mutation on top of the confirmed state', () => {
    const made = Array.from({ length: 200 }, (_, i) => createLocally(i + 1));
    const one = made[50] as (typeof made)[number];
    for (const m of made) markPushed(t.db, actor.clientId, m.seq);
    const res = applyPullPage(t.db, actor, page([caseChange(3, serverRecordOf(one.args))], 0));
    expect(res.changed.case).toEqual([one.args.id]);
    expect(getCaseView(t.db, one.args.id)).toMatchObject({ number: one.args.number, pending: true, updatedAt: one.args.createdAt });
    expect(listCases(t.db, { team: 'team-a', limit: 1000 })).toHaveLength(200);
  });
});

describe('a pending reassignment', () => {
  const theirs = caseRecord({ createdBy: 'user-2' });
  /** The timeline entry the optimistic effect adds (the time is the mutation's). */
  const reassignedEvent = (from: string) => ({
    at: expect.any(Number) as number,
    kind: 'reassigned',
    actor: actor.userId,
    actorKind: 'staff',
    station: actor.station,
    note: null,
    data: { from, to: 'user-3' },
  });
  beforeEach(() => {
    applyPullPage(t.db, actor, page([caseChange(1, theirs)]));
  });

  it('shows the new holder and the next revision at once, pending, over unchanged confirmed state', () => {
    enqueue('reassignCase', { caseId: theirs.id, toUserId: 'user-3', expectedRev: 1 });
    // As the server will record it: the new holder, the next revision, the moment of the change.
    expect(getCaseView(t.db, theirs.id)).toEqual({ ...theirs, assignee: 'user-3', rev: 2, updatedAt: expect.any(Number) as number, pending: true, timeline: [reassignedEvent('user-2')] });
    expect(getConfirmed(t.db, 'case', theirs.id)).toEqual(theirs);
    expect(listCases(t.db, { mine: 'user-3', limit: 10 }).map((c) => c.id)).toEqual([theirs.id]);
  });

  it('stays on top when the server moves the case on meanwhile, and goes when it is rejected', () => {
    const seq = enqueue('reassignCase', { caseId: theirs.id, toUserId: 'user-3', expectedRev: 1 });
    const moved = { ...theirs, assignee: 'user-4', rev: 2 };
    applyPullPage(t.db, actor, page([caseChange(2, moved)]));
    expect(getCaseView(t.db, theirs.id)).toEqual({ ...moved, assignee: 'user-3', rev: 3, updatedAt: expect.any(Number) as number, pending: true, timeline: [reassignedEvent('user-4')] });
    // The server refused it (conflict): the view returns to the server's state.
    removeFromOutbox(t.db, actor.clientId, seq);
    rebaseCases(t.db, actor, [theirs.id]);
    expect(getCaseView(t.db, theirs.id)).toEqual({ ...moved, pending: false });
  });

  it('leaves the outbox once confirmed, and the view is the server’s state', () => {
    const seq = enqueue('reassignCase', { caseId: theirs.id, toUserId: 'user-3', expectedRev: 1 });
    markPushed(t.db, actor.clientId, seq);
    const done = { ...theirs, assignee: 'user-3', rev: 2, updatedAt: theirs.updatedAt + 1 };
    applyPullPage(t.db, actor, page([caseChange(3, done)], seq));
    expect(countUnconfirmed(t.db, actor.clientId)).toBe(0);
    expect(getCaseView(t.db, theirs.id)).toEqual({ ...done, pending: false });
  });

  it('of a case not on this workstation changes nothing here', () => {
    const other = crypto.randomUUID();
    enqueue('reassignCase', { caseId: other, toUserId: 'user-3', expectedRev: 1 });
    expect(getCaseView(t.db, other)).toBeUndefined();
    expect(countUnconfirmed(t.db, actor.clientId)).toBe(1);
  });
});
