import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPullPage, rebaseCases } from '../../../src/main/core/sync/rebase';
import { localMutators } from '../../../src/main/core/sync/local-mutators';
import { addToOutbox, countUnconfirmed, markPushed, removeFromOutbox, unconfirmed } from '../../../src/main/core/store/outbox';
import { getCaseView, listCases } from '../../../src/main/core/store/cases';
import { getConfirmed } from '../../../src/main/core/store/confirmed';
import { getCursor } from '../../../src/main/core/store/meta';
import { categoryExists, listCategories } from '../../../src/main/core/store/reference';
import { nextMutationSeq, upsertAccount } from '../../../src/main/core/store/accounts';
import type { Change } from '../../../src/shared/sync/protocol';
import type { CaseRecord } from '../../../src/shared/domain/case';
import type { MutationArgsOf } from '../../../src/shared/sync/mutations';
import { tempLocalDb, type TempLocalDb } from '../../helpers/local-db';
import { caseRecord, createCaseArgs } from '../../helpers/fixtures';

const STATION = 'S0001';
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

/** What the core does on cases.create: outbox row and optimistic effect in one transaction. */
function createLocally(n: number): { seq: number; args: MutationArgsOf<'createCase'> } {
  const args = createCaseArgs(STATION, n);
  const seq = t.db.transaction(() => {
    const s = nextMutationSeq(t.db, actor.clientId);
    addToOutbox(t.db, { clientId: actor.clientId, seq: s, id: crypto.randomUUID(), name: 'createCase', args, at: Date.now() });
    localMutators.createCase(t.db, actor, args);
    return s;
  })();
  return { seq, args };
}

/** The server's record of a case this workstation created (the server sets updatedAt). */
function serverRecordOf(args: MutationArgsOf<'createCase'>, patch: Partial<CaseRecord> = {}): CaseRecord {
  const { id, number, createdAt, callerPhone, callerName, categoryCode, address, description } = args;
  return {
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
    ...patch,
  };
}

const caseChange = (version: number, record: CaseRecord | null, id = record?.id ?? ''): Change => ({ version, entity: 'case', id, data: record });

describe('applyPullPage', () => {
  it('confirmed state replaces the old, and a removal deletes it', () => {
    const theirs = caseRecord({ createdBy: 'user-2' });
    const r1 = applyPullPage(t.db, actor, { changes: [caseChange(1, theirs)], cursor: 1, lastSeq: 0 });
    expect(r1.changedCaseIds).toEqual([theirs.id]);
    expect(getCaseView(t.db, theirs.id)).toEqual({ ...theirs, pending: false });
    expect(getCursor(t.db)).toBe(1);

    const updated = { ...theirs, status: 'dispatched' as const, address: '海淀区中关村大街 2 号', updatedAt: theirs.updatedAt + 60_000 };
    applyPullPage(t.db, actor, { changes: [caseChange(5, updated)], cursor: 5, lastSeq: 0 });
    expect(getCaseView(t.db, theirs.id)).toEqual({ ...updated, pending: false });
    expect(getConfirmed(t.db, 'case', theirs.id)).toEqual(updated);

    applyPullPage(t.db, actor, { changes: [caseChange(6, null, theirs.id)], cursor: 6, lastSeq: 0 });
    expect(getCaseView(t.db, theirs.id)).toBeUndefined();
    expect(getConfirmed(t.db, 'case', theirs.id)).toBeUndefined();
    expect(getCursor(t.db)).toBe(6);
  });

  it('applies reference categories and their removal', () => {
    const heating = { code: 'utility.heating', parent: 'utility', nameZh: '供暖', nameEn: 'Heating', slaClass: 'utility' as const, directAnswer: false };
    applyPullPage(t.db, actor, { changes: [{ version: 1, entity: 'category', id: heating.code, data: heating }], cursor: 1, lastSeq: 0 });
    expect(listCategories(t.db)).toEqual([heating]);
    applyPullPage(t.db, actor, { changes: [{ version: 2, entity: 'category', id: heating.code, data: null }], cursor: 2, lastSeq: 0 });
    expect(categoryExists(t.db, heating.code)).toBe(false);
  });

  it('an acknowledged mutation leaves the outbox once its seq is confirmed, and the server version wins', () => {
    const { seq, args } = createLocally(1);
    expect(getCaseView(t.db, args.id)?.pending).toBe(true);
    markPushed(t.db, actor.clientId, seq);
    const confirmed = serverRecordOf(args);
    const result = applyPullPage(t.db, actor, { changes: [caseChange(10, confirmed)], cursor: 10, lastSeq: seq });
    expect(result.confirmedMutations.map((m) => m.seq)).toEqual([seq]);
    expect(result.changedCaseIds).toEqual([args.id]);
    expect(countUnconfirmed(t.db, actor.clientId)).toBe(0);
    expect(getCaseView(t.db, args.id)).toEqual({ ...confirmed, pending: false });
  });

  it('a page that does not yet cover a pushed mutation keeps it pending on top', () => {
    const { seq, args } = createLocally(1);
    markPushed(t.db, actor.clientId, seq);
    applyPullPage(t.db, actor, { changes: [caseChange(3, caseRecord())], cursor: 3, lastSeq: seq - 1 });
    expect(countUnconfirmed(t.db, actor.clientId)).toBe(1);
    expect(getCaseView(t.db, args.id)).toMatchObject({ number: args.number, pending: true });
  });

  it('a mutation still marked pending stays even when lastSeq covers it (its acknowledgement was lost)', () => {
    const { seq, args } = createLocally(1);
    applyPullPage(t.db, actor, { changes: [caseChange(4, serverRecordOf(args))], cursor: 4, lastSeq: seq });
    expect(unconfirmed(t.db, actor.clientId).map((m) => [m.seq, m.state])).toEqual([[seq, 'pending']]);
    // The view shows the local effect over the confirmed row until the resend is acknowledged.
    expect(getCaseView(t.db, args.id)?.pending).toBe(true);
    expect(getConfirmed(t.db, 'case', args.id)).toBeDefined();
  });

  it('view = confirmed + pending: confirmed cases, confirmed own case, and the pending one on top', () => {
    const theirs = caseRecord({ createdBy: 'user-2', createdAt: 1 });
    const first = createLocally(1);
    const second = createLocally(2);
    markPushed(t.db, actor.clientId, first.seq);
    const result = applyPullPage(t.db, actor, {
      changes: [caseChange(7, theirs), caseChange(8, serverRecordOf(first.args))],
      cursor: 8,
      lastSeq: first.seq,
    });
    expect(new Set(result.changedCaseIds)).toEqual(new Set([theirs.id, first.args.id]));
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
    const bad: Change = { version: 12, entity: 'case', id: 'broken', data: { id: 'broken', number: 'nonsense' } };
    expect(() => applyPullPage(t.db, actor, { changes: [caseChange(11, good), bad], cursor: 12, lastSeq: seq })).toThrow();
    expect(getCaseView(t.db, good.id)).toBeUndefined();
    expect(getCursor(t.db)).toBe(0);
    expect(countUnconfirmed(t.db, actor.clientId)).toBe(1);
    expect(getCaseView(t.db, args.id)?.pending).toBe(true);
  });

  it('advances the cursor even for an empty page', () => {
    applyPullPage(t.db, actor, { changes: [], cursor: 17, lastSeq: 0 });
    expect(getCursor(t.db)).toBe(17);
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
    applyPullPage(t.db, actor, { changes: [caseChange(2, confirmed)], cursor: 2, lastSeq: 0 });
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
