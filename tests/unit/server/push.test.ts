import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TokenClaims } from '../../../src/server/auth/token';
import { applyPush } from '../../../src/server/sync/push';
import { serverMutators } from '../../../src/server/sync/mutators';
import { ensureClient, loggedMutation } from '../../../src/server/store/clients';
import { caseEvents, findCase, teamScope } from '../../../src/server/store/cases';
import { changesSince, currentVersion } from '../../../src/server/store/changes';
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
      categoryCode: 'urban.noise',
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

  it('applies a createCase: the case, its first event and its change in the team scope', async () => {
    const mut = createCase(clientId, 1);
    const { response, scopes } = await push([mut]);
    expect(okResponse(response)).toEqual({ ok: true, lastSeq: 1, outcomes: [{ seq: 1, id: mut.id, status: 'applied' }] });
    expect([...scopes]).toEqual([teamScope('team-a')]);
    const saved = await findCase(m.db, caseIdOf(mut));
    expect(saved).toMatchObject({ number: 'S0001-000001', status: 'registered', createdBy: user.sub, team: 'team-a', station: STATION });
    expect(await caseEvents(m.db, caseIdOf(mut))).toEqual([expect.objectContaining({ actor: user.sub, station: STATION, kind: 'registered' })]);
    const { changes } = await changesSince(m.db, [teamScope('team-a')], 0, 100);
    expect(changes.map((c) => c.id)).toEqual([caseIdOf(mut)]);
    expect(changes[0]?.data).toEqual(saved);
    expect(await lastSeq()).toBe(1);
    expect(await loggedMutation(m.db, clientId, 1)).toEqual({ mutationId: mut.id, status: 'applied', reasonCode: null, reasonMessage: null });
  });

  it('acknowledges a resent mutation as duplicate without a second effect', async () => {
    const mut = createCase(clientId, 1);
    await push([mut]);
    const version = await currentVersion(m.db);
    const { response, scopes } = await push([mut]);
    expect(okResponse(response)).toEqual({ ok: true, lastSeq: 1, outcomes: [{ seq: 1, id: mut.id, status: 'duplicate' }] });
    expect(scopes.size).toBe(0);
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
    expect(again.scopes.size).toBe(0);
    expect(await caseCount()).toBe(0);
    expect(await currentVersion(m.db)).toBe(version);
  });

  it('rejects one mutation of a batch and applies the rest', async () => {
    const batch = [createCase(clientId, 1), createCase(clientId, 2, { categoryCode: 'bogus' }), createCase(clientId, 3)];
    const res = okResponse((await push(batch)).response);
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
    expect((await changesSince(m.db, [teamScope('team-a')], 0, 100)).changes.map((ch) => ch.id)).toEqual([a, c]);
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
});
