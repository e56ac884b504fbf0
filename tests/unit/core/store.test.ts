import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalDb } from '../../../src/main/core/store/db';
import {
  addToOutbox,
  countUnconfirmed,
  markPushed,
  pendingBatch,
  removeConfirmed,
  removeFromOutbox,
  unconfirmed,
} from '../../../src/main/core/store/outbox';
import { getMeta, nextCaseSeq, setMeta, stationKey } from '../../../src/main/core/store/meta';
import { claimCacheFor, nextMutationSeq, purgeAtLogoutFromEnv, purgeCachedCases, upsertAccount } from '../../../src/main/core/store/accounts';
import { deleteCaseView, getCaseView, listCases, putCaseView } from '../../../src/main/core/features/cases/store';
import { categoryExists, deleteCategory, listCategories, putCategory } from '../../../src/main/core/features/reference/categories-store';
import { addRejection, dismissRejection, getRejection, listRejections } from '../../../src/main/core/store/rejections';
import { advanceCursors, clearSynced, deleteConfirmed, getConfirmed, getCursors, putConfirmed } from '../../../src/main/core/store/confirmed';
import { deleteUser, getUser, putUser } from '../../../src/main/core/features/reference/users-store';
import { MAX_PUSH_BATCH, MAX_PUSH_BYTES, type Mutation } from '../../../src/shared/sync/protocol';
import type { ExtendedCategory } from '../../../src/shared/reference/categories';
import type { UserInfo } from '../../../src/shared/domain/user';
import { LOCAL_ENTITIES } from '../../../src/main/core/entities';
import { tempLocalDb, type TempLocalDb } from '../../helpers/local-db';
import { caseRecord, createCaseArgs } from '../../helpers/fixtures';

let t: TempLocalDb;
beforeEach(() => {
  t = tempLocalDb();
});
afterEach(() => {
  t.close();
});

const clientA = crypto.randomUUID();
const clientB = crypto.randomUUID();

function mutation(clientId: string, seq: number): Mutation {
  return { clientId, seq, id: crypto.randomUUID(), name: 'createCase', args: createCaseArgs('S0001', seq), at: 1_750_000_000_000 + seq };
}

const user: UserInfo = { id: 'user-1', username: 'op1', displayName: '王芳', role: 'operator', team: 'team-a' };

describe('outbox', () => {
  it('keeps mutations per client in seq order with their arguments', () => {
    const [m3, m1, m2] = [mutation(clientA, 3), mutation(clientA, 1), mutation(clientA, 2)];
    for (const m of [m3, m1, m2]) addToOutbox(t.db, m);
    addToOutbox(t.db, mutation(clientB, 1));
    const entries = unconfirmed(t.db, clientA);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0]).toEqual({ ...m1, state: 'pending' });
    expect(countUnconfirmed(t.db, clientA)).toBe(3);
    expect(countUnconfirmed(t.db, clientB)).toBe(1);
    expect(countUnconfirmed(t.db, crypto.randomUUID())).toBe(0);
  });

  it('refuses a second row with the same seq or the same mutation id', () => {
    const m = mutation(clientA, 1);
    addToOutbox(t.db, m);
    expect(() => addToOutbox(t.db, { ...m, id: crypto.randomUUID() })).toThrow();
    expect(() => addToOutbox(t.db, { ...m, seq: 2 })).toThrow();
    expect(countUnconfirmed(t.db, clientA)).toBe(1);
  });

  it('batches only pending rows, up to the limit, oldest first', () => {
    for (let seq = 1; seq <= 5; seq += 1) addToOutbox(t.db, mutation(clientA, seq));
    markPushed(t.db, clientA, 1);
    markPushed(t.db, clientA, 2);
    expect(pendingBatch(t.db, clientA, 2).map((e) => e.seq)).toEqual([3, 4]);
    expect(pendingBatch(t.db, clientA, 10).map((e) => e.seq)).toEqual([3, 4, 5]);
    // Pushed rows still count as unconfirmed until a pull confirms them.
    expect(countUnconfirmed(t.db, clientA)).toBe(5);
    expect(unconfirmed(t.db, clientA).map((e) => e.state)).toEqual(['pushed', 'pushed', 'pending', 'pending', 'pending']);
  });

  it('closes a batch at the byte budget (long Chinese descriptions count in UTF-8 bytes), but never sends an empty one', () => {
    const long = '夜间施工噪音扰民'.repeat(500); // 4,000 characters, 12,000 bytes in UTF-8
    for (let seq = 1; seq <= 120; seq += 1) addToOutbox(t.db, { ...mutation(clientA, seq), args: createCaseArgs('S0001', seq, { description: long }) });
    const batch = pendingBatch(t.db, clientA, MAX_PUSH_BATCH, 0, MAX_PUSH_BYTES);
    const bytes = batch.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e.args)), 0);
    expect(batch.length).toBeGreaterThan(50);
    expect(batch.length).toBeLessThan(120);
    expect(bytes).toBeLessThanOrEqual(MAX_PUSH_BYTES);
    expect(batch.map((e) => e.seq)).toEqual(Array.from({ length: batch.length }, (_, i) => i + 1));
    // One mutation over the budget still goes alone, so the queue cannot stall.
    expect(pendingBatch(t.db, clientA, MAX_PUSH_BATCH, 0, 10).map((e) => e.seq)).toEqual([1]);
  });

  it('removes one row and returns it', () => {
    const m = mutation(clientA, 1);
    addToOutbox(t.db, m);
    expect(removeFromOutbox(t.db, clientA, 1)).toEqual({ ...m, state: 'pending' });
    expect(removeFromOutbox(t.db, clientA, 1)).toBeUndefined();
    expect(countUnconfirmed(t.db, clientA)).toBe(0);
  });

  it('removeConfirmed drops only pushed rows with seq <= lastSeq of that client', () => {
    for (let seq = 1; seq <= 4; seq += 1) addToOutbox(t.db, mutation(clientA, seq));
    addToOutbox(t.db, mutation(clientB, 1));
    markPushed(t.db, clientA, 1);
    markPushed(t.db, clientA, 3);
    markPushed(t.db, clientA, 4);
    markPushed(t.db, clientB, 1);
    // seq 2 is still pending (its acknowledgement was lost): it must stay and be resent.
    const removed = removeConfirmed(t.db, clientA, 3);
    expect(removed.map((e) => e.seq).sort()).toEqual([1, 3]);
    expect(unconfirmed(t.db, clientA).map((e) => [e.seq, e.state])).toEqual([
      [2, 'pending'],
      [4, 'pushed'],
    ]);
    expect(countUnconfirmed(t.db, clientB)).toBe(1);
  });
});

describe('meta', () => {
  it('stores, overwrites and reads values', () => {
    expect(getMeta(t.db, 'k')).toBeUndefined();
    setMeta(t.db, 'k', 'v1');
    setMeta(t.db, 'k', 'v2');
    expect(getMeta(t.db, 'k')).toBe('v2');
  });

  it('makes one random station key per install and keeps it across reopening', () => {
    const key = stationKey(t.db);
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(stationKey(t.db)).toBe(key);
    t.db.close();
    const reopened = openLocalDb(t.file);
    try {
      expect(stationKey(reopened)).toBe(key);
    } finally {
      reopened.close();
    }
    const other = tempLocalDb();
    try {
      expect(stationKey(other.db)).not.toBe(key);
    } finally {
      other.close();
    }
  });

  it('counts case numbers 1, 2, 3 … across reopening, and a rolled-back use is not consumed', () => {
    expect(nextCaseSeq(t.db)).toBe(1);
    expect(nextCaseSeq(t.db)).toBe(2);
    expect(() =>
      t.db.transaction(() => {
        nextCaseSeq(t.db);
        throw new Error('abort');
      })(),
    ).toThrow('abort');
    t.db.close();
    const reopened = openLocalDb(t.file);
    try {
      expect(nextCaseSeq(reopened)).toBe(3);
    } finally {
      reopened.close();
    }
  });
});

describe('accounts', () => {
  it('gives each user one client id, kept when their details change', () => {
    const first = upsertAccount(t.db, user);
    expect(first).toEqual({ ...user, clientId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string });
    const renamed = upsertAccount(t.db, { ...user, displayName: '王芳芳', team: 'team-b' });
    expect(renamed.clientId).toBe(first.clientId);
    expect(renamed.team).toBe('team-b');
    expect(upsertAccount(t.db, { ...user, id: 'user-2', username: 'op2' }).clientId).not.toBe(first.clientId);
  });

  it('hands out mutation seqs 1, 2, 3 … per client', () => {
    const a = upsertAccount(t.db, user);
    const b = upsertAccount(t.db, { ...user, id: 'user-2', username: 'op2' });
    expect([nextMutationSeq(t.db, a.clientId), nextMutationSeq(t.db, a.clientId), nextMutationSeq(t.db, b.clientId)]).toEqual([1, 2, 1]);
    expect(() => nextMutationSeq(t.db, crypto.randomUUID())).toThrow(/unknown client/);
  });

  it('a different user starts from an empty cache, but outbox rows are kept', () => {
    expect(claimCacheFor(t.db, 'user-1', LOCAL_ENTITIES)).toBe(true);
    putCaseView(t.db, caseRecord(), false);
    putConfirmed(t.db, 'case', 'c1', 'team:team-a', 1, { x: 1 });
    putCategory(t.db, { code: 'urban', parent: null, nameZh: '城市管理', nameEn: 'Urban', slaClass: 'general', directAnswer: false, intakeQuestions: [] });
    putUser(t.db, user);
    addRejection(t.db, 'user-1', { mutationId: 'm', name: 'createCase', caseNumber: null, code: 'x', message: 'y', at: 1, redoable: false });
    addToOutbox(t.db, mutation(clientA, 1));
    advanceCursors(t.db, { ref: 9, 'team:team-a': 9 });

    expect(claimCacheFor(t.db, 'user-1', LOCAL_ENTITIES)).toBe(false);
    expect(listCases(t.db, { team: 'team-a', limit: 10 })).toHaveLength(1);
    expect(getCursors(t.db)).toEqual({ ref: 9, 'team:team-a': 9 });

    expect(claimCacheFor(t.db, 'user-2', LOCAL_ENTITIES)).toBe(true);
    expect(listCases(t.db, { team: 'team-a', limit: 10 })).toEqual([]);
    expect(getConfirmed(t.db, 'case', 'c1')).toBeUndefined();
    expect(listCategories(t.db)).toEqual([]);
    expect(getUser(t.db, user.id)).toBeUndefined();
    expect(listRejections(t.db, 'user-2')).toEqual([]);
    // user-1's unseen rejection survives the switch and is theirs alone.
    expect(listRejections(t.db, 'user-1').map((r) => r.mutationId)).toEqual(['m']);
    expect(getCursors(t.db)).toEqual({});
    expect(countUnconfirmed(t.db, clientA)).toBe(1);
  });

  it('purges the cached cases at logout, keeps the outbox, and the next login (even the same user) pulls again', () => {
    claimCacheFor(t.db, 'user-1', LOCAL_ENTITIES);
    putCaseView(t.db, caseRecord(), false);
    putConfirmed(t.db, 'case', 'c1', 'team:team-a', 1, { x: 1 });
    addToOutbox(t.db, mutation(clientA, 1));
    advanceCursors(t.db, { ref: 9, 'team:team-a': 9 });

    expect(purgeCachedCases(t.db, LOCAL_ENTITIES)).toBe(true);
    expect(listCases(t.db, { team: 'team-a', limit: 10 })).toEqual([]);
    expect(getConfirmed(t.db, 'case', 'c1')).toBeUndefined();
    expect(getCursors(t.db)).toEqual({});
    expect(countUnconfirmed(t.db, clientA)).toBe(1);
    expect(claimCacheFor(t.db, 'user-1', LOCAL_ENTITIES)).toBe(true);
    expect(purgeAtLogoutFromEnv({})).toBe(true);
    expect(purgeAtLogoutFromEnv({ HOTLINE_PURGE_CACHE_AT_LOGOUT: '0' })).toBe(false);
  });
});

describe('case views', () => {
  it('stores a case with its pending flag and replaces it by id', () => {
    const record = caseRecord();
    putCaseView(t.db, record, true);
    expect(getCaseView(t.db, record.id)).toEqual({ ...record, pending: true });
    putCaseView(t.db, { ...record, status: 'dispatched', updatedAt: record.updatedAt + 5 }, false);
    expect(getCaseView(t.db, record.id)).toEqual({ ...record, status: 'dispatched', updatedAt: record.updatedAt + 5, pending: false });
    deleteCaseView(t.db, record.id);
    expect(getCaseView(t.db, record.id)).toBeUndefined();
  });

  it('lists "mine" (registered or held) or by team, newest first, up to the limit', () => {
    const a1 = caseRecord({ createdBy: 'op1', number: 'S0001-000001', createdAt: 1000 });
    const a2 = caseRecord({ createdBy: 'op1', number: 'S0001-000002', createdAt: 3000 });
    const b1 = caseRecord({ createdBy: 'op2', number: 'S0002-000001', createdAt: 2000 });
    // Registered by op2, handed to op1 since.
    const b2 = caseRecord({ createdBy: 'op2', assignee: 'op1', number: 'S0002-000002', createdAt: 2500, rev: 2 });
    // Registered by op1, handed on to op2: still op1's, as its registrant.
    const a3 = caseRecord({ createdBy: 'op1', assignee: 'op2', number: 'S0001-000003', createdAt: 500, rev: 2 });
    const other = caseRecord({ createdBy: 'op3', team: 'team-b', number: 'S0003-000001', createdAt: 4000 });
    for (const r of [a1, a2, b1, b2, a3, other]) putCaseView(t.db, r, false);
    expect(listCases(t.db, { mine: 'op1', limit: 10 }).map((c) => c.number)).toEqual(['S0001-000002', 'S0002-000002', 'S0001-000001', 'S0001-000003']);
    expect(listCases(t.db, { mine: 'op2', limit: 10 }).map((c) => c.number)).toEqual(['S0002-000002', 'S0002-000001', 'S0001-000003']);
    expect(listCases(t.db, { mine: 'op1', limit: 1 }).map((c) => c.number)).toEqual(['S0001-000002']);
    expect(listCases(t.db, { mine: 'nobody', limit: 10 })).toEqual([]);
    for (const r of [b2, a3]) deleteCaseView(t.db, r.id);
    expect(listCases(t.db, { team: 'team-a', limit: 10 }).map((c) => c.number)).toEqual(['S0001-000002', 'S0002-000001', 'S0001-000001']);
    expect(listCases(t.db, { team: 'team-a', limit: 2 }).map((c) => c.number)).toEqual(['S0001-000002', 'S0002-000001']);
    expect(listCases(t.db, { team: 'team-b', limit: 10 }).map((c) => c.id)).toEqual([other.id]);
  });
});

describe('reference categories and rejections', () => {
  const urban: ExtendedCategory = { code: 'urban', parent: null, nameZh: '城市管理', nameEn: 'Urban management', slaClass: 'general', directAnswer: false, intakeQuestions: [] };
  const query: ExtendedCategory = { code: 'labor.social_insurance_query', parent: 'labor', nameZh: '社保查询', nameEn: 'Social insurance', slaClass: 'general', directAnswer: true, intakeQuestions: [] };

  it('stores, lists in code order, checks and deletes categories', () => {
    putCategory(t.db, urban);
    putCategory(t.db, query);
    expect(listCategories(t.db)).toEqual([query, urban]);
    expect(categoryExists(t.db, 'urban')).toBe(true);
    expect(categoryExists(t.db, 'nope')).toBe(false);
    putCategory(t.db, { ...urban, nameEn: 'City management' });
    expect(listCategories(t.db).find((c) => c.code === 'urban')?.nameEn).toBe('City management');
    deleteCategory(t.db, 'urban');
    expect(categoryExists(t.db, 'urban')).toBe(false);
  });

  it('keeps rejections newest first until dismissed, per user', () => {
    addRejection(t.db, 'u1', { mutationId: 'm1', name: 'createCase', caseNumber: 'S0001-000001', code: 'unknown_category', message: 'a', at: 1, redoable: false });
    addRejection(t.db, 'u1', { mutationId: 'm2', name: 'createCase', caseNumber: null, code: 'forbidden', message: 'b', at: 2, redoable: false });
    addRejection(t.db, 'u2', { mutationId: 'm3', name: 'createCase', caseNumber: null, code: 'forbidden', message: 'c', at: 3, redoable: false });
    expect(listRejections(t.db, 'u1').map((r) => r.mutationId)).toEqual(['m2', 'm1']);
    expect(listRejections(t.db, 'u1')[1]).toEqual({
      mutationId: 'm1',
      name: 'createCase',
      caseNumber: 'S0001-000001',
      code: 'unknown_category',
      message: 'a',
      at: 1,
      redoable: false,
    });
    dismissRejection(t.db, 'u2', 'm2');
    expect(listRejections(t.db, 'u1')).toHaveLength(2);
    dismissRejection(t.db, 'u1', 'm2');
    expect(listRejections(t.db, 'u1').map((r) => r.mutationId)).toEqual(['m1']);
    expect(listRejections(t.db, 'u2').map((r) => r.mutationId)).toEqual(['m3']);
  });
});

describe('redoable rejections', () => {
  const caseId = crypto.randomUUID();
  const args = { caseId, toUserId: 'op2', expectedRev: 1 };
  const current = caseRecord({ id: caseId, assignee: 'op3', rev: 2 });
  const conflict = {
    mutationId: 'm9',
    name: 'reassignCase',
    caseNumber: current.number,
    code: 'conflict',
    message: 'changed since you saw it',
    at: 9,
    redoable: true,
    mutation: { name: 'reassignCase' as const, args },
    current,
  };

  it('keeps the refused mutation and the state it met, but lists only what the operator is shown', () => {
    addRejection(t.db, 'u1', conflict);
    expect(getRejection(t.db, 'u1', 'm9')).toEqual(conflict);
    const { mutation: _m, current: _c, ...shown } = conflict;
    expect(listRejections(t.db, 'u1')).toEqual([shown]);
    // Another user's lookup finds nothing.
    expect(getRejection(t.db, 'u2', 'm9')).toBeUndefined();
    dismissRejection(t.db, 'u1', 'm9');
    expect(getRejection(t.db, 'u1', 'm9')).toBeUndefined();
  });

  it('a rejection that is not redoable keeps no mutation to redo', () => {
    addRejection(t.db, 'u1', { ...conflict, code: 'forbidden', redoable: false });
    const stored = getRejection(t.db, 'u1', 'm9');
    expect(stored).toMatchObject({ code: 'forbidden', redoable: false, current });
    expect(stored).not.toHaveProperty('mutation');
  });
});

describe('confirmed state and cursors', () => {
  it('putConfirmed keeps the newest version of each scope: an older one is ignored', () => {
    putConfirmed(t.db, 'case', 'c1', 'team:a', 5, { v: 5 });
    putConfirmed(t.db, 'case', 'c1', 'team:a', 3, { v: 3 });
    expect(getConfirmed(t.db, 'case', 'c1')).toEqual({ v: 5 });
    putConfirmed(t.db, 'case', 'c1', 'team:a', 5, { v: 'same version again' });
    expect(getConfirmed(t.db, 'case', 'c1')).toEqual({ v: 5 });
    putConfirmed(t.db, 'case', 'c1', 'team:a', 6, { v: 6 });
    expect(getConfirmed(t.db, 'case', 'c1')).toEqual({ v: 6 });
  });

  it('getConfirmed answers with the newest state among the scopes that hold the entity', () => {
    putConfirmed(t.db, 'case', 'c1', 'team:a', 4, { v: 4 });
    putConfirmed(t.db, 'case', 'c1', 'user:x', 7, { v: 7 });
    putConfirmed(t.db, 'case', 'c1', 'user:y', 2, { v: 2 });
    expect(getConfirmed(t.db, 'case', 'c1')).toEqual({ v: 7 });
    // Entities are told apart.
    expect(getConfirmed(t.db, 'category', 'c1')).toBeUndefined();
    // Removed from user:x: the next newest holder answers.
    deleteConfirmed(t.db, 'case', 'c1', 'user:x', 8);
    expect(getConfirmed(t.db, 'case', 'c1')).toEqual({ v: 4 });
    deleteConfirmed(t.db, 'case', 'c1', 'team:a', 9);
    deleteConfirmed(t.db, 'case', 'c1', 'user:y', 9);
    expect(getConfirmed(t.db, 'case', 'c1')).toBeUndefined();
  });

  it('deleteConfirmed removes only an older state of that scope', () => {
    putConfirmed(t.db, 'case', 'c1', 'team:a', 5, { v: 5 });
    deleteConfirmed(t.db, 'case', 'c1', 'team:a', 5);
    deleteConfirmed(t.db, 'case', 'c1', 'team:a', 4);
    deleteConfirmed(t.db, 'case', 'c1', 'team:b', 9);
    expect(getConfirmed(t.db, 'case', 'c1')).toEqual({ v: 5 });
    deleteConfirmed(t.db, 'case', 'c1', 'team:a', 6);
    expect(getConfirmed(t.db, 'case', 'c1')).toBeUndefined();
  });

  it('cursors start empty, move forward per scope, never back, and persist', () => {
    expect(getCursors(t.db)).toEqual({});
    advanceCursors(t.db, { ref: 3, 'team:a': 5 });
    advanceCursors(t.db, { ref: 2, 'team:a': 8, 'user:x': 1 });
    expect(getCursors(t.db)).toEqual({ ref: 3, 'team:a': 8, 'user:x': 1 });
    t.db.close();
    const reopened = openLocalDb(t.file);
    try {
      expect(getCursors(reopened)).toEqual({ ref: 3, 'team:a': 8, 'user:x': 1 });
    } finally {
      reopened.close();
    }
  });

  it('clearSynced forgets everything pulled but keeps the outbox, accounts and rejections', () => {
    const account = upsertAccount(t.db, user);
    putConfirmed(t.db, 'case', 'c1', 'team:a', 1, { v: 1 });
    advanceCursors(t.db, { 'team:a': 1 });
    putCaseView(t.db, caseRecord(), false);
    putUser(t.db, user);
    putCategory(t.db, { code: 'urban', parent: null, nameZh: '城市管理', nameEn: 'Urban', slaClass: 'general', directAnswer: false, intakeQuestions: [] });
    addToOutbox(t.db, mutation(account.clientId, 1));
    addRejection(t.db, user.id, { mutationId: 'm', name: 'createCase', caseNumber: null, code: 'x', message: 'y', at: 1, redoable: false });
    clearSynced(t.db, LOCAL_ENTITIES);
    expect(getConfirmed(t.db, 'case', 'c1')).toBeUndefined();
    expect(getCursors(t.db)).toEqual({});
    expect(listCases(t.db, { team: 'team-a', limit: 10 })).toEqual([]);
    expect(getUser(t.db, user.id)).toBeUndefined();
    expect(listCategories(t.db)).toEqual([]);
    expect(countUnconfirmed(t.db, account.clientId)).toBe(1);
    expect(listRejections(t.db, user.id)).toHaveLength(1);
    expect(upsertAccount(t.db, user).clientId).toBe(account.clientId);
  });
});

describe('user directory', () => {
  it('stores, replaces, reads and deletes users', () => {
    expect(getUser(t.db, user.id)).toBeUndefined();
    putUser(t.db, user);
    expect(getUser(t.db, user.id)).toEqual(user);
    putUser(t.db, { ...user, role: 'lead' });
    expect(getUser(t.db, user.id)?.role).toBe('lead');
    deleteUser(t.db, user.id);
    expect(getUser(t.db, user.id)).toBeUndefined();
  });
});
