import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/app';
import { readApiKeys, unitKey } from '../helpers/api-keys';
import { Poke, decodeFrame } from '../../src/shared/sync/protocol';
import { UNIT_API_BASE, UnitCaseList, UnitStepResponse } from '../../src/shared/units/api';
import { formatCaseNumber } from '../../src/shared/domain/case';
import { BACKENDS, type FreshStorage } from '../helpers/backends';
import { Cleanup } from '../helpers/cleanup';
import { startTestServer } from '../helpers/test-server';
import { ProtocolClient } from '../helpers/protocol-client';

const STREET = 'street.110105001';
const OTHER = 'street.110105002';

interface Reply {
  status: number;
  body: unknown;
}

describe.each(BACKENDS)('unit API on $name', (backend) => {
  let storage: FreshStorage;
  let server: RunningServer;
  let keys: Record<string, string>;
  let op: ProtocolClient;
  const cleanup = new Cleanup();

  beforeAll(async () => {
    ({ storage, server } = await startTestServer(backend, cleanup));
    keys = readApiKeys(storage.dataDir);
    op = await ProtocolClient.connect(server.url, 'op1');
    cleanup.add(() => op.close());
  });
  afterAll(() => cleanup.run());

  const keyOf = (unitId: string): string => unitKey(keys, unitId);
  const call = async (method: string, route: string, opts: { key?: string | null; body?: unknown } = {}): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (opts.key !== null) headers.authorization = `Bearer ${opts.key ?? keyOf(STREET)}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${server.url}${UNIT_API_BASE}${route}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    return { status: res.status, body: await res.json().catch(() => null) };
  };
  const code = (r: Reply) => (r.body as { error?: { code?: string } }).error?.code;

  /** Registers and dispatches a case from the operator's client; returns its number. */
  const dispatched = async (unitId: string): Promise<{ id: string; number: string }> => {
    const id = crypto.randomUUID();
    const number = formatCaseNumber(op.login.station, Math.floor(Math.random() * 900_000) + 100_000);
    const res = await op.push([
      op.mutation('createCase', { id, number, createdAt: Date.now(), callerPhone: '13800138000', callerName: '李女士', categoryCode: 'noise.residential', address: '朝阳区建外街道建国路 88 号', description: '夜间施工噪音扰民' }),
      op.mutation('dispatchCase', { caseId: id, expectedRev: 1, unitId }),
    ]);
    if (!res.ok || res.outcomes.some((o) => o.status !== 'applied')) throw new Error(JSON.stringify(res));
    return { id, number };
  };

  it('keeps secrets out of the database and refuses a missing, unknown or non-unit key', async () => {
    const stored = await server.db.all<{ key_hash: string }>('SELECT key_hash FROM api_keys');
    expect(stored.length).toBeGreaterThan(300);
    expect(stored.some((r) => Object.values(keys).includes(r.key_hash))).toBe(false);
    expect(code(await call('GET', '/cases', { key: null }))).toBe('unauthenticated');
    expect((await call('GET', '/cases', { key: 'uk_street_110105001.forged' })).status).toBe(401);
    const open311 = keys.o311_demo;
    expect(open311).toBeDefined();
    expect((await call('GET', '/cases', { key: open311 })).status).toBe(401);
    // X-API-Key works as well as a bearer token.
    const res = await fetch(`${server.url}${UNIT_API_BASE}/cases`, { headers: { 'x-api-key': keyOf(STREET) } });
    expect(res.status).toBe(200);
  });

  it('lists only this unit’s open cases, with deadlines, and hides everyone else’s', async () => {
    const mine = await dispatched(STREET);
    const theirs = await dispatched(OTHER);
    const list = UnitCaseList.parse((await call('GET', '/cases')).body);
    expect(list.unitId).toBe(STREET);
    const found = list.cases.find((c) => c.number === mine.number);
    expect(found).toMatchObject({ status: 'dispatched', signState: 'on_time', replyState: 'on_time', callerPhone: '13800138000' });
    expect(found?.replyBy).toBe((found?.dispatchedAt ?? 0) + 7 * 24 * 3600_000);
    expect(list.cases.some((c) => c.number === theirs.number)).toBe(false);
    expect((await call('GET', `/cases/${theirs.number}`)).status).toBe(404);
    expect((await call('POST', `/cases/${theirs.number}/accept`, { body: {} })).status).toBe(404);
    const held = await call('GET', `/cases/${mine.number}`);
    expect(held.status).toBe(200);
    expect(UnitStepResponse.parse(held.body).case).toMatchObject({ callerName: '李女士', callerPhone: '13800138000', address: '朝阳区建外街道建国路 88 号' });
  });

  it('signs for, replies, and the team’s workstations are poked with the new state', async () => {
    const c = await dispatched(STREET);
    const pokes: Poke[] = [];
    op.socket.on('poke', (p: unknown) => pokes.push(Poke.parse(decodeFrame(p))));
    const accepted = await call('POST', `/cases/${c.number}/accept`, { body: {} });
    expect(accepted.status).toBe(200);
    expect(UnitStepResponse.parse(accepted.body).case).toMatchObject({ status: 'accepted', signState: 'done' });
    // Twice is refused: the lifecycle moved on.
    const again = await call('POST', `/cases/${c.number}/accept`, { body: {} });
    expect([again.status, code(again)]).toEqual([409, 'illegal_transition']);
    const replied = await call('POST', `/cases/${c.number}/reply`, { body: { outcome: 'resolved', text: '已协调施工方停止夜间作业', contactedAt: Date.now() } });
    expect(UnitStepResponse.parse(replied.body).case).toMatchObject({ status: 'replied', reply: { outcome: 'resolved' }, replyState: 'done' });
    await expect.poll(() => pokes.some((p) => p.changes?.some((ch) => ch.id === c.id && (ch.data as { status?: string } | null)?.status === 'replied'))).toBe(true);
    // Replied, the unit no longer holds it: its reply stays readable, the caller does not.
    const done = UnitStepResponse.parse((await call('GET', `/cases/${c.number}`)).body).case;
    expect(done).toMatchObject({ status: 'replied', reply: { outcome: 'resolved' }, callerName: null, callerPhone: null });
    // Replied cases leave the unit's open list.
    const list = UnitCaseList.parse((await call('GET', '/cases')).body);
    expect(list.cases.some((x) => x.number === c.number)).toBe(false);
  });

  it('returns with a reason; validates bodies and revisions', async () => {
    const c = await dispatched(STREET);
    const bad = await call('POST', `/cases/${c.number}/return`, { body: { reason: '' } });
    expect([bad.status, code(bad)]).toEqual([400, 'invalid_input']);
    const extra = await call('POST', `/cases/${c.number}/accept`, { body: { unitId: OTHER } });
    expect(extra.status).toBe(400);
    const stale = await call('POST', `/cases/${c.number}/return`, { body: { reason: '不属于本街道', expectedRev: 1 } });
    expect([stale.status, code(stale)]).toEqual([409, 'conflict']);
    const ok = await call('POST', `/cases/${c.number}/return`, { body: { reason: '不属于本街道', expectedRev: 2 } });
    expect(UnitStepResponse.parse(ok.body).case.status).toBe('returned');
    // Handed back, the case is no longer the unit's to work: the caller's name, number and address are withheld.
    for (const reply of [ok, await call('GET', `/cases/${c.number}`)]) {
      expect(reply.status).toBe(200);
      const after = UnitStepResponse.parse(reply.body).case;
      expect(after).toMatchObject({ status: 'returned', callerName: null, callerPhone: null, callbackWindow: null, address: '朝阳区建外街道' });
      expect(JSON.stringify(reply.body)).not.toMatch(/13800138000|李女士|88 号/);
    }
    expect((await call('POST', `/cases/${c.number}/teleport`, { body: {} })).status).toBe(404);
    expect((await call('GET', `/cases/${c.number}/reply`)).status).toBe(405);
  });
});
