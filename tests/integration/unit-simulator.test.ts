import crypto from 'node:crypto';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/app';
import { createLogger } from '../../src/server/log';
import { API_KEYS_FILE } from '../../src/server/seed';
import { findCase } from '../../src/server/store/cases';
import { formatCaseNumber } from '../../src/shared/domain/case';
import { BACKENDS, type FreshStorage } from '../helpers/backends';
import { Cleanup } from '../helpers/cleanup';
import { ProtocolClient } from '../helpers/protocol-client';
import { REPO_ROOT } from '../helpers/paths';
import { waitFor } from '../helpers/wait';

/** `npm run simulate:units` as a real child process against a real server. */
describe('unit simulator', () => {
  const cleanup = new Cleanup();
  let storage: FreshStorage;
  let server: RunningServer;
  let op: ProtocolClient;

  beforeAll(async () => {
    const sqlite = BACKENDS[0];
    if (!sqlite) throw new Error('no backend');
    storage = await sqlite.fresh();
    cleanup.add(() => storage.dispose());
    server = await startServer({ port: 0, dataDir: storage.dataDir, logger: createLogger({}, 'error') });
    cleanup.add(() => server.close());
    op = await ProtocolClient.connect(server.url, 'op1');
    cleanup.add(() => op.close());
  });
  afterAll(() => cleanup.run());

  it('signs for (or returns) and replies to every dispatched case of its units', async () => {
    const units = ['street.110105001', 'company.heating', 'bureau.housing'];
    const ids: string[] = [];
    const mutations = [];
    for (let i = 0; i < 12; i += 1) {
      const id = crypto.randomUUID();
      ids.push(id);
      mutations.push(
        op.mutation('createCase', { id, number: formatCaseNumber(op.login.station, i + 1), createdAt: Date.now(), callerPhone: '13800138000', callerName: '', categoryCode: 'noise.residential', address: '朝阳区建外街道', description: `模拟工单 ${i}` }),
        op.mutation('dispatchCase', { caseId: id, expectedRev: 1, unitId: units[i % units.length] }),
      );
    }
    const pushed = await op.push(mutations);
    expect(pushed.ok && pushed.outcomes.every((o) => o.status === 'applied')).toBe(true);

    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/simulate-units.ts', '--server', server.url, '--keys', path.join(storage.dataDir, API_KEYS_FILE), '--units', units.join(','), '--pace', 'fast', '--seed', '7', '--exit-after', '30'],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cleanup.add(() => {
      child.kill('SIGTERM');
    });
    const lines: string[] = [];
    child.stdout.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));

    await waitFor(
      async () => {
        const states = await Promise.all(ids.map(async (id) => (await findCase(server.db, id))?.status));
        return states.every((s) => s === 'replied' || s === 'returned') ? states : undefined;
      },
      25_000,
      { message: 'every case replied or returned' },
    );
    const events = lines.map((l) => JSON.parse(l) as { action: string; unitId: string; number: string });
    expect(events.filter((e) => e.action === 'error')).toEqual([]);
    for (const id of ids) {
      const c = await findCase(server.db, id);
      if (c?.status === 'replied') {
        expect(c.reply?.outcome).toMatch(/resolved|explained|unresolvable/);
        expect(c.timeline.filter((e) => e.actorKind === 'unit').map((e) => e.kind)).toEqual(['accept', 'reply']);
      }
    }
    // Only its own units acted.
    expect(new Set(events.map((e) => e.unitId))).toEqual(new Set(units));
  });
});
