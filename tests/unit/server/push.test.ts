import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TokenClaims } from '../../../src/server/auth/token';
import { applyPush, RUN_LENGTH } from '../../../src/server/sync/push';
import { serverMutators } from '../../../src/server/sync/mutators';
import { ensureClient, loggedMutation } from '../../../src/server/store/clients';
import { caseEvents, findCase, teamScope, userScope } from '../../../src/server/store/cases';
import { changeBytes, changesSince, currentVersion } from '../../../src/server/store/changes';
import type { Mutation, PushResponse } from '../../../src/shared/sync/protocol';
import { formatCaseNumber } from '../../../src/shared/domain/case';
import { BACKENDS } from '../../helpers/backends';
import { insertUser, migratedDb, seedCategories, type MigratedDb } from '../../helpers/server-db';

const STATION = 'S0001';

function createCase(clientId: string, seq: number, overrides: Record<string, unknown> = {}): Mutation {
  return {
    clientId,
    seq,
    id: crypto.randomUUID(),
    name: 'createCase',
    args: {
      id: crypto.randomUUID(),
      number: formatCaseNumber(STATION, seq),
      createdAt: Date.now(),
      callerPhone: '13800138000',
      callerName: '王先生',
      categoryCode: 'noise.residential',
      address: '朝阳区建国路 88 号',
      description: `夜间施工噪音扰民 #${seq}`,
      ...overrides,
    },
    at: Date.now(),
  };
}

function caseIdOf(m: Mutation): string {
  return (m.args as { id: string }).id;
}

function okResponse(res: PushResponse): Extract<PushResponse, { ok: true }> {
  if (!res.ok) throw new Error(`push refused: ${res.error.code}: ${res.error.message}`);
  return res;
}

describe.each(BACKENDS)('applyPush on $name', (backend) => {
  let m: MigratedDb;
  let user: TokenClaims;
  let clientId: string;

  beforeEach(async () => {
    m = await migratedDb(backend);
    await seedCategories(m.db);
    user = await insertUser(m.db, { station: STATION });
    clientId = crypto.randomUUID();
    await ensureClient(m.db, clientId, user.sub, STATION);
  });
  afterEach(async () => {
    await m.close();
  });

  const push = (mutations: Mutation[], claims: TokenClaims = user) => applyPush(m.db, claims, STATION, { clientId, mutations });
  const lastSeq = async () => Number((await m.db.get<{ last_seq: number }>('SELECT last_seq FROM clients WHERE client_id = ?', [clientId]))?.last_seq);
  const caseCount = async () => Number((await m.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM cases'))?.n);

  it('applies a createCase: the case, its first event and its change in the team and the creator’s scope', async () => {
    const mut = createCase(clientId, 1);
    const { response, pokes } = await push([mut]);
    expect(okResponse(response)).toEqual({ ok: true, lastSeq: 1, outcomes: [{ seq: 1, id: mut.id, status: 'applied' }] });
    const saved = await findCase(m.db, caseIdOf(mut));
    expect(saved).toMatchObject({ number: 'S0001-000001', status: 'registered', createdBy: user.sub, team: 'team-a', station: STATION });
    // Whoever registers a case holds it, at revision 1.
    expect(saved).toMatchObject({ assignee: user.sub, rev: 1 });
    expect(await caseEvents(m.db, caseIdOf(mut))).toEqual([expect.objectContaining({ actor: user.sub, station: STATION, kind: 'registered' })]);
    const { changes } = await changesSince(m.db, { [teamScope('team-a')]: 0 }, 100);
    expect(changes.map((c) => c.id)).toEqual([caseIdOf(mut)]);
    expect(changes[0]?.data).toEqual(saved);
    const mine = await changesSince(m.db, { [userScope(user.sub)]: 0 }, 100);
    expect(mine.changes.map((c) => [c.id, c.data])).toEqual([[caseIdOf(mut), saved]]);
    // One poke per scope, carrying the change inline, chained from the scope's previous head.
    expect(pokes).toEqual([
      { scope: teamScope('team-a'), prev: 0, version: changes[0]?.version, changes },
      { scope: userScope(user.sub), prev: 0, version: mine.changes[0]?.version, changes: mine.changes },
    ]);
    expect(await lastSeq()).toBe(1);
    expect(await loggedMutation(m.db, clientId, 1)).toEqual({ mutationId: mut.id, status: 'applied', reasonCode: null, reasonMessage: null });
  });

  it('acknowledges a resent mutation as duplicate without a second effect', async () => {
    const mut = createCase(clientId, 1);
    await push([mut]);
    const version = await currentVersion(m.db);
    const { response, pokes } = await push([mut]);
    expect(okResponse(response)).toEqual({ ok: true, lastSeq: 1, outcomes: [{ seq: 1, id: mut.id, status: 'duplicate' }] });
    expect(pokes).toEqual([]);
    expect(await caseCount()).toBe(1);
    expect(await caseEvents(m.db, caseIdOf(mut))).toHaveLength(1);
    expect(await currentVersion(m.db)).toBe(version);
  });

  it('a resent batch that overlaps the applied ones applies only the new tail', async () => {
    const m1 = createCase(clientId, 1);
    const m2 = createCase(clientId, 2);
    await push([m1]);
    const res = okResponse((await push([m1, m2])).response);
    expect(res.outcomes.map((o) => o.status)).toEqual(['duplicate', 'applied']);
    expect(res.lastSeq).toBe(2);
    expect(await caseCount()).toBe(2);
  });

  it('records a rejected mutation with its reason, and a resend gets the same rejection', async () => {
    const mut = createCase(clientId, 1, { categoryCode: 'no.such.category' });
    const first = okResponse((await push([mut])).response);
    expect(first.lastSeq).toBe(1);
    expect(first.outcomes).toEqual([
      { seq: 1, id: mut.id, status: 'rejected', reason: { code: 'unknown_category', message: expect.stringContaining('no.such.category') as string } },
    ]);
    expect(await findCase(m.db, caseIdOf(mut))).toBeUndefined();
    expect(await lastSeq()).toBe(1);
    const logged = await loggedMutation(m.db, clientId, 1);
    expect(logged).toMatchObject({ mutationId: mut.id, status: 'rejected', reasonCode: 'unknown_category' });
    const version = await currentVersion(m.db);

    const again = await push([mut]);
    expect(okResponse(again.response).outcomes).toEqual(first.outcomes);
    expect(again.pokes).toEqual([]);
    expect(await caseCount()).toBe(0);
    expect(await currentVersion(m.db)).toBe(version);
  });

  it('rejects one mutation of a batch and applies the rest', async () => {
    const batch = [createCase(clientId, 1), createCase(clientId, 2, { categoryCode: 'bogus' }), createCase(clientId, 3)];
    const { response, pokes } = await push(batch);
    const res = okResponse(response);
    expect(res.lastSeq).toBe(3);
    expect(res.outcomes.map((o) => [o.seq, o.status, o.reason?.code])).toEqual([
      [1, 'applied', undefined],
      [2, 'rejected', 'unknown_category'],
      [3, 'applied', undefined],
    ]);
    const [a, b, c] = batch.map(caseIdOf) as [string, string, string];
    expect(await findCase(m.db, a)).toBeDefined();
    expect(await findCase(m.db, b)).toBeUndefined();
    expect(await findCase(m.db, c)).toBeDefined();
    expect((await changesSince(m.db, { [teamScope('team-a')]: 0 }, 100)).changes.map((ch) => ch.id)).toEqual([a, c]);
    // The rejected one's writes were rolled back, and so are they from the pokes.
    expect(pokes.map((p) => [p.scope, p.changes?.map((ch) => ch.id)])).toEqual([
      [teamScope('team-a'), [a, c]],
      [userScope(user.sub), [a, c]],
    ]);
    expect(pokes.map((p) => p.changes?.map((ch) => ch.version))).toEqual(
      pokes.map((p) => [p.changes?.[0]?.version, p.version]),
    );
  });

  it('a long batch with bad mutations here and there rejects exactly those and applies every other one once', async () => {
    // Runs of RUN_LENGTH share a savepoint: put bad ones first in a run, inside one, last in a run,
    // next to each other, and last in the batch, plus a duplicate within the batch (number taken).
    const n = 2 * RUN_LENGTH + 7;
    const bad = new Map<number, string>([
      [1, 'unknown_category'],
      [37, 'unknown_category'],
      [RUN_LENGTH, 'invalid_args'],
      [RUN_LENGTH + 1, 'unknown_category'],
      [RUN_LENGTH + 2, 'number_taken'],
      [n, 'invalid_args'],
    ]);
    const batch: Mutation[] = [];
    for (let seq = 1; seq <= n; seq += 1) {
      const code = bad.get(seq);
      batch.push(
        createCase(
          clientId,
          seq,
          code === 'unknown_category'
            ? { categoryCode: 'bogus' }
            : code === 'invalid_args'
              ? { callerPhone: 'not a phone' }
              : code === 'number_taken'
                ? { number: formatCaseNumber(STATION, 5) }
                : {},
        ),
      );
    }
    const { response, pokes } = await push(batch);
    const res = okResponse(response);
    expect(res.lastSeq).toBe(n);
    expect(res.outcomes.map((o) => [o.seq, o.status, o.reason?.code])).toEqual(
      batch.map((b) => [b.seq, bad.has(b.seq) ? 'rejected' : 'applied', bad.get(b.seq)]),
    );
    const good = batch.filter((b) => !bad.has(b.seq)).map(caseIdOf);
    expect(await caseCount()).toBe(good.length);
    for (const b of batch) expect(await findCase(m.db, caseIdOf(b)), `seq ${b.seq}`).toEqual(bad.has(b.seq) ? undefined : expect.anything());
    // One event per applied case, one log row per mutation, the change log in seq order.
    expect(Number((await m.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM case_events'))?.n)).toBe(good.length);
    const log = await m.db.all<{ seq: number | string; status: string; reason_code: string | null }>(
      'SELECT seq, status, reason_code FROM mutation_log WHERE client_id = ? ORDER BY seq',
      [clientId],
    );
    expect(log.map((r) => [Number(r.seq), r.status, r.reason_code ?? undefined])).toEqual(res.outcomes.map((o) => [o.seq, o.status, o.reason?.code]));
    const { changes } = await changesSince(m.db, { [teamScope('team-a')]: 0 }, 10_000);
    expect(changes.map((c) => c.id)).toEqual(good);
    // Versions of the commit are one block, without holes left by the rolled-back runs.
    const versions = pokes.flatMap((p) => p.changes?.map((c) => c.version) ?? []).sort((a, b) => a - b);
    expect(versions).toEqual(versions.map((_, i) => (versions[0] ?? 0) + i));
    expect(versions[versions.length - 1]).toBe(await currentVersion(m.db));
    for (const p of pokes) for (const c of p.changes ?? []) expect(changeBytes(c)).toBe(Buffer.byteLength(JSON.stringify(c)));
    // A resend of the whole batch: every outcome again, nothing applied twice.
    const again = okResponse((await push(batch)).response);
    expect(again.outcomes.map((o) => [o.seq, o.status === 'duplicate' ? 'applied' : o.status, o.reason?.code])).toEqual(
      res.outcomes.map((o) => [o.seq, o.status, o.reason?.code]),
    );
    expect(await caseCount()).toBe(good.length);
  });

  it('an unexpected failure inside a run rejects that mutation alone, with its writes undone, once', async () => {
    const original = serverMutators.createCase;
    const calls = new Map<string, number>();
    const failing = new Set<string>();
    serverMutators.createCase = async (ctx, args) => {
      const id = (args as { id: string }).id;
      calls.set(id, (calls.get(id) ?? 0) + 1);
      await original(ctx, args);
      if (failing.has(id)) {
        // Fails after writing, like a bug would: its writes must not survive.
        await ctx.q.run('UPDATE version_counter SET version = version + 1000 WHERE id = 1');
        throw new Error('boom');
      }
    };
    try {
      const batch = Array.from({ length: 50 }, (_, i) => createCase(clientId, i + 1));
      const boom = batch[30] as Mutation;
      failing.add(caseIdOf(boom));
      const before = await currentVersion(m.db);
      const res = okResponse((await push(batch)).response);
      expect(res.outcomes.filter((o) => o.status !== 'applied')).toEqual([
        { seq: 31, id: boom.id, status: 'rejected', reason: { code: 'server_error', message: expect.any(String) as string } },
      ]);
      // The failing one ran once: its rejection is what it raised, not a second attempt's outcome.
      expect(calls.get(caseIdOf(boom))).toBe(1);
      expect(await findCase(m.db, caseIdOf(boom))).toBeUndefined();
      expect(await caseCount()).toBe(49);
      expect(await currentVersion(m.db)).toBeLessThan(before + 1000);
      expect(await lastSeq()).toBe(50);
    } finally {
      serverMutators.createCase = original;
    }
  });

  it('refuses a batch that skips a seq and applies nothing', async () => {
    const res = (await push([createCase(clientId, 2)])).response;
    expect(res).toEqual({ ok: false, error: { code: 'seq_gap', message: expect.any(String) as string } });
    expect(await lastSeq()).toBe(0);
    expect(await caseCount()).toBe(0);
    // Once the missing mutation arrives, both apply in order.
    const both = okResponse((await push([createCase(clientId, 1), createCase(clientId, 2)])).response);
    expect(both.outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
  });

  it('refuses a reused seq carrying a different mutation', async () => {
    await push([createCase(clientId, 1)]);
    const res = (await push([createCase(clientId, 1)])).response;
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('seq_reused');
    expect(await caseCount()).toBe(1);
  });

  it('refuses a batch with non-consecutive seqs before applying any of it', async () => {
    const res = (await push([createCase(clientId, 1), createCase(clientId, 3)])).response;
    expect(res).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await lastSeq()).toBe(0);
    expect(await caseCount()).toBe(0);
  });

  it('applies nothing of a batch whose first seq reuses another mutation’s', async () => {
    await push([createCase(clientId, 1)]);
    const res = (await push([createCase(clientId, 1), createCase(clientId, 2)])).response;
    expect(res).toMatchObject({ ok: false, error: { code: 'seq_reused' } });
    expect(await lastSeq()).toBe(1);
    expect(await caseCount()).toBe(1);
  });

  it('turns an unexpected failure of one mutation into its rejection, undoing its partial writes', async () => {
    const original = serverMutators.createCase;
    let calls = 0;
    serverMutators.createCase = async (ctx, args) => {
      calls += 1;
      if (calls === 1) {
        // Writes, then fails like a bug would: the write must not survive.
        await ctx.q.run('UPDATE version_counter SET version = version + 1000 WHERE id = 1');
        throw new Error('boom');
      }
      return original(ctx, args);
    };
    try {
      const before = await currentVersion(m.db);
      const res = okResponse((await push([createCase(clientId, 1), createCase(clientId, 2)])).response);
      expect(res.outcomes.map((o) => [o.status, o.reason?.code])).toEqual([
        ['rejected', 'server_error'],
        ['applied', undefined],
      ]);
      expect(await currentVersion(m.db)).toBeLessThan(before + 1000);
      expect(await caseCount()).toBe(1);
      expect(await lastSeq()).toBe(2);
    } finally {
      serverMutators.createCase = original;
    }
  });

  it('refuses a batch containing another client’s mutation', async () => {
    const res = (await push([createCase(crypto.randomUUID(), 1)])).response;
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('bad_request');
    expect(await caseCount()).toBe(0);
  });

  it.each([
    ['invalid_args', { callerPhone: 'not a phone' }],
    ['bad_number', { number: 'S0999-000001' }],
  ])('rejects %s', async (code, overrides) => {
    const res = okResponse((await push([createCase(clientId, 1, overrides)])).response);
    expect(res.outcomes[0]).toMatchObject({ status: 'rejected', reason: { code } });
    expect(await caseCount()).toBe(0);
  });

  it('rejects a role that may not register cases', async () => {
    const trainer = await insertUser(m.db, { role: 'trainer', team: 'training', station: STATION });
    await m.db.run('UPDATE clients SET user_id = ? WHERE client_id = ?', [trainer.sub, clientId]);
    const res = okResponse((await push([createCase(clientId, 1)], trainer)).response);
    expect(res.outcomes[0]).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
  });

  it('rejects a case number or id that is already taken', async () => {
    const first = createCase(clientId, 1);
    await push([first]);
    const sameNumber = createCase(clientId, 2, { number: (first.args as { number: string }).number });
    const sameId = createCase(clientId, 3, { id: caseIdOf(first), number: formatCaseNumber(STATION, 3) });
    const res = okResponse((await push([sameNumber, sameId])).response);
    expect(res.outcomes.map((o) => o.reason?.code)).toEqual(['number_taken', 'duplicate_id']);
    expect(await caseCount()).toBe(1);
  });

  it('dates a case no later than the server clock', async () => {
    const future = Date.now() + 3_600_000;
    const mut = createCase(clientId, 1, { createdAt: future });
    await push([mut]);
    const saved = await findCase(m.db, caseIdOf(mut));
    expect(saved?.createdAt).toBeLessThan(future);
    expect(saved?.createdAt).toBeLessThanOrEqual(Date.now());
  });

  describe('reassignCase', () => {
    let lead: TokenClaims;
    let leadClient: string;
    let leadSeq: number;
    let op2: TokenClaims;
    let caseId: string;

    beforeEach(async () => {
      lead = await insertUser(m.db, { role: 'lead', station: STATION });
      op2 = await insertUser(m.db);
      leadClient = crypto.randomUUID();
      leadSeq = 0;
      await ensureClient(m.db, leadClient, lead.sub, STATION);
      const created = createCase(clientId, 1);
      caseId = caseIdOf(created);
      expect(okResponse((await push([created])).response).outcomes[0]?.status).toBe('applied');
    });

    function reassign(toUserId: string, expectedRev: number, id = caseId): Mutation {
      leadSeq += 1;
      return { clientId: leadClient, seq: leadSeq, id: crypto.randomUUID(), name: 'reassignCase', args: { caseId: id, toUserId, expectedRev }, at: Date.now() };
    }
    const pushAs = (claims: TokenClaims, client: string, mutations: Mutation[]) => applyPush(m.db, claims, STATION, { clientId: client, mutations });
    const byLead = (mutations: Mutation[]) => pushAs(lead, leadClient, mutations);

    it('a lead hands the case on: assignee, rev + 1, a reassigned event, and the case in the new holder’s scope', async () => {
      const before = await findCase(m.db, caseId);
      const mut = reassign(op2.sub, 1);
      const { response, pokes } = await byLead([mut]);
      expect(okResponse(response).outcomes).toEqual([{ seq: 1, id: mut.id, status: 'applied' }]);
      const after = await findCase(m.db, caseId);
      expect(after).toEqual({
        ...before,
        assignee: op2.sub,
        rev: 2,
        updatedAt: after?.updatedAt,
        timeline: [
          ...(before?.timeline ?? []),
          { at: after?.updatedAt, kind: 'reassigned', actor: lead.sub, actorKind: 'staff', station: STATION, note: null, data: { from: user.sub, to: op2.sub } },
        ],
      });
      expect(after?.updatedAt).toBeGreaterThanOrEqual(before?.updatedAt ?? 0);
      expect((await caseEvents(m.db, caseId)).map((e) => [e.kind, e.actor])).toEqual([
        ['registered', user.sub],
        ['reassigned', lead.sub],
      ]);
      // Team, creator (still holds it as its registrant) and the new holder all get the new state.
      expect(pokes.map((p) => p.scope).sort()).toEqual([teamScope('team-a'), userScope(user.sub), userScope(op2.sub)].sort());
      for (const p of pokes) expect(p.changes).toEqual([expect.objectContaining({ id: caseId, data: after })]);
      const theirs = await changesSince(m.db, { [userScope(op2.sub)]: 0 }, 100);
      expect(theirs.changes.map((c) => c.data)).toEqual([after]);
    });

    it('moving it on again leaves a tombstone in the former holder’s scope, data in the team’s', async () => {
      const op3 = await insertUser(m.db);
      okResponse((await byLead([reassign(op2.sub, 1)])).response);
      const cursor = (await changesSince(m.db, { [userScope(op2.sub)]: 0, [teamScope('team-a')]: 0 }, 100)).cursors;
      const { response, pokes } = await byLead([reassign(op3.sub, 2)]);
      expect(okResponse(response).outcomes[0]?.status).toBe('applied');
      const now = await findCase(m.db, caseId);
      expect(now).toMatchObject({ assignee: op3.sub, rev: 3 });
      const page = await changesSince(m.db, cursor, 100);
      expect(page.changes.filter((c) => c.scope === userScope(op2.sub))).toEqual([expect.objectContaining({ id: caseId, data: null })]);
      expect(page.changes.filter((c) => c.scope === teamScope('team-a'))).toEqual([expect.objectContaining({ id: caseId, data: now })]);
      expect(pokes.find((p) => p.scope === userScope(op2.sub))?.changes).toEqual([expect.objectContaining({ data: null })]);
      expect(pokes.find((p) => p.scope === userScope(op3.sub))?.changes).toEqual([expect.objectContaining({ data: now })]);
    });

    it('of two leads expecting the same revision, the second gets a conflict carrying the case as it is now', async () => {
      const lead2 = await insertUser(m.db, { role: 'lead', station: STATION });
      const lead2Client = crypto.randomUUID();
      await ensureClient(m.db, lead2Client, lead2.sub, STATION);
      const op3 = await insertUser(m.db);

      const winner = okResponse((await byLead([reassign(op2.sub, 1)])).response);
      expect(winner.outcomes[0]?.status).toBe('applied');
      const version = await currentVersion(m.db);

      const loserMut: Mutation = {
        clientId: lead2Client,
        seq: 1,
        id: crypto.randomUUID(),
        name: 'reassignCase',
        args: { caseId, toUserId: op3.sub, expectedRev: 1 },
        at: Date.now(),
      };
      const { response, pokes } = await pushAs(lead2, lead2Client, [loserMut]);
      const loser = okResponse(response);
      const now = await findCase(m.db, caseId);
      expect(now).toMatchObject({ assignee: op2.sub, rev: 2 });
      expect(loser.outcomes).toEqual([
        { seq: 1, id: loserMut.id, status: 'rejected', reason: { code: 'conflict', message: expect.stringContaining('1 → 2') as string, current: now } },
      ]);
      // Nothing of the loser's was written or announced; the mutation is logged as rejected.
      expect(pokes).toEqual([]);
      expect(await currentVersion(m.db)).toBe(version);
      expect(await loggedMutation(m.db, lead2Client, 1)).toMatchObject({ status: 'rejected', reasonCode: 'conflict' });
      // Redone on the revision it now knows, it applies.
      const redo: Mutation = { ...loserMut, seq: 2, id: crypto.randomUUID(), args: { caseId, toUserId: op3.sub, expectedRev: 2 } };
      expect(okResponse((await pushAs(lead2, lead2Client, [redo])).response).outcomes[0]?.status).toBe('applied');
      expect(await findCase(m.db, caseId)).toMatchObject({ assignee: op3.sub, rev: 3 });
    });

    it('a stale expected revision conflicts even when it names the current holder', async () => {
      okResponse((await byLead([reassign(op2.sub, 1)])).response);
      const res = okResponse((await byLead([reassign(op2.sub, 1)])).response);
      expect(res.outcomes[0]).toMatchObject({ status: 'rejected', reason: { code: 'conflict', current: { rev: 2 } } });
      expect(await findCase(m.db, caseId)).toMatchObject({ rev: 2 });
    });

    it('a case made and reassigned in one batch gets one poke per scope', async () => {
      const fresh = createCase(leadClient, 1, { number: formatCaseNumber(STATION, 99) });
      leadSeq = 1;
      const { response, pokes } = await byLead([fresh, reassign(op2.sub, 1, caseIdOf(fresh))]);
      expect(okResponse(response).outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
      expect(await findCase(m.db, caseIdOf(fresh))).toMatchObject({ createdBy: lead.sub, assignee: op2.sub, rev: 2 });
      const team = pokes.filter((p) => p.scope === teamScope('team-a'));
      expect(team).toHaveLength(1);
      // Writes of one entity in one transaction collapse: only its final state is logged and poked.
      expect(team[0]?.changes?.map((c) => (c.data as { rev: number }).rev)).toEqual([2]);
      expect(team[0]?.version).toBe(team[0]?.changes?.[0]?.version);
      expect(pokes.map((p) => p.scope).sort()).toEqual([teamScope('team-a'), userScope(lead.sub), userScope(op2.sub)].sort());
    });

    it('refuses an operator', async () => {
      const res = okResponse((await push([reassign(op2.sub, 1)].map((mm) => ({ ...mm, clientId, seq: 2 })))).response);
      expect(res.outcomes[0]).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
      expect(await findCase(m.db, caseId)).toMatchObject({ assignee: user.sub, rev: 1 });
    });

    it('rejects an unknown case as not_found', async () => {
      const res = okResponse((await byLead([reassign(op2.sub, 1, crypto.randomUUID())])).response);
      expect(res.outcomes[0]).toMatchObject({ status: 'rejected', reason: { code: 'not_found' } });
    });

    it.each([
      ['an unknown user', async () => Promise.resolve('no-such-user')],
      ['a trainer', async () => (await insertUser(m.db, { role: 'trainer', team: 'training' })).sub],
      ['an editor', async () => (await insertUser(m.db, { role: 'editor', team: 'knowledge' })).sub],
      [
        'a deactivated operator',
        async () => {
          const gone = await insertUser(m.db);
          await m.db.run('UPDATE users SET active = 0 WHERE id = ?', [gone.sub]);
          return gone.sub;
        },
      ],
    ])('rejects %s as the target with invalid_args', async (_label, target) => {
      const res = okResponse((await byLead([reassign(await target(), 1)])).response);
      expect(res.outcomes[0]).toMatchObject({ status: 'rejected', reason: { code: 'invalid_args' } });
      expect(await findCase(m.db, caseId)).toMatchObject({ assignee: user.sub, rev: 1 });
    });

    it('may hand a case to another lead', async () => {
      const lead2 = await insertUser(m.db, { role: 'lead' });
      expect(okResponse((await byLead([reassign(lead2.sub, 1)])).response).outcomes[0]?.status).toBe('applied');
      expect(await findCase(m.db, caseId)).toMatchObject({ assignee: lead2.sub, rev: 2 });
    });
  });
});
