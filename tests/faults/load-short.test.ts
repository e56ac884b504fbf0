import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';

// The load test's short version: a few hundred workstations on two nodes (PostgreSQL + Redis), two
// minutes of cases, one node SIGKILLed halfway and restarted, then the audit. The full day is
// `npm run load`; latency figures depend on the machine and are printed, not asserted here.
const PG = process.env.TEST_DATABASE_URL ?? '';
const REDIS = process.env.TEST_REDIS_URL ?? '';
const why = !PG ? 'TEST_DATABASE_URL is not set' : !REDIS ? 'TEST_REDIS_URL is not set' : '';
if (why) console.log(`load test (short) skipped: ${why} (.ci/run starts PostgreSQL and Redis)`);

const OPERATORS = 200;

describe.skipIf(why !== '')('a short day on two nodes with one killed halfway', () => {
  it('loses nothing, duplicates nothing, and every workstation ends with its team’s cases at the server’s revisions', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
        ['bench/load/load.ts', '--operators', String(OPERATORS), '--teams', '10', '--cases', '600', '--minutes', '2', '--procs', '2', '--json'],
        { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: PG, REDIS_URL: REDIS }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.once('error', reject);
      child.once('exit', () => (stdout.trim() ? resolve(stdout) : reject(new Error(`no result line\n${stderr.slice(-3000)}`))));
    });
    const line = out.trim().split('\n').pop() ?? '';
    console.log(line);
    const r = JSON.parse(line) as Record<string, unknown>;
    expect(r.cases_issued).toBe(600);
    expect(r.cases).toBe(600);
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
    expect(r.history_mismatch).toBe(0);
    expect(r.stale_views).toBe(0);
    expect(r.outbox_left).toBe(0);
    expect(r.views_reported).toBe(OPERATORS);
    expect(r.workstation_process_crashes).toBe(0);
    expect(r.never_visible_to_whole_team).toBe(0);
    // Every workstation of the killed node came back through the other node by itself.
    expect(r.killed_node_workstations).toBeGreaterThan(0);
    expect(r.reconnected_workstations).toBe(r.killed_node_workstations);
    expect(typeof r.failover_s).toBe('number');
  }, 480_000);
});
