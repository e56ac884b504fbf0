import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, Rejection, SessionInfo, SyncProgress, SyncStatus } from '../../../src/shared/contract/contract';
import { EVENT_NAMES, IPC_EVENT, IPC_INVOKE, METHOD_NAMES } from '../../../src/shared/contract/names';
import { BridgeMessage, BridgeRequest } from '../../../src/shared/contract/bridge';

const validDraft = {
  callerPhone: '13800138000',
  categoryCode: 'noise.residential',
  address: '朝阳区建国路 88 号',
  description: '楼下工地夜间施工噪音扰民',
};

describe('contract names', () => {
  it('lists exactly the methods the contract declares', () => {
    expect([...METHOD_NAMES].sort()).toEqual(Object.keys(contract.methods).sort());
    expect(new Set(METHOD_NAMES).size).toBe(METHOD_NAMES.length);
  });

  it('lists exactly the events the contract declares', () => {
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(contract.events).sort());
    expect(new Set(EVENT_NAMES).size).toBe(EVENT_NAMES.length);
  });

  it('gives every method an input and an output schema and every event a payload schema', () => {
    for (const name of METHOD_NAMES) {
      const spec = contract.methods[name];
      expect(spec.input, name).toBeInstanceOf(z.ZodType);
      expect(spec.output, name).toBeInstanceOf(z.ZodType);
    }
    for (const name of EVENT_NAMES) expect(contract.events[name], name).toBeInstanceOf(z.ZodType);
  });

  it('uses distinct IPC channels for invoke and events', () => {
    expect(IPC_INVOKE).not.toBe(IPC_EVENT);
  });
});

describe('contract method inputs', () => {
  it('methods without arguments take only an empty object', () => {
    for (const name of ['app.info', 'session.logout', 'session.current', 'reference.categories', 'sync.status', 'sync.rejections'] as const) {
      expect(contract.methods[name].input.safeParse({}).success, name).toBe(true);
      expect(contract.methods[name].input.safeParse({ extra: 1 }).success, name).toBe(false);
    }
  });

  it('session.login trims the username and requires both fields', () => {
    const input = contract.methods['session.login'].input;
    // The live space unless practice is asked for; any other space is refused.
    expect(input.parse({ username: '  op1 ', password: 'x' })).toEqual({ username: 'op1', password: 'x', space: 'live' });
    expect(input.parse({ username: 'op1', password: 'x', space: 'training' })).toEqual({ username: 'op1', password: 'x', space: 'training' });
    expect(input.safeParse({ username: 'op1', password: 'x', space: 'sandbox' }).success).toBe(false);
    const blank = input.safeParse({ username: '   ', password: 'x' });
    expect(blank.success).toBe(false);
    expect(blank.error?.issues[0]?.message).toBe('required');
    expect(input.safeParse({ username: 'op1', password: '' }).success).toBe(false);
    expect(input.safeParse({ username: 'op1', password: 'x', stationKey: 'y' }).success).toBe(false);
    expect(input.safeParse({ username: 'a'.repeat(41), password: 'x' }).success).toBe(false);
  });

  it('cases.create validates the draft and refuses unknown fields', () => {
    const input = contract.methods['cases.create'].input;
    expect(input.parse(validDraft)).toMatchObject({ ...validDraft, callerName: '' });
    expect(input.safeParse({ ...validDraft, status: 'closed' }).success).toBe(false);
    expect(input.safeParse({ ...validDraft, callerPhone: 'call me' }).success).toBe(false);
  });

  it('cases.list needs a known scope and a bounded limit, defaulting to 100', () => {
    const input = contract.methods['cases.list'].input;
    expect(input.parse({ scope: 'team' })).toEqual({ scope: 'team', limit: 100 });
    expect(input.parse({ scope: 'mine', limit: 500 })).toEqual({ scope: 'mine', limit: 500 });
    expect(input.safeParse({ scope: 'all' }).success).toBe(false);
    expect(input.safeParse({ scope: 'team', limit: 0 }).success).toBe(false);
    expect(input.safeParse({ scope: 'team', limit: 501 }).success).toBe(false);
    expect(input.safeParse({ scope: 'team', limit: 2.5 }).success).toBe(false);
  });

  it('sync.dismissRejection and sync.redo need a mutation id', () => {
    for (const name of ['sync.dismissRejection', 'sync.redo'] as const) {
      const input = contract.methods[name].input;
      expect(input.safeParse({ mutationId: 'm1' }).success, name).toBe(true);
      expect(input.safeParse({}).success, name).toBe(false);
      expect(input.safeParse({ mutationId: 'm1', extra: 1 }).success, name).toBe(false);
    }
    expect(contract.methods['sync.redo'].output.parse(null)).toBeNull();
  });

  it('cases.reassign needs a case uuid and a user id, nothing else', () => {
    const input = contract.methods['cases.reassign'].input;
    const ok = { caseId: '6f9d7c1e-7a57-4b0e-9a38-6d1c2f0a9b11', toUserId: 'u-2' };
    expect(input.parse(ok)).toEqual(ok);
    expect(input.safeParse({ ...ok, caseId: 'case-1' }).success).toBe(false);
    expect(input.safeParse({ ...ok, toUserId: '' }).success).toBe(false);
    // The revision is the workstation's to take from its view, not the caller's to choose.
    expect(input.safeParse({ ...ok, expectedRev: 1 }).success).toBe(false);
  });
});

describe('contract outputs and events', () => {
  const status = { online: true, pending: 2, syncing: false, lastSyncAt: 1_700_000_000_000, clockOffsetMs: -12, error: null };

  it('SyncStatus accepts a real status and refuses negative or fractional counts', () => {
    expect(SyncStatus.parse(status)).toEqual(status);
    expect(SyncStatus.safeParse({ ...status, pending: -1 }).success).toBe(false);
    expect(SyncStatus.safeParse({ ...status, pending: 1.5 }).success).toBe(false);
    expect(SyncStatus.safeParse({ ...status, online: undefined }).success).toBe(false);
    expect(contract.events['sync.status'].safeParse(status).success).toBe(true);
  });

  it('session.current may be null but a SessionInfo must carry a valid user', () => {
    const info = {
      user: { id: 'u1', username: 'op1', displayName: '王芳', role: 'operator', team: 'team-a' },
      station: 'S0001',
      serverUrl: 'http://127.0.0.1:4100',
      space: 'live',
    };
    expect(contract.methods['session.current'].output.parse(null)).toBeNull();
    expect(SessionInfo.safeParse({ ...info, space: undefined }).success).toBe(false);
    expect(SessionInfo.parse(info)).toEqual(info);
    expect(SessionInfo.safeParse({ ...info, user: { ...info.user, role: 'superuser' } }).success).toBe(false);
    expect(contract.events['session.changed'].safeParse(null).success).toBe(true);
  });

  it('Rejection requires a code, an integer time and whether it can be redone', () => {
    const r = { mutationId: 'm', name: 'createCase', caseNumber: 'S0001-000001', code: 'unknown_category', message: 'no', at: 5, redoable: false };
    expect(Rejection.parse(r)).toEqual(r);
    expect(Rejection.parse({ ...r, name: 'reassignCase', code: 'conflict', redoable: true }).redoable).toBe(true);
    const { redoable: _r, ...withoutRedoable } = r;
    expect(Rejection.safeParse(withoutRedoable).success).toBe(false);
    expect(Rejection.safeParse({ ...r, caseNumber: null }).success).toBe(true);
    expect(Rejection.safeParse({ ...r, at: 1.5 }).success).toBe(false);
    expect(Rejection.safeParse({ ...r, code: undefined }).success).toBe(false);
  });

  it('sync.progress counts received against total and says when done', () => {
    const p = { received: 1000, total: 2500, done: false };
    expect(SyncProgress.parse(p)).toEqual(p);
    expect(contract.events['sync.progress'].safeParse({ ...p, done: true }).success).toBe(true);
    expect(SyncProgress.safeParse({ ...p, received: -1 }).success).toBe(false);
    expect(SyncProgress.safeParse({ ...p, total: 0.5 }).success).toBe(false);
    expect(SyncProgress.safeParse({ received: 1, total: 2 }).success).toBe(false);
  });

  it('cases.changed carries case ids', () => {
    expect(contract.events['cases.changed'].safeParse({ ids: ['a', 'b'] }).success).toBe(true);
    expect(contract.events['cases.changed'].safeParse({ ids: 'a' }).success).toBe(false);
  });
});

describe('browser-mode bridge messages', () => {
  it('accepts invoke requests and refuses malformed ones', () => {
    expect(BridgeRequest.safeParse({ type: 'invoke', id: 1, method: 'cases.list', input: { scope: 'team' } }).success).toBe(true);
    expect(BridgeRequest.safeParse({ type: 'invoke', id: -1, method: 'x', input: null }).success).toBe(false);
    expect(BridgeRequest.safeParse({ type: 'invoke', id: 1, method: 'x'.repeat(101), input: null }).success).toBe(false);
  });

  it('tells results from events', () => {
    const result = BridgeMessage.parse({ type: 'result', id: 3, result: { ok: false, error: { code: 'not_logged_in', message: 'log in' } } });
    expect(result.type).toBe('result');
    expect(BridgeMessage.safeParse({ type: 'result', id: 3, result: { ok: false, error: { code: 'nope', message: '' } } }).success).toBe(false);
    expect(BridgeMessage.parse({ type: 'event', event: 'sync.status', payload: {} }).type).toBe('event');
  });
});
