import { INTAKE_DEFAULTS } from '../../../src/shared/domain/case';
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
import { MutationArgs, MutationName, touchedCaseIds, withExpectedRev } from '../../../src/shared/sync/mutations';
import { LoginRequest, LoginResponse, RefreshRequest } from '../../../src/shared/sync/auth';

const clientId = crypto.randomUUID();

function createArgs(overrides: Record<string, unknown> = {}) {
  return {
    id: crypto.randomUUID(),
    number: 'S0001-000001',
    createdAt: 1_700_000_000_000,
    callerPhone: '13800138000',
    callerName: '',
    categoryCode: 'noise.residential',
    address: '朝阳区建国路 88 号',
    description: '夜间施工噪音扰民',
    answers: { timeOfDay: 'night' },
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

  it('v4 (the intake record and its mutations) still serves v3 clients, and not v2 ones, which could not read binary pokes', () => {
    expect(PROTOCOL_VERSION).toBe(4);
    expect(MIN_PROTOCOL_VERSION).toBe(3);
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
    expect(MutationArgs.createCase.parse(args)).toEqual({ ...args, ...INTAKE_DEFAULTS });
    expect(MutationArgs.createCase.safeParse(createArgs({ id: 'x' })).success).toBe(false);
    expect(MutationArgs.createCase.safeParse(createArgs({ number: 'S1-1' })).success).toBe(false);
    expect(MutationArgs.createCase.safeParse(createArgs({ createdAt: -5 })).success).toBe(false);
    expect(MutationArgs.createCase.safeParse(createArgs({ callerPhone: 'nope' })).success).toBe(false);
    expect(MutationArgs.createCase.safeParse(createArgs({ description: 'x' })).success).toBe(false);
    expect(MutationArgs.createCase.safeParse(createArgs({ number: 'T0001-000001' })).success).toBe(true);
  });

  it('touchedCaseIds names the case a createCase makes', () => {
    const args = createArgs();
    expect(touchedCaseIds('createCase', args)).toEqual([args.id]);
  });

  it('reassignCase args name the case, the new holder and the revision the lead saw', () => {
    const args = { caseId: crypto.randomUUID(), toUserId: 'u-2', expectedRev: 3 };
    expect(MutationArgs.reassignCase.parse(args)).toEqual(args);
    expect(MutationArgs.reassignCase.safeParse({ ...args, caseId: 'c1' }).success).toBe(false);
    expect(MutationArgs.reassignCase.safeParse({ ...args, toUserId: '' }).success).toBe(false);
    expect(MutationArgs.reassignCase.safeParse({ ...args, toUserId: 'u'.repeat(65) }).success).toBe(false);
    expect(MutationArgs.reassignCase.safeParse({ ...args, expectedRev: 0 }).success).toBe(false);
    expect(MutationArgs.reassignCase.safeParse({ ...args, expectedRev: 1.5 }).success).toBe(false);
    const { expectedRev: _r, ...withoutRev } = args;
    expect(MutationArgs.reassignCase.safeParse(withoutRev).success).toBe(false);
    expect(touchedCaseIds('reassignCase', args)).toEqual([args.caseId]);
    expect(Mutation.safeParse(mutation(1, { name: 'reassignCase', args })).success).toBe(true);
  });

  it('withExpectedRev renews the expected revision of a reassignment; a createCase has none to renew', () => {
    const args = { caseId: crypto.randomUUID(), toUserId: 'u-2', expectedRev: 1 };
    expect(withExpectedRev('reassignCase', args, 4)).toEqual({ ...args, expectedRev: 4 });
    expect(args.expectedRev).toBe(1);
    expect(withExpectedRev('createCase', createArgs(), 4)).toBeNull();
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
    // A conflict carries the entity as it is now.
    const conflict = { seq: 1, id, status: 'rejected', reason: { code: 'conflict', message: 'moved on', current: { id: 'c', rev: 2 } } };
    expect(MutationOutcome.parse(conflict)).toEqual(conflict);
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
  it('cursors are per scope, non-negative integers; the limit is capped', () => {
    expect(PullRequest.parse({ cursors: {} })).toEqual({ cursors: {} });
    expect(PullRequest.parse({ cursors: { ref: 0, 'team:team-a': 12 }, withRemaining: true })).toEqual({
      cursors: { ref: 0, 'team:team-a': 12 },
      withRemaining: true,
    });
    expect(PullRequest.safeParse({ cursors: { ref: -1 } }).success).toBe(false);
    expect(PullRequest.safeParse({ cursors: { ref: 1.5 } }).success).toBe(false);
    expect(PullRequest.safeParse({ cursors: { '': 1 } }).success).toBe(false);
    expect(PullRequest.safeParse({ cursors: { ['s'.repeat(81)]: 1 } }).success).toBe(false);
    // The v1 shape is refused.
    expect(PullRequest.safeParse({ cursor: 0 }).success).toBe(false);
    expect(PullRequest.safeParse({ cursors: {}, limit: MAX_PULL_PAGE }).success).toBe(true);
    expect(PullRequest.safeParse({ cursors: {}, limit: MAX_PULL_PAGE + 1 }).success).toBe(false);
    expect(PullRequest.safeParse({ cursors: {}, limit: 0 }).success).toBe(false);
  });

  it('a change names its scope and a known entity; null data means it left the scope', () => {
    expect(Change.parse({ version: 1, scope: 'team:a', entity: 'case', id: 'c', data: null }).data).toBeNull();
    expect(Change.safeParse({ version: 1, scope: 'ref', entity: 'user', id: 'u', data: {} }).success).toBe(true);
    expect(Change.safeParse({ version: 1, scope: 'ref', entity: 'station', id: 's', data: {} }).success).toBe(false);
    expect(Change.safeParse({ version: 1, entity: 'case', id: 'c', data: {} }).success).toBe(false);
    expect(Change.safeParse({ version: 0, scope: 'team:a', entity: 'case', id: 'c', data: {} }).success).toBe(false);
  });

  it('a response carries granted scopes, reset, changes, cursors, more, lastSeq and server time', () => {
    const page = {
      ok: true,
      scopes: ['ref', 'team:a'],
      reset: false,
      changes: [{ version: 2, scope: 'ref', entity: 'category', id: 'urban', data: {} }],
      cursors: { ref: 2, 'team:a': 2 },
      more: false,
      lastSeq: 0,
      serverTime: 5,
    };
    expect(PullResponse.parse(page)).toEqual(page);
    expect(PullResponse.parse({ ...page, remaining: 7 })).toEqual({ ...page, remaining: 7 });
    for (const key of ['more', 'reset', 'scopes', 'cursors'] as const) {
      const { [key]: _dropped, ...without } = page;
      expect(PullResponse.safeParse(without).success, key).toBe(false);
    }
    expect(PullResponse.safeParse({ ...page, remaining: -1 }).success).toBe(false);
    expect(PullResponse.safeParse({ ok: false, error: { code: 'internal', message: 'x' } }).success).toBe(true);
  });

  it('a poke names its scope, the version before and after, and may carry the changes', () => {
    expect(Poke.safeParse({ scope: 'team:a', prev: 0, version: 7 }).success).toBe(true);
    const inline = { scope: 'team:a', prev: 6, version: 7, changes: [{ version: 7, scope: 'team:a', entity: 'case', id: 'c', data: null }] };
    expect(Poke.parse(inline)).toEqual(inline);
    expect(Poke.safeParse({ scope: 'team:a', prev: -1, version: 7 }).success).toBe(false);
    expect(Poke.safeParse({ scope: 'team:a', prev: 0, version: 0 }).success).toBe(false);
    expect(Poke.safeParse({ prev: 0, version: 7 }).success).toBe(false);
    // The v1 poke (a bare version) is refused.
    expect(Poke.safeParse({ version: 7 }).success).toBe(false);
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
