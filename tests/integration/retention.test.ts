import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationCore } from '../../src/main/core/core';
import type { RunningServer } from '../../src/server/app';
import { retireCases } from '../../src/server/store/retire';
import { caseRetentionMs, DEFAULT_RETENTION_DAYS } from '../../src/server/sync/retention';
import type { CaseView } from '../../src/shared/domain/case';
import { BACKENDS } from '../helpers/backends';
import { Cleanup } from '../helpers/cleanup';
import { call } from '../helpers/core';
import { startTestServer } from '../helpers/test-server';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { caseDraft, closeWhenIdle, openCore, waitSynced } from '../helpers/workstations';

const DAY = 24 * 3_600_000;

/**
 * A workstation keeps its team's open cases and those closed within the retention; older ones
 * leave its store (tombstones) and are found on the server, by number, phone or words.
 */
describe.each(BACKENDS)('retention of closed cases and the server search on $name', (backend) => {
  const cleanup = new Cleanup();
  let root: string;
  let server: RunningServer;
  let op: WorkstationCore;
  let merged: CaseView;
  let open: CaseView;

  const login = async (dir: string, username: string) => {
    const core = openCore(path.join(root, dir), server.url);
    cleanup.add(() => closeWhenIdle(core));
    await call(core, 'session.login', { username, password: 'hotline123' });
    await waitFor(async () => (await call(core, 'reference.categories', {})).length > 0, 20_000, { message: 'categories' });
    return core;
  };

  beforeAll(async () => {
    root = makeTempDir('hotline-retention-');
    cleanup.add(() => removeDir(root));
    server = (await startTestServer(backend, cleanup)).server;
    op = await login('op', 'op1');
    open = await call(op, 'cases.create', { ...caseDraft(1, 'retention'), callerPhone: '13611112222', address: '西城区金融街街道', description: '井盖缺失，路人险些跌落' });
    const dup = await call(op, 'cases.create', { ...caseDraft(2, 'retention'), callerPhone: '13611112222', description: '还是那个井盖，已经报过' });
    await call(op, 'cases.step', { caseId: dup.id, step: { action: 'merge', intoNumber: open.number } });
    await waitSynced(op, 20_000);
    merged = await waitFor(
      async () => {
        const c = await call(op, 'cases.get', { caseId: dup.id });
        return c.status === 'merged' && !c.pending ? c : undefined;
      },
      20_000,
      { message: 'merge confirmed' },
    );
  });
  afterAll(() => cleanup.run());

  it('keeps a closed case for the retention (90 days unless CASE_RETENTION_DAYS says otherwise)', async () => {
    expect(caseRetentionMs()).toBe(DEFAULT_RETENTION_DAYS * DAY);
    const early = await retireCases(server.db, { now: (merged.closedAt ?? 0) + 89 * DAY, retentionMs: 90 * DAY });
    expect(early.retired).toBe(0);
  });

  it('then takes it out of every workstation scope, leaving the open case; a workstation drops it at its next pull', async () => {
    const later = await retireCases(server.db, { now: (merged.closedAt ?? 0) + 91 * DAY, retentionMs: 90 * DAY });
    expect(later.retired).toBe(1);
    expect(later.pokes.length).toBeGreaterThan(0);
    expect(later.pokes.flatMap((p) => p.changes ?? []).every((c) => c.id === merged.id && c.data === null)).toBe(true);
    // Done once: the next run finds nothing left to retire.
    expect((await retireCases(server.db, { now: (merged.closedAt ?? 0) + 92 * DAY, retentionMs: 90 * DAY })).retired).toBe(0);
    // A fresh login pulls (the live server pokes the scopes; the test has no room of its own).
    await closeWhenIdle(op);
    op = await login('op', 'op1');
    await waitSynced(op, 20_000);
    expect((await op.invoke('cases.get', { caseId: merged.id })).ok).toBe(false);
    expect((await call(op, 'cases.get', { caseId: open.id })).status).toBe('registered');
    expect((await call(op, 'cases.search', { q: '已经报过', limit: 10 })).cases).toEqual([]);
  });

  it('the server still finds it: by number, by the caller’s number, by words', async () => {
    const byNumber = await call(op, 'cases.searchServer', { q: merged.number, limit: 10 });
    expect(byNumber).toMatchObject({ matchedBy: 'number', cases: [{ id: merged.id, status: 'merged' }] });
    const byPhone = await call(op, 'cases.searchServer', { q: '136-1111-2222', limit: 10 });
    expect(byPhone.matchedBy).toBe('phone');
    expect(byPhone.cases.map((c) => c.id).sort()).toEqual([merged.id, open.id].sort());
    const byWords = await call(op, 'cases.searchServer', { q: '已经报过', limit: 10 });
    expect(byWords).toMatchObject({ matchedBy: 'text', cases: [{ id: merged.id }] });
  });

  it('an operator of another team finds none of it; a lead finds it', async () => {
    const other = await login('other', 'op3');
    expect((await call(other, 'cases.searchServer', { q: merged.number, limit: 10 })).cases).toEqual([]);
    const lead = await login('lead', 'lead1');
    expect((await call(lead, 'cases.searchServer', { q: merged.number, limit: 10 })).cases).toHaveLength(1);
  });
});
