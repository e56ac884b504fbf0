import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listCallbackQueue, listCases, listMyOpenCases, listReturned, listWithUnits, putCaseView } from '../../../src/main/core/features/cases/store';
import { CaseStatus, type CaseRecord } from '../../../src/shared/domain/case';
import { compareQueue, dueOf, dueState } from '../../../src/shared/domain/queue';
import { SlaPolicy } from '../../../src/shared/reference/sla';
import { ALL_SCOPES, listOf, type ListOwner } from '../../../src/renderer/src/store/lists';
import type { CaseListScope } from '../../../src/shared/contract/contract';
import { tempLocalDb, type TempLocalDb } from '../../helpers/local-db';
import { caseRecord } from '../../helpers/fixtures';

// The queues' order (most urgent, then the deadline of each case's state) is written once
// (shared/domain/queue.ts) and used by the core's lists and the renderer's lists kept in place.
// Here the core's SQL + order over a real SQLite store is held against the renderer's rules.

const policy = SlaPolicy.parse(JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../resources/reference/sla.json'), 'utf8')));
const MIN = 60_000;
const T0 = 1_750_000_000_000;

let t: TempLocalDb;
beforeEach(() => {
  t = tempLocalDb();
});
afterEach(() => t.close());

describe('the deadline of each state', () => {
  it('registered: the dispatch deadline of its urgency; dispatched: sign-for; accepted: reply', () => {
    const registered = caseRecord({ createdAt: T0, urgency: 'emergency', dispatchBy: null });
    expect(dueOf(registered, policy)).toEqual({ kind: 'dispatch', at: T0 + 10 * MIN, start: T0 });
    expect(dueOf({ ...registered, dispatchBy: T0 + 5 * MIN }, policy).at).toBe(T0 + 5 * MIN);
    const dispatched = caseRecord({ status: 'dispatched', dispatchedAt: T0, signBy: T0 + 30 * MIN, replyBy: T0 + 120 * MIN });
    expect(dueOf(dispatched, policy)).toMatchObject({ kind: 'sign', at: T0 + 30 * MIN });
    expect(dueOf({ ...dispatched, status: 'accepted', acceptedAt: T0 + MIN }, policy)).toMatchObject({ kind: 'reply', at: T0 + 120 * MIN });
  });

  it('returned and reopened: dispatched again within the urgency’s time, from the return or reopen', () => {
    const returned = caseRecord({
      status: 'returned',
      urgency: 'urgent',
      updatedAt: T0 + 99 * MIN,
      timeline: [{ at: T0 + 7 * MIN, kind: 'return', actor: 'u', actorKind: 'unit', station: null, note: 'x', data: {} }],
    });
    expect(dueOf(returned, policy)).toEqual({ kind: 'redispatch', at: T0 + 37 * MIN, start: T0 + 7 * MIN });
    expect(dueOf(returned, null).at).toBeNull();
  });

  it('replied: the callback is due after the reply, at the retry an attempt set, inside the citizen’s window', () => {
    // 02:00 UTC is 10:00 in Beijing; the citizen wants 18:00–20:00.
    const repliedAt = Date.UTC(2026, 0, 5, 2, 0);
    const c = caseRecord({ status: 'replied', repliedAt, callbackWindow: { from: '18:00', to: '20:00' } });
    expect(dueOf(c, policy)).toMatchObject({ kind: 'callback', at: Date.UTC(2026, 0, 5, 10, 0) });
    const retried = { ...c, callbackWindow: null, nextCallbackAt: repliedAt + 30 * MIN };
    expect(dueOf(retried, policy).at).toBe(repliedAt + 30 * MIN);
    expect(dueState(dueOf(retried, policy), repliedAt + 10 * MIN, policy)).toBe('waiting');
    expect(dueState(dueOf(retried, policy), repliedAt + 31 * MIN, policy)).toBe('due');
  });

  it('states: on time, at risk after the policy’s share of the window, overdue after it; done for a closed case', () => {
    const d = dueOf(caseRecord({ status: 'accepted', dispatchedAt: T0, replyBy: T0 + 100 * MIN }), policy);
    expect(dueState(d, T0 + 10 * MIN, policy)).toBe('on_time');
    expect(dueState(d, T0 + 80 * MIN, policy)).toBe('at_risk');
    expect(dueState(d, T0 + 101 * MIN, policy)).toBe('overdue');
    expect(dueState(dueOf(caseRecord({ status: 'closed', closedAt: T0 }), policy), T0, policy)).toBe('done');
  });

  it('orders the most urgent first, then the soonest deadline, none last', () => {
    const a = caseRecord({ number: 'S0001-000001', status: 'accepted', urgency: 'normal', replyBy: T0 + MIN });
    const b = caseRecord({ number: 'S0001-000002', status: 'accepted', urgency: 'urgent', replyBy: T0 + 9 * MIN });
    const c = caseRecord({ number: 'S0001-000003', status: 'accepted', urgency: 'urgent', replyBy: T0 + 2 * MIN });
    const d = caseRecord({ number: 'S0001-000004', status: 'accepted', urgency: 'urgent', replyBy: null });
    expect([a, d, b, c].sort(compareQueue(policy)).map((x) => x.number)).toEqual(['S0001-000003', 'S0001-000002', 'S0001-000004', 'S0001-000001']);
  });
});

const me: ListOwner = { id: 'op1', team: 'team-a' };

const caseArb = (i: number) =>
  fc
    .record({
      // Every status, the queues' ones more often, so that lists hold several cases to order.
      status: fc.constantFrom(...CaseStatus.options, 'returned', 'returned', 'replied', 'replied', 'accepted', 'dispatched', 'reopened', 'registered'),
      urgency: fc.constantFrom('normal', 'normal', 'urgent', 'emergency' as const),
      team: fc.constantFrom('team-a', 'team-a', 'team-b'),
      createdBy: fc.constantFrom('op1', 'op2'),
      assignee: fc.constantFrom(null, 'op1', 'op2'),
      createdAt: fc.integer({ min: 0, max: 3 }),
      updatedAt: fc.integer({ min: 0, max: 3 }),
      dispatchBy: fc.option(fc.integer({ min: 0, max: 3 })),
      signBy: fc.option(fc.integer({ min: 0, max: 3 })),
      replyBy: fc.option(fc.integer({ min: 0, max: 3 })),
      repliedAt: fc.option(fc.integer({ min: 0, max: 3 })),
      nextCallbackAt: fc.option(fc.integer({ min: 0, max: 3 })),
      window: fc.boolean(),
      returnAt: fc.option(fc.integer({ min: 0, max: 3 })),
    })
    .map(
      (r): CaseRecord =>
        caseRecord({
          id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          number: `S0001-${String(500 - i * 3).padStart(6, '0')}`,
          status: r.status,
          urgency: r.urgency,
          team: r.team,
          createdBy: r.createdBy,
          assignee: r.assignee,
          createdAt: T0 + r.createdAt * MIN,
          updatedAt: T0 + r.updatedAt * MIN,
          dispatchBy: r.dispatchBy === null ? null : T0 + r.dispatchBy * MIN,
          dispatchedAt: T0,
          signBy: r.signBy === null ? null : T0 + r.signBy * MIN,
          replyBy: r.replyBy === null ? null : T0 + r.replyBy * MIN,
          repliedAt: r.repliedAt === null ? null : T0 + r.repliedAt * MIN,
          nextCallbackAt: r.nextCallbackAt === null ? null : T0 + r.nextCallbackAt * MIN,
          callbackWindow: r.window ? { from: '09:00', to: '12:00' } : null,
          timeline: r.returnAt === null ? [] : [{ at: T0 + r.returnAt * MIN, kind: r.status === 'reopened' ? 'reopen' : 'return', actor: 'x', actorKind: 'unit', station: null, note: null, data: {} }],
        }),
    );

function coreList(scope: CaseListScope, limit: number): string[] {
  const list = (() => {
    switch (scope) {
      case 'mine':
        return listMyOpenCases(t.db, me.id, policy, limit);
      case 'team':
        return listCases(t.db, { team: me.team, limit });
      case 'callback':
        return listCallbackQueue(t.db, me.team, policy, limit);
      case 'withUnits':
        return listWithUnits(t.db, me.team, policy, limit);
      case 'returned':
        return listReturned(t.db, me.team, policy, limit);
    }
  })();
  return list.map((c) => c.number);
}

describe('the core’s lists and the renderer’s rules agree', () => {
  it('on every scope, at any limit, for cases of every status, urgency and deadline', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(fc.tuple(...Array.from({ length: 8 }, (_, i) => fc.option(caseArb(i), { nil: undefined }))), fc.integer({ min: 1, max: 6 }), (maybe, limit) => {
        t.db.prepare('DELETE FROM case_search').run();
        t.db.prepare('DELETE FROM cases').run();
        const world = maybe.filter((c): c is CaseRecord => c !== undefined);
        for (const c of world) putCaseView(t.db, c, false);
        for (const scope of ALL_SCOPES) {
          const expected = listOf(scope, world, me, limit, policy).map((c) => c.number);
          if (expected.length > 0) nonEmpty += 1;
          expect(coreList(scope, limit), scope).toEqual(expected);
        }
      }),
      { numRuns: 120 },
    );
    expect(nonEmpty).toBeGreaterThan(120);
  });
});
