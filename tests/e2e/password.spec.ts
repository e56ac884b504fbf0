import crypto from 'node:crypto';
import { test, expect, type Page } from '@playwright/test';
import { start, type ServerProcess } from '../helpers/server-process';
import { startWorkstation, type WorkstationProcess } from '../helpers/workstation-process';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { call, login } from '../helpers/session-http';

// An account an admin made must choose its own password first; the status bar changes it
// (Alt+Shift+P) and signs out (Alt+Shift+L), keyboard only, in both languages. Real server
// process, real workstation core in browser mode, real Chromium.

test.describe('password and sign-out in the workstation', () => {
  let server: ServerProcess;
  let serverData: string;
  let ws: WorkstationProcess;

  test.beforeAll(async () => {
    serverData = makeTempDir('hotline-e2e-server-');
    server = await start(0, serverData);
    ws = await startWorkstation(server.url);
  });
  test.afterAll(async () => {
    await ws.stop();
    await server.stop();
    removeDir(serverData);
    removeDir(ws.dataDir);
  });

  async function newAccount(): Promise<string> {
    const admin = await login(server.url, 'admin');
    const username = `e2e${crypto.randomBytes(3).toString('hex')}`;
    const made = await call(`${server.url}/api/admin/users`, { token: admin.accessToken, body: { username, displayName: '测试用户', role: 'operator', team: 'team-a', password: 'temporary-1' } });
    expect(made.status).toBe(201);
    return username;
  }

  async function signIn(page: Page, username: string, password: string): Promise<void> {
    await expect(page.getByTestId('login-username')).toBeFocused();
    await page.keyboard.type(username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
  }

  for (const lang of ['zh-CN', 'en'] as const) {
    test(`forced change, change again from the status bar, sign out (${lang})`, async ({ browser }) => {
      const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
      await page.addInitScript({ content: `localStorage.setItem('hotline.language', ${JSON.stringify(lang)});` });
      await page.goto(ws.url);
      const username = await newAccount();
      await signIn(page, username, 'temporary-1');

      // Only the change-password screen, focus in its first field.
      await expect(page.getByTestId('password-forced-form')).toBeVisible();
      await expect(page.getByTestId('password-forced-current')).toBeFocused();
      await page.keyboard.type('temporary-1');
      await page.keyboard.press('Tab');
      await page.keyboard.type('mine-12345');
      await page.keyboard.press('Tab');
      await page.keyboard.type('mine-12346');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('password-forced-error')).toBeVisible();
      await page.screenshot({ path: `test-results/password-forced-${lang}.png` });
      await expect(page.getByTestId('password-forced-new')).toBeFocused();
      await page.getByTestId('password-forced-repeat').fill('mine-12345');
      await page.getByTestId('password-forced-new').press('Enter');
      await expect(page.getByTestId('intake-phone')).toBeVisible();
      await expect(page.getByTestId('sync-online')).toHaveAttribute('data-online', 'true');

      // The status bar: Alt+Shift+P opens the dialog; a wrong current password is said as such.
      await page.keyboard.press('Alt+Shift+P');
      await expect(page.getByTestId('password-dialog')).toBeVisible();
      await expect(page.getByTestId('password-dialog-current')).toBeFocused();
      await page.keyboard.type('not-my-password');
      await page.keyboard.press('Tab');
      await page.keyboard.type('another-123');
      await page.keyboard.press('Tab');
      await page.keyboard.type('another-123');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('password-dialog-error')).toBeVisible();
      await expect(page.getByTestId('password-dialog-current')).toBeFocused();
      await page.screenshot({ path: `test-results/password-dialog-${lang}.png` });
      await page.keyboard.type('mine-12345');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('password-dialog')).toBeHidden();
      await expect(page.getByTestId('password-changed')).toBeVisible();
      await expect(page.getByTestId('password-change')).toBeFocused();

      // Alt+Shift+L signs out; the server's session is over.
      await page.keyboard.press('Alt+Shift+L');
      await expect(page.getByTestId('login-username')).toBeVisible();
      const me = await login(server.url, username, 'another-123');
      expect(me.mustChangePassword).toBe(false);
    });
  }
});
