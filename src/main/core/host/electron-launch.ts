import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { electronNativeBinding, projectRoot } from './paths';

/**
 * Opens the desktop workstation with the given Electron binary, building better-sqlite3 for
 * Electron's ABI first when it is missing (`npm run desktop:prepare`). Used by `npm start` and
 * `npm run workstation`, so both launch the same way.
 */
export function launchElectron(binary: string, opts: { serverUrl: string; dataDir: string }): ChildProcess {
  const root = projectRoot();
  if (!fs.existsSync(electronNativeBinding(root))) {
    console.log('preparing better-sqlite3 for Electron (npm run desktop:prepare) …');
    const prep = spawnSync(process.execPath, [path.join(root, 'scripts/desktop-prepare.mjs')], { stdio: 'inherit' });
    if (prep.status !== 0) throw new Error('desktop:prepare failed; use --browser for browser mode');
  }
  const child = spawn(binary, [root], {
    stdio: 'inherit',
    env: { ...process.env, HOTLINE_SERVER_URL: opts.serverUrl, HOTLINE_DATA_DIR: opts.dataDir },
  });
  console.log('workstation ready in the Electron window');
  return child;
}
