import path from 'node:path';
import fs from 'node:fs';
import { test, expect, _electron as electron } from '@playwright/test';
import { findElectronBinary } from '../../src/main/core/host/electron-binary';
import { electronNativeBinding } from '../../src/main/core/host/paths';
import { start, type ServerProcess } from '../helpers/server-process';
import { makeTempDir, removeDir } from '../helpers/tmp';

const ROOT = path.resolve(__dirname, '../..');
const binary = findElectronBinary();
const nativeReady = fs.existsSync(electronNativeBinding(ROOT));
const skipReason =
  binary.path === null
    ? `Electron binary not installed here (${binary.reason}); the desktop smoke test runs where it is`
    : !nativeReady
      ? 'better-sqlite3 for Electron is not built: run npm run desktop:prepare'
      : '';

if (skipReason) console.log(`electron smoke test skipped: ${skipReason}`);

test.describe('desktop app (Electron)', () => {
  test.skip(skipReason !== '', skipReason);
  let server: ServerProcess;
  let dataDir: string;

  test('opens one secure window with the login screen and logs in', async () => {
    server = await start(0);
    dataDir = makeTempDir('hotline-electron-');
    const app = await electron.launch({
      executablePath: binary.path ?? undefined,
      args: [ROOT, '--no-sandbox'],
      env: { ...process.env, HOTLINE_SERVER_URL: server.url, HOTLINE_DATA_DIR: dataDir },
    });
    try {
      const win = await app.firstWindow();
      await expect(win.getByTestId('login-username')).toBeVisible();
      expect(win.url()).toMatch(/^app:\/\/workstation\//);
      // The renderer has no Node: the preload exposes the contract only.
      expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await win.evaluate(() => Object.keys((globalThis as unknown as { workstation: object }).workstation).sort())).toEqual(['invoke', 'on']);
      await win.keyboard.type('op1');
      await win.keyboard.press('Tab');
      await win.keyboard.type('hotline123');
      await win.keyboard.press('Enter');
      await expect(win.getByTestId('intake-phone')).toBeVisible();
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
      await server.stop();
      removeDir(dataDir);
    }
  });
});
