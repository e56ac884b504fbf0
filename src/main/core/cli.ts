import path from 'node:path';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { WorkstationCore } from './core';
import { ALLOW_INSECURE_ENV } from './server-url';
import { startBrowserHost } from './host/browser';
import { findElectronBinary } from './host/electron-binary';
import { launchElectron } from './host/electron-launch';
import { appVersion, projectRoot } from './host/paths';
import { DEFAULT_TELEPHONY_PORT, startTelephonyHook, TELEPHONY_FILE } from './host/telephony';

const HELP = `usage: npm run workstation -- --server <url> [--browser] [--data <dir>] [--port <n>] [--call-port <n>]
  --browser   serve the workstation on http://127.0.0.1:<port> instead of opening the Electron window
  --data      local store directory (default ./data/workstation)
  --call-port the softphone hook's loopback port (default 4102; see npm run call)
  --allow-insecure-server  accept a plain http:// server URL on another machine (${ALLOW_INSECURE_ENV}=1);
              otherwise only https:// or http:// to this machine. A private CA: NODE_EXTRA_CA_CERTS=<ca.pem>`;

export async function runBrowserWorkstation(opts: {
  serverUrl: string;
  dataDir: string;
  port: number;
  /** The softphone hook's port (default 4102; 0: any free one). */
  callPort?: number;
}): Promise<{ url: string; telephonyUrl: string; close(): Promise<void> }> {
  const root = projectRoot();
  const rendererDir = path.join(root, 'out', 'renderer');
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`the renderer is not built (${rendererDir}/index.html missing): run npm run build first`);
  }
  const core = new WorkstationCore({ dataDir: opts.dataDir, serverUrl: opts.serverUrl, mode: 'browser', version: appVersion(root) });
  const host = await startBrowserHost({ core, rendererDir, port: opts.port });
  const telephony = await startTelephonyHook({ calls: core.calls, dataDir: opts.dataDir, port: opts.callPort, log: (m) => console.log(m) });
  return {
    url: host.url,
    telephonyUrl: telephony.url,
    close: async () => {
      await telephony.close();
      await host.close();
      await core.close();
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      server: { type: 'string', default: process.env.HOTLINE_SERVER_URL ?? 'http://127.0.0.1:4100' },
      browser: { type: 'boolean', default: false },
      data: { type: 'string', default: './data/workstation' },
      port: { type: 'string', default: '0' },
      'call-port': { type: 'string', default: process.env.HOTLINE_CALL_PORT ?? String(DEFAULT_TELEPHONY_PORT) },
      'allow-insecure-server': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(HELP);
  // Through the environment, so an Electron window started from here is told as well.
  if (values['allow-insecure-server']) process.env[ALLOW_INSECURE_ENV] = '1';
  const serverUrl = new URL(values.server).origin;
  const dataDir = path.resolve(values.data);
  const electron = values.browser ? null : findElectronBinary();
  if (electron?.path) {
    launchElectron(electron.path, { serverUrl, dataDir }).on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  if (electron && electron.path === null) console.log(`Electron is not available (${electron.reason}); running in browser mode`);
  const ws = await runBrowserWorkstation({ serverUrl, dataDir, port: Number(values.port), callPort: Number(values['call-port']) });
  console.log(`workstation ready at ${ws.url}`);
  console.log(`softphone hook at ${ws.telephonyUrl}/v1/calls (token in ${path.join(dataDir, TELEPHONY_FILE)}; npm run call -- --from <number>)`);
  const stop = () => void ws.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
