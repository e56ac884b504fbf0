import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../src/server/app';
import { createLogger } from '../src/server/log';
import { runBrowserWorkstation } from '../src/main/core/cli';
import { findElectronBinary } from '../src/main/core/host/electron-binary';
import { launchElectron } from '../src/main/core/host/electron-launch';

// `npm start`: the central server on its embedded default (SQLite in ./data/server) and one
// workstation connected to it — the Electron window where Electron is installed, else browser mode.
const ROOT = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4100' },
      'workstation-port': { type: 'string', default: '4101' },
      data: { type: 'string', default: path.join(ROOT, 'data') },
      browser: { type: 'boolean', default: false },
    },
  });
  const dataDir = path.resolve(values.data);
  const server = await startServer({
    port: Number(values.port),
    dataDir: path.join(dataDir, 'server'),
    databaseUrl: process.env.DATABASE_URL,
    logger: createLogger({ svc: 'server' }, (process.env.LOG_LEVEL as 'info' | undefined) ?? 'warn'),
  });
  console.log(`server listening on ${server.url}`);
  const workstationData = path.join(dataDir, 'workstation');

  const electron = values.browser ? null : findElectronBinary();
  if (electron?.path) {
    const child = launchElectron(electron.path, { serverUrl: server.url, dataDir: workstationData });
    child.on('exit', (code) => void server.close().then(() => process.exit(code ?? 0)));
    return;
  }
  if (electron && electron.path === null) console.log(`Electron is not available here (${electron.reason}): running the workstation in browser mode`);
  const ws = await runBrowserWorkstation({ serverUrl: server.url, dataDir: workstationData, port: Number(values['workstation-port']) });
  console.log(`workstation ready at ${ws.url}`);
  console.log(`softphone hook at ${ws.telephonyUrl}/v1/calls: npm run call -- --from 13800138000 --data ${path.relative(process.cwd(), workstationData) || '.'}`);
  console.log('open that URL (with its #token) in a browser; demo logins: op1 / hotline123 (see README)');
  const stop = () => void ws.close().then(() => server.close()).then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
