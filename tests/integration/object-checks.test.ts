import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/app';
import { findCase } from '../../src/server/store/cases';
import { formatCaseNumber } from '../../src/shared/domain/case';
import { BACKENDS } from '../helpers/backends';
import { Cleanup } from '../helpers/cleanup';
import { ProtocolClient } from '../helpers/protocol-client';
import { startTestServer } from '../helpers/test-server';

// Object-level checks beyond the role (issue 13): a duplicate merges only into a case of its own
// team; a case is handed only to a user of its team, unless an admin moves it across teams and
// says so. Real server, real sockets, on each backend.

describe.each(BACKENDS)('object-level checks on $name', (backend) => {
  let server: RunningServer;
  const clients: Record<string, ProtocolClient> = {};
  const ids: Record<string, string> = {};
  const cleanup = new Cleanup();
  let seq = 0;

  beforeAll(async () => {
    ({ server } = await startTestServer(backend, cleanup));
    for (const u of ['op1', 'op3', 'lead1', 'admin']) {
      const c = await ProtocolClient.connect(server.url, u);
      cleanup.add(() => c.close());
      clients[u] = c;
    }
    for (const u of ['op1', 'op2', 'op3']) ids[u] = (await server.db.get<{ id: string }>('SELECT id FROM users WHERE username = ?', [u]))?.id ?? '';
  }, 60_000);
  afterAll(() => cleanup.run());

  const client = (u: string): ProtocolClient => {
    const c = clients[u];
    if (!c) throw new Error(`${u} not connected`);
    return c;
  };

  /** A case registered by `username` (so in their team); returns its id and number. */
  async function registered(username: string): Promise<{ id: string; number: string }> {
    const c = client(username);
    const id = crypto.randomUUID();
    const number = formatCaseNumber(c.login.station, ++seq);
    const res = await c.push([c.mutation('createCase', { id, number, createdAt: Date.now(), callerPhone: '13800138000', callerName: '李女士', categoryCode: 'urban.parking', address: '东城区东华门街道', description: '门口违章停车' })]);
    expect(res.ok && res.outcomes[0]?.status).toBe('applied');
    return { id, number };
  }

  async function outcome(username: string, name: 'mergeCase' | 'reassignCase', args: Record<string, unknown>) {
    const c = client(username);
    const res = await c.push([c.mutation(name, args)]);
    if (!res.ok) throw new Error('push refused');
    return res.outcomes[0];
  }

  it("merges a duplicate only into a case of its own team, for an operator, a lead and an admin alike", async () => {
    const mine = await registered('op1');
    const other = await registered('op3');
    const theirs = await findCase(server.db, other.id);
    expect(theirs?.team).toBe('team-b');
    for (const who of ['op1', 'lead1', 'admin']) {
      const o = await outcome(who, 'mergeCase', { caseId: mine.id, expectedRev: 1, intoCaseId: other.id, intoNumber: other.number });
      expect(o?.status, who).toBe('rejected');
      expect(o?.reason?.code, who).toBe('forbidden');
      expect(o?.reason?.message, who).toContain('team-b');
    }
    expect((await findCase(server.db, mine.id))?.status).toBe('registered');
    expect((await findCase(server.db, other.id))?.rev).toBe(1);
    // Within the team it goes through.
    const twin = await registered('op1');
    const ok = await outcome('op1', 'mergeCase', { caseId: twin.id, expectedRev: 1, intoCaseId: mine.id, intoNumber: mine.number });
    expect(ok?.status).toBe('applied');
  });

  it("reassigns only within the case's team; an admin moves a case across teams only when saying so", async () => {
    const c = await registered('op1');
    // A lead may not hand a team-a case to team-b's operator, with or without the flag.
    for (const acrossTeams of [false, true]) {
      const o = await outcome('lead1', 'reassignCase', { caseId: c.id, toUserId: ids.op3, expectedRev: 1, acrossTeams });
      expect(o?.status).toBe('rejected');
      expect(o?.reason).toMatchObject({ code: 'forbidden', message: expect.stringContaining('only an admin') as string });
    }
    // Old workstations send no flag: within the team, as before.
    expect((await outcome('lead1', 'reassignCase', { caseId: c.id, toUserId: ids.op2, expectedRev: 1 }))?.status).toBe('applied');
    // An admin without the flag is told to say so.
    const silent = await outcome('admin', 'reassignCase', { caseId: c.id, toUserId: ids.op3, expectedRev: 2 });
    expect(silent?.reason).toMatchObject({ code: 'forbidden', message: expect.stringContaining('say that the case moves') as string });
    const held = await findCase(server.db, c.id);
    expect([held?.team, held?.assignee]).toEqual(['team-a', ids.op2]);
    // With it, the case moves: team and holder, on the timeline.
    expect((await outcome('admin', 'reassignCase', { caseId: c.id, toUserId: ids.op3, expectedRev: 2, acrossTeams: true }))?.status).toBe('applied');
    const moved = await findCase(server.db, c.id);
    expect([moved?.team, moved?.assignee]).toEqual(['team-b', ids.op3]);
    expect(moved?.timeline.at(-1)).toMatchObject({ kind: 'reassigned', data: { from: ids.op2, to: ids.op3, fromTeam: 'team-a', toTeam: 'team-b' } });
    // Its new team's operator can now act on it; the old team's cannot.
    const step = await outcome('op3', 'mergeCase', { caseId: c.id, expectedRev: 3, intoCaseId: c.id, intoNumber: c.number });
    expect(step?.reason?.code).not.toBe('forbidden');
    const op1 = client('op1');
    const refused = await op1.push([op1.mutation('amendCase', { caseId: c.id, changes: { urgency: 'urgent' } })]);
    expect(refused.ok && refused.outcomes[0]?.reason?.code).toBe('forbidden');
  });
});
