import crypto from 'node:crypto';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationCore } from '../../src/main/core/core';
import type { Database } from '../../src/server/db/driver';
import type { RunningServer } from '../../src/server/app';
import type { CaseView } from '../../src/shared/domain/case';
import { CaseListScope } from '../../src/shared/contract/contract';
import { UNIT_API_BASE } from '../../src/shared/units/api';
import { RATES_API_PATH } from '../../src/shared/rates/api';
import { BACKENDS } from '../helpers/backends';
import { Cleanup } from '../helpers/cleanup';
import { call } from '../helpers/core';
import { readApiKeys, unitKey } from '../helpers/api-keys';
import { startTestServer } from '../helpers/test-server';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { caseDraft, closeWhenIdle, openCore, waitSynced } from '../helpers/workstations';

/**
 * Every table of a server store: its row count and a digest of its rows in a stable order — what
 * "the live store did not change by one row" compares (a digest keeps a failure readable).
 */
async function dump(db: Database): Promise<Record<string, string>> {
  const tables =
    db.dialect === 'sqlite'
      ? await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      : await db.all<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const rows = (await db.all(`SELECT * FROM ${name}`)).map((r) => JSON.stringify(r)).sort();
    out[name] = `${rows.length} rows, sha256 ${crypto.createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return out;
}

/** Every row of every table of a workstation's local file, as text. */
function localDump(file: string): string {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t}`).all())).join('\n');
  } finally {
    db.close();
  }
}

/**
 * Practice and live work are two data spaces: a case registered in training lives in the training
 * stores only. Whatever practice does, the live server store does not change by one row, and no
 * live query — the workstation's lists and searches, the unit API, Open311, the rates, a live
 * workstation's own file — ever sees it; and the other way round.
 */
describe.each(BACKENDS)('data spaces on $name', (backend) => {
  const cleanup = new Cleanup();
  let server: RunningServer;
  let root: string;
  let live: WorkstationCore;
  let trainee: WorkstationCore;
  let liveCase: CaseView;
  let practice: CaseView[];
  let before: Record<string, string>;
  let dataDir: string;
  const UNIT = 'district.110105';

  beforeAll(async () => {
    root = makeTempDir('hotline-spaces-');
    cleanup.add(() => removeDir(root));
    const started = await startTestServer(backend, cleanup);
    server = started.server;
    dataDir = started.storage.dataDir;
    live = openCore(path.join(root, 'live'), server.url);
    trainee = openCore(path.join(root, 'trainee'), server.url);
    cleanup.add(() => closeWhenIdle(live));
    cleanup.add(() => closeWhenIdle(trainee));

    // A live case the trainee must never see.
    await call(live, 'session.login', { username: 'op1', password: 'hotline123' });
    await waitFor(async () => (await call(live, 'reference.categories', {})).length > 0, 20_000, { message: 'live categories' });
    liveCase = await call(live, 'cases.create', caseDraft(1, 'live'));
    await waitSynced(live, 20_000);

    // op2 practises on another workstation; its login mirrors op2 into the practice directory.
    const session = await call(trainee, 'session.login', { username: 'op2', password: 'hotline123', space: 'training' });
    expect(session.space).toBe('training');
    await waitFor(async () => (await call(trainee, 'reference.categories', {})).length > 0, 20_000, { message: 'practice categories' });
    await waitFor(async () => (await call(trainee, 'reference.units', {})).length > 300, 20_000, { message: 'practice units' });
    before = await dump(server.db);

    // Practice: two cases, one dispatched to a real unit's id, one reassigned-free second case.
    practice = [await call(trainee, 'cases.create', caseDraft(1, 'practice')), await call(trainee, 'cases.create', caseDraft(2, 'practice'))];
    const first = practice[0];
    if (!first) throw new Error('no practice case');
    await call(trainee, 'cases.step', { caseId: first.id, step: { action: 'dispatch', unitId: UNIT } });
    await waitSynced(trainee, 20_000);
    await waitFor(async () => (await call(trainee, 'cases.get', { caseId: first.id })).status === 'dispatched' && !(await call(trainee, 'cases.get', { caseId: first.id })).pending, 20_000, {
      message: 'practice dispatch confirmed',
    });
  });
  afterAll(() => cleanup.run());

  it('numbers practice cases apart: T instead of S, the same station', () => {
    expect(liveCase.number).toMatch(/^S\d{4}-\d{6}$/);
    for (const c of practice) expect(c.number).toMatch(/^T\d{4}-\d{6}$/);
  });

  it('the live server store has not changed by one row while practice went on', async () => {
    expect(await dump(server.db)).toEqual(before);
  });

  it('the training server store holds the practice cases and no live one', async () => {
    const training = await server.spaces.get('training');
    const numbers = (await training.all<{ number: string }>('SELECT number FROM cases ORDER BY number')).map((r) => r.number);
    expect(numbers).toEqual(practice.map((c) => c.number).sort());
    const rows = await training.all<{ id: string }>('SELECT entity_id AS id FROM changes UNION ALL SELECT case_id AS id FROM case_events UNION ALL SELECT id FROM cases');
    expect(rows.some((r) => r.id === liveCase.id)).toBe(false);
    // The directory is mirrored without a single password hash.
    const hashes = await training.all<{ password_hash: string }>('SELECT password_hash FROM users');
    expect(hashes.length).toBeGreaterThan(0);
    expect(hashes.every((h) => h.password_hash === '!mirrored')).toBe(true);
    expect(await training.get("SELECT 1 AS x FROM api_keys")).toBeUndefined();
  });

  it('no live query sees a practice case: the workstation, the unit API, Open311, the rates', async () => {
    // A live workstation of the same team, its four lists and each case by id.
    for (const scope of CaseListScope.options) {
      const list = await call(live, 'cases.list', { scope, limit: 500 });
      for (const c of practice) expect(list.some((l) => l.id === c.id || l.number === c.number)).toBe(false);
    }
    for (const c of practice) expect((await live.invoke('cases.get', { caseId: c.id })).ok).toBe(false);
    // The unit the practice case was dispatched to.
    const keys = readApiKeys(dataDir);
    const res = await fetch(`${server.url}${UNIT_API_BASE}/cases`, { headers: { authorization: `Bearer ${unitKey(keys, UNIT)}` } });
    expect(res.status).toBe(200);
    const unitCases = JSON.stringify(await res.json());
    for (const c of practice) expect(unitCases).not.toContain(c.number);
    const one = await fetch(`${server.url}${UNIT_API_BASE}/cases/${practice[0]?.number ?? ''}`, { headers: { authorization: `Bearer ${unitKey(keys, UNIT)}` } });
    expect(one.status).toBe(404);
    // Open311's public listing.
    const listed = await (await fetch(`${server.url}/open311/v2/requests.json`)).text();
    expect(listed).toContain(liveCase.number);
    for (const c of practice) expect(listed).not.toContain(c.number);
    // The rates count the live dispatch world only.
    const lead = openCore(path.join(root, 'lead'), server.url);
    cleanup.add(() => closeWhenIdle(lead));
    await call(lead, 'session.login', { username: 'lead1', password: 'hotline123' });
    const rates = await call(lead, 'rates.get', { from: Date.now() - 3_600_000, to: Date.now() + 60_000, groupBy: 'unit' });
    expect(rates.groups.some((g) => g.key === UNIT)).toBe(false);
  });

  it('a rates request with a practice token is refused', async () => {
    const login = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'lead1', password: 'hotline123', stationKey: crypto.randomUUID(), space: 'training' }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const res = await fetch(`${server.url}${RATES_API_PATH}?from=0&to=1000`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(res.status).toBe(403);
  });

  it('each workstation space is its own file: practice in training.sqlite only, live in workstation.sqlite only', async () => {
    await waitSynced(live, 20_000);
    const liveFile = localDump(path.join(root, 'live', 'workstation.sqlite'));
    for (const c of practice) {
      expect(liveFile).not.toContain(c.id);
      expect(liveFile).not.toContain(c.number);
    }
    const practiceFile = localDump(path.join(root, 'trainee', 'training.sqlite'));
    expect(practiceFile).not.toContain(liveCase.id);
    expect(practiceFile).toContain(practice[0]?.id);
    // The trainee's live file holds no case at all.
    expect(localDump(path.join(root, 'trainee', 'workstation.sqlite'))).not.toContain(liveCase.id);
  });

  it('knowledge editors have no practice space; the refusal names the reason', async () => {
    const editor = openCore(path.join(root, 'editor'), server.url);
    cleanup.add(() => closeWhenIdle(editor));
    const res = await editor.invoke('session.login', { username: 'editor1', password: 'hotline123', space: 'training' });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('forbidden');
  });
});
