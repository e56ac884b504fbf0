import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/app';
import { tlsFromArgs } from '../../src/server/tls';
import { WorkstationCore } from '../../src/main/core/core';
import { checkServerUrl } from '../../src/main/core/server-url';
import { BACKENDS } from '../helpers/backends';
import { Cleanup } from '../helpers/cleanup';
import { startCoreProcess } from '../helpers/core-process';
import { startTestServer } from '../helpers/test-server';
import { makeTempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';

// TLS end to end (issue 13): a private CA and a server certificate for localhost/127.0.0.1 made
// now with openssl; the server serves HTTPS and WSS with them; a workstation core in its own
// process trusts the CA through NODE_EXTRA_CA_CERTS, logs in over HTTPS and syncs a case over WSS.

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

/** ca.pem (a CA of its own) and cert.pem/key.pem signed by it for localhost and 127.0.0.1. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Hotline test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'server.csr', '-subj', '/CN=localhost'], dir);
  fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'cert.pem', '-days', '2', '-extfile', 'ext.cnf'], dir);
  return { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') };
}

function getStatus(url: string, ca?: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    https.get(url, ca ? { ca } : {}, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

const sqlite = BACKENDS.find((b) => b.name === 'sqlite') ?? BACKENDS[0];
if (!sqlite) throw new Error('no storage backend');

describe('TLS: HTTPS and WSS between a workstation and the server', () => {
  const cleanup = new Cleanup();
  let server: RunningServer;
  let files: { ca: string; cert: string; key: string };

  beforeAll(async () => {
    const dir = makeTempDir('hotline-tls-');
    files = makeCertificates(dir);
    const tls = tlsFromArgs({ cert: files.cert, key: files.key }, {});
    ({ server } = await startTestServer(sqlite, cleanup, { tls }));
  }, 60_000);
  afterAll(() => cleanup.run());

  it('serves HTTPS that a client trusting the CA accepts and any other client refuses', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await getStatus(`${server.url}/healthz`, fs.readFileSync(files.ca))).toBe(200);
    await expect(getStatus(`${server.url}/healthz`)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    // Plain HTTP on the TLS port gets no answer it could mistake for the API.
    await expect(fetch(server.url.replace('https:', 'http:') + '/healthz').then((r) => r.status)).rejects.toThrow();
  });

  it('a workstation core trusting the CA logs in over HTTPS and syncs a case over WSS', async () => {
    const core = await startCoreProcess({ serverUrl: `https://localhost:${server.port}`, dataDir: makeTempDir('hotline-tls-ws-'), create: 1, env: { NODE_EXTRA_CA_CERTS: files.ca } });
    cleanup.add(() => core.kill());
    const line = await core.waitForLine(/^saved /);
    const number = line.split(' ')[1] ?? '';
    const row = await waitFor(() => server.db.get<{ number: string; description: string }>('SELECT number, description FROM cases WHERE number = ?', [number]), 20_000, { message: `case ${number} on the server` });
    expect(row.description).toContain('夜间施工噪音扰民');
    await core.waitForLine(/status online=true pending=0/);
    await core.stop();
  });

  it('reads certificate and key together, or refuses to start', () => {
    expect(tlsFromArgs({}, {})).toBeUndefined();
    expect(() => tlsFromArgs({ cert: files.cert }, {})).toThrow(/both a certificate and a key/);
    expect(() => tlsFromArgs({}, { HOTLINE_TLS_CERT: files.cert, HOTLINE_TLS_KEY: '/nonexistent/key.pem' })).toThrow(/cannot read the TLS key \/nonexistent\/key.pem/);
    expect(tlsFromArgs({}, { HOTLINE_TLS_CERT: files.cert, HOTLINE_TLS_KEY: files.key })?.cert.toString()).toContain('BEGIN CERTIFICATE');
  });
});

describe('the workstation refuses plain HTTP to another machine unless told', () => {
  it('accepts https anywhere and http to loopback only', () => {
    for (const ok of ['https://hotline.example.cn', 'https://10.0.0.5:4100', 'http://127.0.0.1:4100', 'http://localhost:4100', 'http://[::1]:4100', 'http://127.8.9.10']) expect(checkServerUrl(ok, false)).toBe(ok);
    for (const bad of ['http://10.0.0.5:4100', 'http://hotline.example.cn', 'http://127.0.0.1.nip.io', 'http://0.0.0.0:4100']) {
      expect(() => checkServerUrl(bad, false)).toThrow(/refusing the plain-HTTP server URL .*--allow-insecure-server/);
      expect(checkServerUrl(bad, true)).toBe(bad);
    }
    expect(() => checkServerUrl('ftp://x', true)).toThrow(/must be https/);
    expect(() => checkServerUrl('not a url', true)).toThrow(/not a URL/);
  });

  it('is checked when the core is made, and the explicit option lets it through', async () => {
    const dataDir = makeTempDir('hotline-insecure-');
    expect(() => new WorkstationCore({ dataDir, serverUrl: 'http://10.0.0.5:4100', mode: 'browser', version: 'test' })).toThrow(/refusing the plain-HTTP server URL/);
    const core = new WorkstationCore({ dataDir, serverUrl: 'http://10.0.0.5:4100', mode: 'browser', version: 'test', allowInsecureServer: true });
    await core.close();
  });
});
