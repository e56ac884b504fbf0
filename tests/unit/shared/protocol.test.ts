import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  Change,
  HandshakeAuth,
  MAX_PULL_PAGE,
  MAX_PUSH_BATCH,
  MIN_PROTOCOL_VERSION,
  Mutation,
  MutationOutcome,
  PROTOCOL_VERSION,
  Poke,
  PullRequest,
  PullResponse,
  PushRequest,
  PushResponse,
} from '../../../src/shared/sync/protocol';
import { MutationArgs, MutationName, touchedCaseIds } from '../../../src/shared/sync/mutations';
import { LoginRequest, LoginResponse, RefreshRequest } from '../../../src/shared/sync/auth';

const clientId = crypto.randomUUID();

function createArgs(overrides: Record<string, unknown> = {}) {
  return {
    id: crypto.randomUUID(),
    number: 'S0001-000001',
    createdAt: 1_700_000_000_000,
    callerPhone: '13800138000',
    callerName: '',
    categoryCode: 'urban.noise',
    address: '朝阳区建国路 88 号',
    description: '夜间施工噪音扰民',
    ...overrides,
  };
}

function mutation(seq: number, overrides: Record<string, unknown> = {}) {
  return { clientId, seq, id: crypto.randomUUID(), name: 'createCase', args: createArgs(), at: 1_700_000_000_000, ...overrides };
}

describe('protocol versions', () => {
  it('the server supports a non-empty range including the current version', () => {
    expect(MIN_PROTOCOL_VERSION).toBeGreaterThanOrEqual(1);
    expect(PROTOCOL_VERSION).toBeGreaterThanOrEqual(MIN_PROTOCOL_VERSION);
  });
});

describe('Mutation', () => {
  it('accepts a well-formed mutation', () => {
    expect(Mutation.parse(mutation(1))).toMatchObject({ clientId, seq: 1, name: 'createCase' });
  });

  it.each([
    ['a non-uuid client id', { clientId: 'ws-1' }],
    ['a non-uuid id', { id: '42' }],
    ['seq 0', { seq: 0 }],
    ['a fractional seq', { seq: 1.5 }],
    ['an unknown name', { name: 'dropTable' }],
    ['a zero timestamp', { at: 0 }],
  ])('refuses %s', (_label, patch) => {
    expect(Mutation.safeParse({ ...mutation(1), ...patch }).success).toBe(false);
  });
});

describe('mutation names and args', () => {
  it('MutationName lists exactly the mutations that have argument schemas', () => {
    expect([...MutationName.options].sort()).toEqual(Object.keys(MutationArgs).sort());
  });

  it('createCase args are a draft plus id, case number and creation time', () => {
    const args = createArgs();
    expect(MutationArgs.createCase.parse(args)).toEqual(args);
    expect(MutationArgs.createCase.safeParse(createArgs({ id: 'x' })).success).toBe(false);
    expect(MutationArgs.createCase.safeParse(createArgs({ number: 'S1-1' })).success).toBe(false);
    expect(MutationArgs.createCase.safeParse(createArgs({ createdAt: -5 })).success).toBe(false);
    expect(MutationArgs.createCase.safeParse(createArgs({ callerPhone: 'nope' })).success).toBe(false);
    expect(MutationArgs.createCase.safeParse(createArgs({ description: 'x' })).success).toBe(false);
  });

  it('touchedCaseIds names the case a createCase makes', () => {
    const args = createArgs();
    expect(touchedCaseIds('createCase', args)).toEqual([args.id]);
  });
});

describe('PushRequest and PushResponse', () => {
  it('a batch holds 1..MAX_PUSH_BATCH mutations', () => {
    expect(PushRequest.safeParse({ clientId, mutations: [] }).success).toBe(false);
    const full = Array.from({ length: MAX_PUSH_BATCH }, (_, i) => mutation(i + 1));
    expect(PushRequest.safeParse({ clientId, mutations: full }).success).toBe(true);
    expect(PushRequest.safeParse({ clientId, mutations: [...full, mutation(MAX_PUSH_BATCH + 1)] }).success).toBe(false);
  });

  it('refuses a batch containing a malformed mutation', () => {
    expect(PushRequest.safeParse({ clientId, mutations: [mutation(1), mutation(2, { seq: -2 })] }).success).toBe(false);
  });

  it('outcomes are applied, rejected or duplicate', () => {
    const id = crypto.randomUUID();
    expect(MutationOutcome.safeParse({ seq: 1, id, status: 'applied' }).success).toBe(true);
    expect(MutationOutcome.safeParse({ seq: 1, id, status: 'rejected', reason: { code: 'unknown_category', message: 'no such category' } }).success).toBe(true);
    expect(MutationOutcome.safeParse({ seq: 1, id, status: 'ignored' }).success).toBe(false);
  });

  it('a response is either ok with lastSeq and outcomes or an error', () => {
    expect(PushResponse.parse({ ok: true, lastSeq: 3, outcomes: [] }).ok).toBe(true);
    expect(PushResponse.parse({ ok: false, error: { code: 'seq_gap', message: 'm' } }).ok).toBe(false);
    expect(PushResponse.safeParse({ ok: true, outcomes: [] }).success).toBe(false);
    expect(PushResponse.safeParse({ ok: false, lastSeq: 1, outcomes: [] }).success).toBe(false);
    expect(PushResponse.safeParse({ ok: true, lastSeq: -1, outcomes: [] }).success).toBe(false);
  });
});

describe('PullRequest, Change and PullResponse', () => {
  it('a cursor is a non-negative integer and the limit is capped', () => {
    expect(PullRequest.parse({ cursor: 0 })).toEqual({ cursor: 0 });
    expect(PullRequest.safeParse({ cursor: -1 }).success).toBe(false);
    expect(PullRequest.safeParse({ cursor: 0, limit: MAX_PULL_PAGE }).success).toBe(true);
    expect(PullRequest.safeParse({ cursor: 0, limit: MAX_PULL_PAGE + 1 }).success).toBe(false);
    expect(PullRequest.safeParse({ cursor: 0, limit: 0 }).success).toBe(false);
  });

  it('a change names a known entity; null data means removal', () => {
    expect(Change.parse({ version: 1, entity: 'case', id: 'c', data: null }).data).toBeNull();
    expect(Change.safeParse({ version: 1, entity: 'user', id: 'u', data: {} }).success).toBe(false);
    expect(Change.safeParse({ version: 0, entity: 'case', id: 'c', data: {} }).success).toBe(false);
  });

  it('a response carries changes, cursor, more, lastSeq and server time', () => {
    const page = { ok: true, changes: [{ version: 2, entity: 'category', id: 'urban', data: {} }], cursor: 2, more: false, lastSeq: 0, serverTime: 5 };
    expect(PullResponse.parse(page)).toEqual(page);
    const { more: _more, ...withoutMore } = page;
    expect(PullResponse.safeParse(withoutMore).success).toBe(false);
    expect(PullResponse.safeParse({ ok: false, error: { code: 'internal', message: 'x' } }).success).toBe(true);
  });

  it('a poke carries only a version', () => {
    expect(Poke.safeParse({ version: 7 }).success).toBe(true);
    expect(Poke.safeParse({ version: -1 }).success).toBe(false);
    expect(Poke.safeParse({}).success).toBe(false);
  });
});

describe('handshake and login messages', () => {
  it('the handshake needs a token, a uuid client id and a protocol version', () => {
    expect(HandshakeAuth.safeParse({ token: 't', clientId, protocolVersion: PROTOCOL_VERSION }).success).toBe(true);
    expect(HandshakeAuth.safeParse({ token: '', clientId, protocolVersion: 1 }).success).toBe(false);
    expect(HandshakeAuth.safeParse({ token: 't', clientId: 'abc', protocolVersion: 1 }).success).toBe(false);
    expect(HandshakeAuth.safeParse({ token: 't', clientId }).success).toBe(false);
  });

  it('login needs a uuid station key; refresh needs a token', () => {
    expect(LoginRequest.safeParse({ username: 'op1', password: 'p', stationKey: crypto.randomUUID() }).success).toBe(true);
    expect(LoginRequest.safeParse({ username: 'op1', password: 'p', stationKey: 'desk-7' }).success).toBe(false);
    expect(LoginRequest.safeParse({ username: ' ', password: 'p', stationKey: crypto.randomUUID() }).success).toBe(false);
    expect(RefreshRequest.safeParse({ refreshToken: '' }).success).toBe(false);
    expect(
      LoginResponse.safeParse({
        accessToken: 'a',
        refreshToken: 'r',
        user: { id: 'u', username: 'op1', displayName: 'x', role: 'operator', team: 't' },
        station: 'S0001',
        serverTime: 1,
      }).success,
    ).toBe(true);
  });
});
