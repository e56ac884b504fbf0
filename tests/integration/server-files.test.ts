import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/app';
import { createLogger } from '../../src/server/log';
import { openDatabase } from '../../src/server/db/open';
import { MIGRATIONS, migrate } from '../../src/server/db/migrations';
import { LEGACY_KID, TOKEN_KEYS_FILE } from '../../src/server/auth/token-keys';
import { API_KEYS_FILE } from '../../src/server/seed';
import { UNIT_API_BASE } from '../../src/shared/units/api';
import { readApiKeys, unitKey } from '../helpers/api-keys';
import { ProtocolClient } from '../helpers/protocol-client';
import { Cleanup } from '../helpers/cleanup';
import { REPO_ROOT } from '../helpers/paths';

const run = promisify(execFile);
const mode = (file: string) => fs.statSync(file).mode & 0o777;
const STREET = 'street.110105001';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-files-'));
  cleanup.add(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string): Promise<RunningServer> {
  const server = await startServer({ port: 0, dataDir, logger: createLogger({}, 'error') });
  cleanup.add(() => server.close());
  return server;
}

/** The server's own CLI, as an admin runs it: `npm run server -- --data <dir> <command> …`. */
function serverCli(dataDir: string, ...args: string[]) {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.HOTLINE_TOKEN_SECRET;
  return run(process.execPath, [path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/server/cli.ts', '--data', dataDir, ...args], { cwd: REPO_ROOT, env });
}

async function unitStatus(server: RunningServer, key: string): Promise<number> {
  const res = await fetch(`${server.url}${UNIT_API_BASE}/cases`, { headers: { authorization: `Bearer ${key}` } });
  await res.arrayBuffer();
  return res.status;
}

describe('server files and secrets (SQLite)', () => {
  it('keeps its data dir 0700 and every file it writes 0600, and no token secret in the database', async () => {
    const dataDir = path.join(tempDir(), 'data');
    fs.mkdirSync(dataDir, { mode: 0o755 });
    fs.chmodSync(dataDir, 0o755);
    const server = await start(dataDir);
    // A login writes to the WAL; every file the server made is there now.
    const op = await ProtocolClient.connect(server.url, 'op1');
    cleanup.add(() => op.close());

    expect(mode(dataDir)).toBe(0o700);
    const files = fs.readdirSync(dataDir).sort();
    expect(files).toEqual(expect.arrayContaining(['server.sqlite', 'server.sqlite-wal', 'server.sqlite-shm', API_KEYS_FILE, TOKEN_KEYS_FILE]));
    for (const f of files) expect([f, mode(path.join(dataDir, f))]).toEqual([f, 0o600]);
    expect(await server.db.all("SELECT key FROM server_meta WHERE key LIKE '%secret%'")).toEqual([]);
  });

  it('upgrades an older server: narrows 0755/0644, moves the token secret out of the database, and its tokens still verify', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const legacySecret = crypto.randomBytes(32);
    const old = openDatabase({ dataDir });
    await migrate(old, MIGRATIONS.slice(0, 9));
    await old.run('INSERT INTO server_meta (key, value) VALUES (?, ?)', ['token_secret', legacySecret.toString('base64')]);
    await old.close();
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(path.join(dataDir, 'server.sqlite'), 0o644);
    // A token the older server signed (no key id), an hour before its shift ends.
    const body = Buffer.from(JSON.stringify({ sub: 'u1', role: 'admin', team: 'team-a', station: 'S0001', space: 'live', kind: 'access', iat: Date.now(), exp: Date.now() + 3_600_000 })).toString('base64url');
    const oldToken = `${body}.${crypto.createHmac('sha256', legacySecret).update(body).digest('base64url')}`;

    const server = await start(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, 'server.sqlite'))).toBe(0o600);
    expect(await server.db.all("SELECT key FROM server_meta WHERE key = 'token_secret'")).toEqual([]);
    const ring = JSON.parse(fs.readFileSync(path.join(dataDir, TOKEN_KEYS_FILE), 'utf8')) as { current: string; keys: { kid: string; secret: string }[] };
    expect(ring.current).not.toBe(LEGACY_KID);
    expect(ring.keys.find((k) => k.kid === LEGACY_KID)?.secret).toBe(legacySecret.toString('base64'));
    expect(server.signer.verify(oldToken, 'access')).toMatchObject({ sub: 'u1' });

    // The admin retires the old secret with the CLI; the running server refuses its tokens at once.
    const retired = await serverCli(dataDir, 'retire-token-key', LEGACY_KID);
    expect(retired.stdout).toContain(`token key ${LEGACY_KID} retired`);
    expect(server.signer.verify(oldToken, 'access')).toBeNull();
  }, 90_000);

  it('rotates the token key and a unit API key from the CLI while the server runs', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const server = await start(dataDir);
    const op = await ProtocolClient.connect(server.url, 'op1');
    cleanup.add(() => op.close());
    const before = server.signer.sign({ sub: 'x', role: 'operator', team: 'team-a', station: 'S0001', kind: 'access' });

    const rotated = await serverCli(dataDir, 'rotate-token-key');
    const kid = /token key (\S+) signs/.exec(rotated.stdout)?.[1];
    expect(kid).toBeDefined();
    const after = server.signer.sign({ sub: 'x', role: 'operator', team: 'team-a', station: 'S0001', kind: 'access' });
    expect(JSON.parse(Buffer.from(after.split('.')[0] ?? '', 'base64url').toString('utf8'))).toMatchObject({ kid });
    expect(server.signer.verify(before, 'access')).toMatchObject({ sub: 'x' });
    // The session made before the rotation goes on: its socket still pulls.
    expect((await op.pull({})).ok).toBe(true);
    expect((await serverCli(dataDir, 'token-keys')).stdout).toContain(`* ${kid}`);
    expect(mode(path.join(dataDir, TOKEN_KEYS_FILE))).toBe(0o600);

    const oldKey = unitKey(readApiKeys(dataDir), STREET);
    expect(await unitStatus(server, oldKey)).toBe(200);
    const out = await serverCli(dataDir, 'rotate-api-key', STREET);
    expect(out.stdout).toMatch(/api key \S+ rotated/);
    const newKey = unitKey(readApiKeys(dataDir), STREET);
    expect(newKey).not.toBe(oldKey);
    expect(await unitStatus(server, oldKey)).toBe(401);
    expect(await unitStatus(server, newKey)).toBe(200);
    expect(mode(path.join(dataDir, API_KEYS_FILE))).toBe(0o600);
    await expect(serverCli(dataDir, 'rotate-api-key', 'street.nowhere')).rejects.toThrow(/no API key street.nowhere/);
  }, 180_000);
});
