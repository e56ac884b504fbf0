import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationCore } from '../../src/main/core/core';
import { startTelephonyHook, TELEPHONY_FILE, TelephonyFile, type TelephonyHook } from '../../src/main/core/host/telephony';
import type { IncomingCall } from '../../src/shared/contract/contract';
import { Cleanup } from '../helpers/cleanup';
import { call } from '../helpers/core';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { openCore } from '../helpers/workstations';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

/** The softphone's hook: a ringing line pops intake; only a holder of the install's token may ring it. */
describe('the telephony hook', () => {
  const cleanup = new Cleanup();
  let dir: string;
  let core: WorkstationCore;
  let hook: TelephonyHook;
  let token: string;
  const heard: IncomingCall[] = [];

  beforeAll(async () => {
    dir = makeTempDir('hotline-phone-');
    cleanup.add(() => removeDir(dir));
    // No server: a call pops intake whether or not the central server is reachable.
    core = openCore(dir, 'http://127.0.0.1:9');
    cleanup.add(() => core.close());
    core.events.on('call.incoming', (c) => heard.push(c));
    hook = await startTelephonyHook({ calls: core.calls, dataDir: dir, port: 0 });
    cleanup.add(() => hook.close());
    token = TelephonyFile.parse(JSON.parse(fs.readFileSync(path.join(dir, TELEPHONY_FILE), 'utf8'))).token;
  });
  afterAll(() => cleanup.run());

  const ring = (body: unknown, auth: string | null = `Bearer ${token}`) =>
    fetch(`${hook.url}/v1/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth === null ? {} : { authorization: auth }) },
      body: JSON.stringify(body),
    });

  it('keeps its URL and token in a file only this user can read, and the same token across restarts', async () => {
    const file = path.join(dir, TELEPHONY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = await startTelephonyHook({ calls: core.calls, dataDir: dir, port: 0 });
    try {
      expect(TelephonyFile.parse(JSON.parse(fs.readFileSync(file, 'utf8'))).token).toBe(token);
    } finally {
      await again.close();
    }
    // Back to the hook under test.
    fs.writeFileSync(file, JSON.stringify({ url: hook.url, token }));
  });

  it('refuses a call without the token, with a wrong one, or without a number', async () => {
    expect((await ring({ from: '13800138000' }, null)).status).toBe(401);
    expect((await ring({ from: '13800138000' }, 'Bearer nope')).status).toBe(401);
    expect((await ring({ number: '13800138000' })).status).toBe(400);
    expect((await ring({ from: 'not a phone' })).status).toBe(400);
    expect((await fetch(`${hook.url}/v1/calls`)).status).toBe(405);
    expect(heard).toEqual([]);
  });

  it('a ringing line reaches the workstation as call.incoming, the number normalised, and stays current until taken', async () => {
    const res = await ring({ from: '１３８００１３８０００', line: '12345-3' });
    expect(res.status).toBe(200);
    expect(heard.at(-1)).toMatchObject({ from: '13800138000', line: '12345-3' });
    expect(await call(core, 'call.current', {})).toMatchObject({ from: '13800138000' });
    await call(core, 'call.taken', {});
    expect(await call(core, 'call.current', {})).toBeNull();
  });

  it('npm run call rings it as a softphone script would', async () => {
    const before = heard.length;
    const { stdout } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/call.ts', '--from', '010-6512 3456', '--data', dir], { cwd: ROOT });
    expect(stdout).toContain('ringing');
    expect(heard.length).toBe(before + 1);
    expect(heard.at(-1)?.from).toBe('010-6512 3456');
  });
});
